"""Great Expectations Data Docs for one run's validation reports.

The checks write one ValidationReport JSON per suite, each carrying its scopes' merged GX suite
validation results. Here an ephemeral GX context with a local Data Docs site rooted in the results
folder loads those results into its validation results store and lets GX's own site builder render
them, so the pages are GX Data Docs (index, one page per validated scope) built from chunked runs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import great_expectations as gx
from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.data_context.types.resource_identifiers import (
    ExpectationSuiteIdentifier,
    ValidationResultIdentifier,
)

SITE = "vetdx_quality"


def render_data_docs(results_dir: Path) -> Path:
    """Build the Data Docs site into `results_dir/data_docs` and return its index.html."""
    site_dir = results_dir / "data_docs"
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.add_data_docs_site(
        site_name=SITE,
        site_config={
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    run_id = RunIdentifier(run_name=results_dir.name, run_time=_run_time(results_dir))
    for report in sorted(results_dir.glob("*.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        for raw in data.get("gx_results", []) if isinstance(data, dict) else []:  # other JSON: not ours
            result = expectationSuiteValidationResultSchema.load(raw)
            result.meta["run_id"] = run_id  # GX shows it as the page's run name and time
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
                run_id=run_id,
                batch_identifier=result.suite_name,
            )
            context.validation_results_store.set(key, result)
    context.build_data_docs(site_names=[SITE])
    return site_dir / "index.html"


def _run_time(results_dir: Path) -> dt.datetime:
    """When the reports were written: the newest report's modification time."""
    times = [p.stat().st_mtime for p in results_dir.glob("*.json")] or [results_dir.stat().st_mtime]
    return dt.datetime.fromtimestamp(max(times), tz=dt.UTC)
