"""The public marts of a build, saved as Parquet and compared with a saved copy.

Performance work must not move a figure: `test_sample_marts_are_unchanged` compares the sample
build's marts with tests/fixtures/sample_marts/ (taken before the work of issue 17). Text, integers
and lists must be equal; doubles may differ by 1e-9 (relative, or absolute near zero), because
DuckDB's parallel sums add in another order from run to run (two builds of the same files differ
by up to 7e-14 on a score).
Batch ids are left out, being new UUIDs at every load. Retake the copy only for a change meant to
move figures:

    .venv/bin/python -m tests.e2e.marts_snapshot warehouse/vetdx.duckdb tests/fixtures/sample_marts
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import polars as pl
from polars.testing import assert_frame_equal

VOLATILE_COLUMNS = frozenset({"lineage_batches"})
TOLERANCE = 1e-9  # relative, and absolute near zero (scores run 0-100)


def read_marts(warehouse: Path) -> dict[str, pl.DataFrame]:
    """Every table of schema `marts`, its rows in a stable order, volatile columns left out."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1"
        ).fetchall()
        marts = {}
        for (table,) in tables:
            frame = con.sql(f"SELECT * FROM marts.{table}").pl()
            frame = frame.drop([c for c in frame.columns if c in VOLATILE_COLUMNS])
            marts[table] = _in_order(frame)
    return marts


def _in_order(frame: pl.DataFrame) -> pl.DataFrame:
    # Sort on the non-float columns (the keys are among them), so float noise cannot reorder rows.
    keys = [c for c, t in frame.schema.items() if not t.is_float() and not isinstance(t, pl.List)]
    return frame.sort(keys, nulls_last=True) if keys else frame


def write_snapshot(warehouse: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in read_marts(warehouse).items():
        frame.write_parquet(folder / f"{table}.parquet", compression="zstd")


def differences(warehouse: Path, folder: Path) -> list[str]:
    """One line per mart that is missing, extra or different from the snapshot in `folder`."""
    actual = read_marts(warehouse)
    expected = {p.stem: _in_order(pl.read_parquet(p)) for p in sorted(folder.glob("*.parquet"))}
    out = [f"{t}: not in the build" for t in sorted(set(expected) - set(actual))]
    out += [f"{t}: not in the snapshot" for t in sorted(set(actual) - set(expected))]
    for table in sorted(set(actual) & set(expected)):
        try:
            assert_frame_equal(
                actual[table], expected[table], check_exact=False, rel_tol=TOLERANCE, abs_tol=TOLERANCE
            )
        except AssertionError as exc:
            out.append(f"{table}: {str(exc).splitlines()[0]}")
    return out


if __name__ == "__main__":
    write_snapshot(Path(sys.argv[1]), Path(sys.argv[2]))
