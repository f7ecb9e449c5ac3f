# Shared by scripts/build and scripts/test: a virtual environment in .venv with the pinned stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "vetdx needs Python 3.11 (found $("$PYTHON" --version 2>&1)); set PYTHON=/path/to/python3.11" >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
# scripts/build installs the product alone; scripts/test adds the `dev` extra (pytest, ruff, and
# pyspark + dbt-spark for the portability proof, which the product itself never imports).
EXTRAS="${VETDX_EXTRAS-}"
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
# The dbt manifest the Dagster definitions load is prepared here, never committed.
.venv/bin/vetdx prepare
