"""Chunks validated in helper processes give exactly the verdicts, counts and examples of one process."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import duckdb
import pyarrow as pa
import pytest

from pipelines.quality.frames import GxFrames, gx_frame
from pipelines.quality.parallel import ChunkValidator
from pipelines.quality.raw_suites import raw_suite
from pipelines.quality.reference import Reference
from pipelines.quality.runner import _Merged, validate
from tests.quality.factories import planted_equipment

ROWS = 60_000
CHUNK = 10_000  # 6 chunks


@pytest.fixture
def planted() -> duckdb.DuckDBPyConnection:
    """60,000 generated rows with ERROR and WARN failures planted in most chunks of 10,000."""
    con = planted_equipment(ROWS)
    yield con
    con.close()


def _chunks(con: duckdb.DuckDBPyConnection, ref: Reference) -> list[pa.RecordBatch]:
    suite = raw_suite("equipment_inventory", ref)
    available = set(con.sql("SELECT * FROM raw.equipment_inventory LIMIT 0").columns)
    return list(con.execute(suite.stream_sql(available)).to_arrow_reader(CHUNK))


def _serial_verdicts(frames: GxFrames, suite, chunks: list) -> list:
    """The verdicts of every chunk validated in this process alone: what a helper must match."""
    with ChunkValidator(frames, suite.rows, suite.id_columns) as serial:
        for batch in chunks:
            serial.add(batch)
        return serial.results()


def test_helper_verdicts_equal_serial_ones_chunk_by_chunk(
    planted: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    suite = raw_suite("equipment_inventory", ref)
    chunks = _chunks(planted, ref)
    assert len(chunks) == ROWS // CHUNK
    frames = GxFrames()
    expected = _serial_verdicts(frames, suite, chunks)
    with ChunkValidator(frames, suite.rows, suite.id_columns, helpers=1, wait_for_helpers=True) as both:
        for batch in chunks:
            both.add(batch)
        got = both.results()
        in_helpers = both.chunks_in_helpers
    assert in_helpers >= 2, "the helper validated no chunk: this test would prove nothing"
    assert got == expected  # every count, error and example of every chunk, in chunk order

    merged_serial, merged_both = _Merged(suite.rows), _Merged(suite.rows)
    for verdicts in expected:
        merged_serial.add(verdicts)
    for verdicts in got:
        merged_both.add(verdicts)
    failures = {o.column: o for o in merged_both.outcomes("rows") if not o.success}
    assert merged_both.outcomes("rows") == merged_serial.outcomes("rows")
    # Hand-counted from the planted rows above.
    assert {c: (o.severity, o.unexpected_count) for c, o in failures.items()} == {
        "quantity": ("ERROR", 60),
        "quantity, in_working_order": ("ERROR", 60),
        "item_code": ("WARN", 3),
        "year_acquired": ("ERROR", 2),
    }
    assert len(failures["quantity"].examples) == 20
    assert [e["value"] for e in failures["year_acquired"].examples] == [1850, 1850]


def test_a_killed_helper_costs_time_not_verdicts(planted: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    suite = raw_suite("equipment_inventory", ref)
    chunks = _chunks(planted, ref)
    frames = GxFrames()
    expected = _serial_verdicts(frames, suite, chunks)
    with ChunkValidator(frames, suite.rows, suite.id_columns, helpers=1, wait_for_helpers=True) as both:
        for process in multiprocessing.active_children():
            process.kill()
        for batch in chunks:
            both.add(batch)
        assert both.results() == expected


def test_validate_with_a_helper_reports_what_one_process_reports(
    planted: duckdb.DuckDBPyConnection, ref: Reference
) -> None:
    suite = raw_suite("equipment_inventory", ref)
    serial = validate(planted, suite, chunk_rows=CHUNK, helpers=0, by_value=False).to_json()
    parallel = validate(planted, suite, chunk_rows=CHUNK, helpers=1, by_value=False).to_json()
    serial.pop("seconds"), parallel.pop("seconds")
    assert parallel == serial
    assert (serial["row_count"], serial["chunks"], serial["severity"]) == (ROWS, 6, "ERROR")


def test_frames_hold_64_bit_numbers_and_nanosecond_times() -> None:
    batch = pa.record_batch(
        {
            "year": pa.array([2024, None], pa.int32()),
            "small": pa.array([1, 2], pa.int16()),
            "ratio": pa.array([0.5, 1.5], pa.float32()),
            "at": pa.array([dt.datetime(2025, 1, 2, 3, 4, 5, 6), None], pa.timestamp("us")),
            "ancient": pa.array([dt.datetime(1500, 1, 1), None], pa.timestamp("us")),
        }
    )
    frame = gx_frame(batch)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "year": "float64",  # with a NULL, as before: pandas has no NULL in int64
        "small": "int64",
        "ratio": "float64",
        "at": "datetime64[ns]",
        "ancient": "datetime64[us]",  # outside nanosecond range: kept, never wrapped round
    }
    assert frame["small"].tolist() == [1, 2] and frame["ratio"].tolist() == [0.5, 1.5]
    assert frame["at"][0] == dt.datetime(2025, 1, 2, 3, 4, 5, 6)
    assert frame["ancient"][0] == dt.datetime(1500, 1, 1)
