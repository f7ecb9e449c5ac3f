"""The refresh's progress line counts what the ingest steps log: new files, then each file read."""

from __future__ import annotations

import dagster as dg

from pipelines.run_events import PROGRESS_PREFIX, PROGRESS_TOTAL_PREFIX, StageProgress


def _log(message: str, step: str = "ingest_official") -> dg.EventLogEntry:
    return dg.EventLogEntry(
        error_info=None,
        level=20,
        user_message=message,
        run_id="r",
        timestamp=0.0,
        step_key=step,
        job_name="refresh",
        dagster_event=None,
    )


def test_files_read_out_of_the_new_ones_across_sources():
    lines: list[str] = []
    progress = StageProgress(dbt_models_total=35, checks_total=62, write=lines.append)
    progress(_log(f"{PROGRESS_TOTAL_PREFIX}2 new files in official/"))
    progress(_log(f"{PROGRESS_PREFIX}official/a.csv: loaded, 3 landed, 0 quarantined"))
    progress(_log(f"{PROGRESS_TOTAL_PREFIX}1 new files in survey/", step="ingest_survey"))
    progress(_log("a line the view ignores"))
    progress(_log(f"{PROGRESS_PREFIX}survey/b.xlsx: rejected, 0 landed", step="ingest_survey"))
    assert "files 2/3" in lines[-1] and "dbt models 0/35" in lines[-1] and "checks 0/62" in lines[-1]
    assert len(lines) == len(set(lines)), "a line is written only when it changes"
