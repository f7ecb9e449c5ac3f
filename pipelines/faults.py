"""Crash points for the kill -9 tests: a refresh that reaches the named point kills itself.

`VETDX_CRASH_AT=<point>` makes the process SIGKILL itself when it reaches that point, exactly as an
out-of-memory kill or a power cut would, so the tests can prove that a refresh killed anywhere
leaves the published warehouse untouched. Unset (always, outside those tests) this does nothing.
"""

from __future__ import annotations

import os
import signal

ENV_CRASH_AT = "VETDX_CRASH_AT"

POINTS = (
    "build_started",  # the build copy exists, nothing ingested
    "ingest_file_committed",  # the first new file has committed into the build
    "ingest_done",  # a source has finished ingesting
    "dbt_started",  # right before dbt build
    "dbt_done",  # dbt models and tests are built in the build file
    "publish_started",  # every blocking check has passed
    "version_recorded",  # audit.versions is written into the build
    "checkpointed",  # the build's WAL is folded into the file
    "version_moved",  # the build is in versions/ but not yet published
    "link_created",  # the temporary hard link exists, the swap has not happened
    "published",  # the published file is swapped; CURRENT not yet rewritten
    "exports_started",  # publishing is over, exports begin
)


def crash_point(point: str) -> None:
    if os.environ.get(ENV_CRASH_AT) == point:
        os.kill(os.getpid(), signal.SIGKILL)
