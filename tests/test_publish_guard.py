"""A Dagster-launched run (UI, schedule, sensor) never publishes an empty first warehouse: the guard
lives in the publish asset, not only in `vetdx refresh`'s own checks."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.assets.publish import published_warehouse
from pipelines.defs.resources import resources_for
from pipelines.settings import Settings


def test_publishing_alone_on_a_fresh_warehouse_publishes_nothing(tmp_path):
    (tmp_path / "raw").mkdir()
    settings = Settings.resolve({}, raw_dir=tmp_path / "raw", warehouse=tmp_path / "w" / "vetdx.duckdb")
    result = dg.materialize(
        [published_warehouse], resources=resources_for(settings), raise_on_error=False
    )  # what "Materialize" on published_warehouse in the UI runs
    assert not result.success
    (failure,) = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE]
    error = failure.step_failure_data.user_failure_data
    assert "would publish an empty warehouse" in (error.description or "")
    assert not settings.warehouse.exists()
    assert not (settings.warehouse.parent / "versions").exists()
