"""`vetdx portability --engine spark`: the same dbt project on another engine, proved mart by mart.

1. export the build's raw, audit and reference tables to Parquet (parquet_export);
2. `dbt build` on Spark local mode over them (spark);
3. the two python marts from Spark's tables through the same engine-neutral functions
   (uncertainty_marts);
4. every public mart compared with DuckDB's on its key (compare): row counts, keys, values within
   1e-9; a table on stdout and the whole comparison as JSON.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.exports.marts import PUBLIC_MARTS
from pipelines.portability import compare, parquet_export, spark, uncertainty_marts

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
# Every mart of the project: the public ones plus the Sobol indices (not exported, still a mart).
MARTS: dict[str, tuple[str, ...]] = {**PUBLIC_MARTS, "sensitivity_indices": ("round", "dimension", "choice")}
PYTHON_MARTS = ("rank_intervals", "sensitivity_indices")
INPUTS = {  # what the python marts read, as dbt.ref names them: (schema, table)
    "values": ("intermediate", "int_indicator_values_normalised"),
    "nodes": ("intermediate", "int_catalogue_nodes_resolved"),
    "countries": ("reference", "countries"),
}


@dataclass
class PortabilityReport:
    engine: str
    warehouse: str
    success: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    exported: dict[str, int] = field(default_factory=dict)
    dbt: dict = field(default_factory=dict)
    marts: list[compare.MartComparison] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "engine": self.engine,
            "warehouse": self.warehouse,
            "success": self.success,
            "tolerance": compare.TOLERANCE,
            "seconds": self.seconds,
            "exported_rows": self.exported,
            "dbt": self.dbt,
            "marts": [m.as_dict() for m in self.marts],
        }


def run_portability(warehouse: Path, workdir: Path, engine: str = "spark") -> PortabilityReport:
    if engine != "spark":
        raise ValueError(f"engine {engine!r} is not supported (supported: spark)")
    workdir.mkdir(parents=True, exist_ok=True)
    report = PortabilityReport(engine=engine, warehouse=str(warehouse))
    clock = time.monotonic()

    tables = parquet_export.export_inputs(warehouse, workdir / "parquet")
    report.exported = {f"{t.schema}.{t.name}": t.rows for t in tables}
    reference = read_duckdb_marts(warehouse)
    report.seconds["export"] = round(time.monotonic() - clock, 1)

    clock = time.monotonic()
    session = spark.start_session(workdir)
    spark.register_inputs(session, tables)
    report.seconds["spark_start"] = round(time.monotonic() - clock, 1)

    build = spark.dbt_build(DBT_PROJECT, workdir, {"data_label": data_label_of(reference)})
    report.dbt = {
        "success": build.success,
        "results": build.results,
        "failures": build.failures,
        "models_built": sorted(build.models_built),
    }
    report.seconds["dbt_build"] = round(build.seconds, 1)
    if not build.success:
        return report

    clock = time.monotonic()
    candidate = read_spark_marts(session, [m for m in MARTS if m not in PYTHON_MARTS])
    inputs = {name: session.table(f"`{s}`.`{t}`") for name, (s, t) in INPUTS.items()}
    candidate["rank_intervals"] = uncertainty_marts.rank_intervals(
        inputs["values"], inputs["nodes"], inputs["countries"], build.meta.get("rank_intervals", {})
    )
    candidate["sensitivity_indices"] = uncertainty_marts.sensitivity_indices(
        inputs["values"], inputs["nodes"], inputs["countries"], build.meta.get("sensitivity_indices", {})
    )
    report.seconds["python_marts"] = round(time.monotonic() - clock, 1)

    report.marts = [compare.compare_mart(m, key, reference[m], candidate[m]) for m, key in MARTS.items()]
    report.success = all(m.identical for m in report.marts)
    return report


def read_duckdb_marts(warehouse: Path) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {m: con.execute(f'select * from marts."{m}"').df() for m in MARTS}


def read_spark_marts(session, marts: list[str]) -> dict[str, pd.DataFrame]:
    return {m: session.table(f"marts.`{m}`").toPandas() for m in marts}


def data_label_of(marts: dict[str, pd.DataFrame]) -> str | None:
    """The build's data label (every mart carries it), so Spark's marts carry the same."""
    labels = marts["countries"]["data_label"].dropna().unique()
    return str(labels[0]) if len(labels) else None


def render_table(report: PortabilityReport) -> str:
    lines = [
        f"{'mart':22} {'rows duckdb':>11} {'rows ' + report.engine:>11} {'keys diff':>9} "
        f"{'cols':>4} {'max |diff|':>10}  result"
    ]
    for m in report.marts:
        keys = m.keys_only_in_reference + m.keys_only_in_candidate
        verdict = (
            "identical"
            if m.identical
            else "DIFFERENT: "
            + ", ".join(
                [f"{d.column} ({d.differing_rows} rows)" for d in m.differences]
                + [f"missing column {c}" for c in m.columns_only_in_reference]
                + [f"extra column {c}" for c in m.columns_only_in_candidate]
            )
        )
        lines.append(
            f"{m.mart:22} {m.rows_reference:>11} {m.rows_candidate:>11} {keys:>9} "
            f"{m.columns_compared:>4} {m.max_abs_difference:>10.1e}  {verdict}"
        )
    if report.dbt and not report.dbt.get("success"):
        lines.append("dbt build failed on " + report.engine + ":")
        lines.extend(f"  {f}" for f in report.dbt.get("failures", []))
    return "\n".join(lines)


def write_json(report: PortabilityReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
