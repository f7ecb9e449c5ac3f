"""`vetdx refresh` as a child process: wall time, peak memory, where the time went, dbt node timings.

Where the time went comes from the refresh's own output, each line stamped as it arrived: a Dagster
log line names its step, and a stage runs from its first line until the next stage's first line.
`startup` is process start to the first step's line (imports, dbt manifest, definitions); steps that
log nothing at INFO (publish, exports) fall into `publish + exports`, from the last step's line to
the printed summary; `exit` is summary to process exit.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

from pipelines import settings as cfg
from pipelines.bench.process import run_measured
from pipelines.publish.store import VersionStore

# `<ts> +0000 - dagster - INFO - refresh - <run id> - [<pid> - ]<step key> - <message>`
_STEP_LINE = re.compile(r" - dagster - \w+ - \S+ - [0-9a-f-]{36} - (?:\d+ - )?([\w.]+) - ")
_SUMMARY = re.compile(r"^vetdx refresh (?:succeeded|FAILED) \(run ([0-9a-f]+)\)")
_TAIL = "publish + exports"


def stage_of(step: str) -> str:
    """The refresh stage a Dagster step belongs to (the step keys of pipelines/defs)."""
    if step.startswith("ingest_") or step == "audit_loads":
        return "ingest"
    if step == "reference_seeds":
        return "startup"
    if step.startswith("vetdx_dbt_assets"):
        return "dbt"
    if "_gx_" in step:
        return "checks raw" if step.startswith("raw__") else "checks marts"
    if step in ("published_warehouse", "exports"):
        return _TAIL
    return "other"


def stage_seconds(
    lines: list[tuple[float, str, str]], wall_seconds: float, published: bool
) -> dict[str, float]:
    """Seconds per stage; the stages sum to the wall time. Unpublished runs have no publish stage."""
    marks: list[tuple[float, str]] = []
    for at, _, text in lines:
        step = _STEP_LINE.search(text)
        if step and step[1] not in ("RUN_FAILURE", "RUN_SUCCESS"):
            marks.append((at, stage_of(step[1])))
        elif _SUMMARY.match(text):
            marks.append((at, "exit"))
    if not marks:
        return {"unattributed": round(wall_seconds, 1)}
    out: dict[str, float] = {"startup": marks[0][0]}
    for (at, stage), (until, next_stage) in zip(marks, [*marks[1:], (wall_seconds, "")], strict=True):
        # The stretch before the summary, after the last step that logs, is publish and exports.
        key = _TAIL if published and next_stage == "exit" and stage != "exit" else stage
        out[key] = out.get(key, 0.0) + until - at
    return {k: round(v, 1) for k, v in out.items()}


def run_refresh_process(raw: Path, work: Path, label: str, timeout: float | None = None) -> dict:
    """One `vetdx refresh` of `raw` into the warehouse under `work`; logs kept in work/logs/<label>."""
    env = {
        **os.environ,
        cfg.ENV_RAW_DIR: str(raw),
        cfg.ENV_WAREHOUSE: str(work / "warehouse" / "vetdx.duckdb"),
        cfg.ENV_EXPORTS_DIR: str(work / "exports"),
        cfg.ENV_DAGSTER_HOME: str(work / "dagster_home"),
    }
    # --verbose: Dagster's log lines on the terminal, where their arrival times give the stages.
    command = [sys.executable, "-m", "pipelines.cli", "refresh", "--verbose"]
    run = run_measured(command, env, cfg.REPO_ROOT, work / "logs" / label, timeout)
    stdout = [text for _, stream, text in run.lines if stream == "stdout"]
    summary_at = next((i for i, text in enumerate(stdout) if _SUMMARY.match(text)), None)
    return {
        "success": run.returncode == 0,
        "returncode": run.returncode,
        "seconds": run.seconds,
        "peak_tree_rss_mib": run.peak_tree_rss_mib,
        "max_rss_single_process_mib": run.max_rss_mib,
        "stages_seconds": stage_seconds(run.lines, run.seconds, published=run.returncode == 0),
        "summary": stdout[summary_at:] if summary_at is not None else stdout[-30:],
        "stderr_tail": [] if run.returncode == 0 else [t for _, s, t in run.lines if s == "stderr"][-30:],
    }


def dbt_timings(warehouse_dir: Path, since: float, top: int = 8) -> dict | None:
    """The `dbt build` of a refresh of the warehouse in `warehouse_dir`, from the run_results.json
    in that warehouse's dbt target (`VersionStore.dbt_target`), if written after `since` (epoch s)."""
    path = VersionStore(warehouse_dir / "vetdx.duckdb").dbt_target / "run_results.json"
    if not path.exists() or path.stat().st_mtime < since:
        return None
    results = json.loads(path.read_text())
    if results.get("args", {}).get("which") != "build":
        return None
    nodes = sorted(results["results"], key=lambda r: -r["execution_time"])
    models = {r["unique_id"].split(".")[-1]: r for r in nodes if r["unique_id"].startswith("model.")}
    monte_carlo = models.get("rank_intervals")
    return {
        "run_results": path.relative_to(warehouse_dir).as_posix(),
        "build_elapsed_seconds": round(results["elapsed_time"], 2),
        "nodes": len(nodes),
        "rank_intervals_seconds": round(monte_carlo["execution_time"], 2) if monte_carlo else None,
        "rank_intervals_status": monte_carlo["status"] if monte_carlo else None,
        "slowest_nodes": [
            {"node": r["unique_id"], "seconds": round(r["execution_time"], 2)} for r in nodes[:top]
        ],
    }
