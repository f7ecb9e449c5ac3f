"""dbt build on Spark local mode over Parquet exports (pyspark + dbt-spark, `session` method).

The SparkSession is started here, in this process, with settings sized for a shared machine (2
local cores, 4 shuffle partitions: Spark's default of 200 partitions turns each of the ~40 small
models into hundreds of empty tasks). dbt-spark's session method then reuses it (getOrCreate), so
the sources registered here are the tables dbt reads. ANSI mode is off: DuckDB returns NULL for a
division by zero where Spark's ANSI mode raises, and the models rely on NULL (nullif guards only
the denominators they know can be 0).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.portability.parquet_export import ExportedTable

SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.sql.ansi.enabled": "false",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.driver.memory": "2g",
    "spark.sql.catalogImplementation": "in-memory",
    # int_node_scores_aggregated unrolls 10 tree levels of CTEs into one statement: resolving it
    # takes more than the analyzer's default 100 passes
    "spark.sql.analyzer.maxIterations": "1000",
    # the tables are small (10^4 rows): compiling whole-stage Java for each of the large plans
    # costs more than it saves
    "spark.sql.codegen.wholeStage": "false",
}


@dataclass
class SparkBuild:
    success: bool
    seconds: float
    results: dict[str, int] = field(default_factory=dict)  # status -> count
    failures: list[str] = field(default_factory=list)
    models_built: list[str] = field(default_factory=list)  # model names dbt reported built
    meta: dict[str, dict] = field(default_factory=dict)  # python models' rendered meta


def start_session(workdir: Path):
    """The local SparkSession, its warehouse folder under `workdir`."""
    from pyspark.sql import SparkSession

    # the driver's heap is fixed when pyspark launches the JVM: a builder setting comes too late
    os.environ.setdefault(
        "PYSPARK_SUBMIT_ARGS", f"--driver-memory {SPARK_CONF['spark.driver.memory']} pyspark-shell"
    )
    builder = SparkSession.builder.appName("vetdx-portability")
    for key, value in {**SPARK_CONF, "spark.sql.warehouse.dir": str(workdir / "spark-warehouse")}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def register_inputs(session, tables: list[ExportedTable]) -> None:
    """Each exported table as `<schema>.<table>` over its Parquet file."""
    for schema in sorted({t.schema for t in tables}):
        session.sql(f"create database if not exists `{schema}`")
    for table in tables:
        session.sql(f"drop table if exists `{table.schema}`.`{table.name}`")
        location = str(table.path).replace("'", "\\'")
        session.sql(f"create table `{table.schema}`.`{table.name}` using parquet location '{location}'")


def dbt_build(project_dir: Path, workdir: Path, dbt_vars: dict, exclude: tuple[str, ...] = ()) -> SparkBuild:
    """`dbt build --target spark` in this process; seeds are not loaded (the reference tables are
    the exported ones: the same rows the DuckDB build read)."""
    from dbt.cli.main import dbtRunner

    started = time.monotonic()
    args = [
        "build",
        "--target", "spark",
        "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir),
        "--target-path", str(workdir / "dbt-target"),
        "--log-path", str(workdir / "dbt-logs"),
        "--vars", json.dumps(dbt_vars),
        "--exclude", "resource_type:seed", *exclude,
        "--no-partial-parse",
        "--quiet",
    ]  # fmt: skip
    previous = os.getcwd()
    try:
        # dbt-spark's session cursor resolves nothing relative to the cwd, but dbt's own
        # `target`/`logs` defaults would: keep them in the work folder
        os.chdir(workdir)
        outcome = dbtRunner().invoke(args)
    finally:
        os.chdir(previous)
    build = SparkBuild(success=bool(outcome.success), seconds=time.monotonic() - started)
    for result in getattr(outcome.result, "results", None) or []:
        status = str(result.status)
        build.results[status] = build.results.get(status, 0) + 1
        if status == "success" and result.node.resource_type == "model":
            build.models_built.append(result.node.name)
        if status in ("error", "fail", "runtime error"):
            message = (result.message or "").strip().splitlines()
            build.failures.append(f"{result.node.unique_id}: {message[0] if message else status}")
    if outcome.exception is not None:
        build.failures.append(f"dbt: {outcome.exception}")
    build.meta = python_model_meta(workdir / "dbt-target" / "manifest.json")
    return build


def python_model_meta(manifest_path: Path) -> dict[str, dict]:
    """The rendered meta of the python models dbt-spark leaves disabled (their dbt vars)."""
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text())
    meta: dict[str, dict] = {}
    nodes = list(manifest.get("nodes", {}).values())
    nodes += [n for versions in manifest.get("disabled", {}).values() for n in versions]
    for node in nodes:
        if node.get("resource_type") == "model" and node.get("language") == "python":
            meta[node["name"]] = node.get("config", {}).get("meta") or node.get("meta") or {}
    return meta
