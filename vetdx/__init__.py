"""`import vetdx`: the analysts' entry point for notebooks; see docs/analysts.md.

`vetdx.connect()` opens the published warehouse read-only in the same sandbox as `vetdx sql`.
"""

from pipelines.analyst.connection import AnalystConnection, Relation, connect
from pipelines.analyst.errors import AnalystError, Refused

__all__ = ["AnalystConnection", "AnalystError", "Refused", "Relation", "connect"]
