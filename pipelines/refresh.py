"""Run the refresh job as a run of the persistent Dagster instance and summarise it for a person.

The CLI's refresh is the same job, resources and lock as a refresh launched from the UI, the
schedule, the sensor or `dagster job execute`: only the launcher differs. It runs in this process
(`execute_in_process`) against the instance under `Settings.dagster_home`, so `vetdx ui` shows the
run, its materializations, check results and logs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.defs.resources import LAUNCHER_TAG
from pipelines.ingest.schemas import RAW_TABLES, SOURCES
from pipelines.run_events import RunWatcher
from pipelines.settings import REPO_DAGSTER_YAML, REPO_ROOT, Settings

CLI_LAUNCHER = "vetdx refresh"

_STAGES = [
    ("setup", lambda step: step == "reference_seeds"),
    ("ingest", lambda step: step.startswith("ingest_") or step == "audit_loads"),
    ("dbt build", lambda step: step.startswith("vetdx_dbt_assets")),
    ("checks", lambda step: "_gx_" in step),
    ("publish", lambda step: step == "published_warehouse"),
    ("exports", lambda step: step == "exports"),
]


@dataclass
class RefreshReport:
    success: bool
    run_id: str
    stages: dict[str, str] = field(default_factory=dict)  # stage -> ok | failed | skipped | not run
    failures: list[str] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)
    rows_landed: int = 0
    rows_quarantined: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    version: str | None = None
    data_docs: str | None = None
    exports_dir: str | None = None
    log_file: str | None = None

    def render(self) -> str:
        def rel(path: str | None) -> str:
            if not path:
                return "-"
            try:
                return str(Path(path).relative_to(REPO_ROOT))
            except ValueError:
                return path

        lines = [
            "",
            "vetdx refresh " + ("succeeded" if self.success else "FAILED") + f" (run {self.run_id[:8]})",
        ]
        lines.append("  stages:    " + ", ".join(f"{k} {v}" for k, v in self.stages.items()))
        files = ", ".join(f"{v} {k}" for k, v in sorted(self.files.items())) or "no new files"
        lines.append(f"  files:     {files}")
        lines.append(f"  rows:      {self.rows_landed} landed, {self.rows_quarantined} quarantined")
        lines.append(f"  checks:    {self.checks_passed} passed, {len(self.checks_failed)} failed")
        lines += [f"    - {c}" for c in self.checks_failed[:20]]
        lines.append(f"  published: {self.version or 'nothing (the published warehouse is unchanged)'}")
        lines.append(f"  data docs: {rel(self.data_docs)}")
        lines.append(f"  exports:   {rel(self.exports_dir)}")
        if self.log_file:
            lines.append(f"  full log:  {rel(self.log_file)} (and the run's page in `vetdx ui`)")
        if self.failures:
            lines.append("  what failed:")
            lines += [f"    - {f}" for f in self.failures]
        return "\n".join(lines)


def dagster_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance `vetdx ui` and the daemon use; made with the repository's dagster.yaml
    when the folder has none (a user's own dagster.yaml there is kept)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        shutil.copyfile(REPO_DAGSTER_YAML, config)
    return dg.DagsterInstance.from_config(str(home))


def refusal(settings: Settings) -> str | None:
    """Why a refresh must not start, in one line, or None: a bad location, or nothing to build."""
    from pipelines.ingest.landing.loader import discover_files
    from pipelines.settings import LocationError, check_locations

    try:
        check_locations(settings.raw_dir, settings.seeds_dir, settings.warehouse)
    except LocationError as exc:
        return f"{exc}; nothing was published"
    if not settings.warehouse.exists() and not any(discover_files(settings.raw_dir, s) for s in SOURCES):
        return (
            f"no files under {settings.raw_dir} and nothing is published yet: a refresh would publish an"
            f" empty warehouse; put files under {', '.join(f'{s}/' for s in SOURCES)}"
        )
    return None


def run_refresh(
    settings: Settings,
    quiet: bool = False,
    on_event: Callable[[dg.EventLogEntry], None] | None = None,
    launcher: str = CLI_LAUNCHER,
    run_id: str | None = None,
) -> RefreshReport:
    """One refresh, recorded in the instance under `settings.dagster_home`. `on_event` hears every
    event of the run while it runs (the CLI's progress view and log file)."""
    from dagster._core.utils import make_new_run_id

    from pipelines.definitions import build_definitions

    job = build_definitions(settings).resolve_job_def("refresh")
    level = "WARNING" if quiet else "INFO"
    run_id = run_id or make_new_run_id()
    with dagster_instance(settings.dagster_home) as instance:
        with RunWatcher(instance, run_id, on_event):
            result = job.execute_in_process(
                instance=instance,
                run_id=run_id,
                raise_on_error=False,
                tags={LAUNCHER_TAG: launcher},
                run_config={"loggers": {"console": {"config": {"log_level": level}}}},
            )
        return summarise(result)


def summarise(result: dg.ExecuteInProcessResult) -> RefreshReport:
    report = RefreshReport(success=result.success, run_id=result.run_id)

    step_status: dict[str, str] = {}
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.RESOURCE_INIT_FAILURE:
            report.failures.append(f"run setup: {_root_cause(event.event_specific_data.error)}")
        if event.step_key is None:
            continue
        if event.event_type == dg.DagsterEventType.STEP_SUCCESS:
            step_status[event.step_key] = "ok"
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            step_status[event.step_key] = "failed"
            message = _root_cause(event.step_failure_data.error)
            if not message.startswith("run setup"):
                report.failures.append(f"{event.step_key}: {message}")
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            step_status.setdefault(event.step_key, "skipped")
    for stage, matches in _STAGES:
        statuses = [s for step, s in step_status.items() if matches(step)]
        report.stages[stage] = (
            "failed"
            if "failed" in statuses
            else "skipped"
            if "skipped" in statuses
            else "ok"
            if statuses
            else "not run"
        )
    if report.failures and all(s == "not run" for s in report.stages.values()):
        report.stages = {"setup": "failed", **{k: v for k, v in report.stages.items() if k != "setup"}}

    for event in result.all_events:
        if event.event_type != dg.DagsterEventType.ASSET_MATERIALIZATION:
            continue
        materialization = event.event_specific_data.materialization
        meta = {k: _metadata_value(v) for k, v in materialization.metadata.items()}
        key = materialization.asset_key.to_user_string()
        if key.startswith("raw/") and _is_first_table_of_source(key.split("/", 1)[1]):
            for status in ("new", "rejected", "duplicate"):
                report.files[status] = report.files.get(status, 0) + int(meta.get(f"files_{status}", 0))
            report.rows_landed += int(meta.get("rows_landed_this_run", 0))
            report.rows_quarantined += int(meta.get("rows_quarantined_this_run", 0))
        elif key == "published_warehouse":
            report.version = str(meta.get("version"))
            report.data_docs = str(meta.get("data_docs"))
        elif key == "exports":
            report.exports_dir = str(meta.get("folder"))

    for evaluation in result.get_asset_check_evaluations():
        if evaluation.passed:
            report.checks_passed += 1
        else:
            severity = evaluation.severity.value
            # The check's message names the expectation, column, failing count and examples.
            detail = [line.strip() for line in (evaluation.description or "").splitlines() if line.strip()]
            report.checks_failed.append(
                f"[{severity}] {evaluation.asset_key.to_user_string()}:{evaluation.check_name}"
                + "".join(f"\n        {line[:600]}" for line in detail[:6])
            )
    return report


def _metadata_value(value: object) -> object:
    return getattr(value, "value", getattr(value, "path", value))


def _root_cause(error) -> str:
    """Dagster wraps a step's exception ("Error occurred while executing op ..."): show the cause."""
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    lines = [line for line in error.message.strip().splitlines() if line.strip()]
    message = " ".join(lines[:3])[:1500]
    # "pipelines.defs.resources.RefreshRefused: another refresh ..." -> the sentence alone
    head, sep, rest = message.partition(": ")
    return rest if sep and head.rsplit(".", 1)[-1] in ("RefreshRefused", "Failure") else message


def _is_first_table_of_source(table: str) -> bool:
    """Ingest metadata repeats on every table of a source: count each source once, on its first table."""
    return table in RAW_TABLES and SOURCES[RAW_TABLES[table].source][0] == table
