"""Run the real dbt project against a throw-away DuckDB file with hand-made raw rows.

Raw tables are created from `pipelines/ingest/schemas.py` (the loader's contract), so tests see
exactly the columns the loader writes. A scenario = a seeds folder (the defaults overlaid by the
scenario's own files, as the lead composes them) + raw rows + dbt vars; one `dbt build` per
scenario, shared by its tests through a session fixture.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.ingest.schemas import AUDIT_LOADS_COLUMNS, RAW_TABLES

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DEFAULT_SEEDS = REPO / "data" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Seeds the dbt project needs whatever the scenario: the fixture versions keep tests independent of
# the generator's full lists (and of their changes).
FIXTURE_SEEDS = ("countries.csv", "equipment_taxonomy.csv")


def compose_seeds(target: Path, overrides: dict[str, str] | None = None) -> Path:
    """Default seeds, then the test fixtures, then the scenario's own CSV texts (name -> text)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in (
        "survey_codebook.csv",
        "survey_choices.csv",
        "indicator_catalogue.csv",
        "national_targets.csv",
        "weights.csv",
    ):
        shutil.copyfile(DEFAULT_SEEDS / name, target / name)
    for name in FIXTURE_SEEDS:
        shutil.copyfile(FIXTURES / name, target / name)
    for name, text in (overrides or {}).items():
        (target / name).write_text(text.strip() + "\n", encoding="utf-8")
    return target


def csv_text(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


@dataclass
class RawData:
    """Raw rows per table; lineage columns get defaults (one batch per file)."""

    rows: dict[str, list[dict]] = field(default_factory=dict)

    def add(
        self,
        table: str,
        file: str = "test.csv",
        batch: str = "b1",
        loaded_at: datetime | None = None,
        **values,
    ) -> None:
        assert table in RAW_TABLES, table
        unknown = set(values) - set(RAW_TABLES[table].columns)
        assert not unknown, f"{table}: unknown columns {unknown}"
        row = {column: values.get(column) for column in RAW_TABLES[table].columns}
        row.update(
            _source_file=f"{RAW_TABLES[table].source}/{file}",
            _sha256="0" * 64,
            _sheet=None,
            _row_number=len(self.rows.get(table, [])) + 2,
            _batch_id=batch,
            _loaded_at=loaded_at or datetime(2025, 1, 1),
        )
        self.rows.setdefault(table, []).append(row)

    def answer(
        self,
        iso3: str,
        round_: int,
        response_id: str,
        role: str,
        answers: dict[str, object],
        institution_id: str | None = None,
        file: str = "survey.csv",
        batch: str = "s1",
        options: dict[str, list[str]] | None = None,
        loaded_at: datetime | None = None,
    ) -> None:
        """One submission: numbers go to value_number, text to value_text; options tick options."""
        self.add(
            "survey_responses",
            file=file,
            batch=batch,
            loaded_at=loaded_at,
            response_id=response_id,
            iso3=iso3,
            round=round_,
            form_kind="plain",
            respondent_role=role,
            institution_id=institution_id,
            submitted_at=datetime(round_, 6, 1),
        )
        for question, value in answers.items():
            number = value if isinstance(value, int | float) else None
            text = None if number is not None else value
            self.add(
                "survey_answers",
                file=file,
                batch=batch,
                loaded_at=loaded_at,
                response_id=response_id,
                iso3=iso3,
                round=round_,
                question_code=question,
                value_number=number,
                value_text=text,
            )
        for question, ticked in (options or {}).items():
            for option in ticked:
                self.add(
                    "survey_answers",
                    file=file,
                    batch=batch,
                    loaded_at=loaded_at,
                    response_id=response_id,
                    iso3=iso3,
                    round=round_,
                    question_code=question,
                    option_code=option,
                    value_number=1,
                )

    def official(self, iso3: str, year: int, indicator: str, value: float | None, **kw) -> None:
        self.add(
            "official_series",
            file=kw.pop("file", "official.csv"),
            iso3=iso3,
            year=year,
            indicator=indicator,
            value=value,
            source="test",
            **kw,
        )


def create_warehouse(path: Path, raw: RawData) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        for schema in ("raw", "audit"):
            con.execute(f"create schema if not exists {schema}")
        for table in RAW_TABLES.values():
            cols = ", ".join(f'"{c}" {t}' for c, t in table.all_columns.items())
            con.execute(f"create table raw.{table.name} ({cols})")
            rows = raw.rows.get(table.name, [])
            if rows:
                names = list(table.all_columns)
                placeholders = ", ".join("?" for _ in names)
                con.executemany(
                    f"insert into raw.{table.name} values ({placeholders})",
                    [[r[n] for n in names] for r in rows],
                )
        cols = ", ".join(f'"{c}" {t}' for c, t in AUDIT_LOADS_COLUMNS.items())
        con.execute(f"create table audit.loads ({cols})")
    finally:
        con.close()


@dataclass
class DbtRun:
    success: bool
    results: list
    warehouse: Path
    log: str

    def failures(self) -> list[str]:
        return [
            f"{r.node.unique_id}: {r.status} {r.message}"
            for r in self.results
            if str(r.status) not in ("success", "pass", "RunStatus.Success", "TestStatus.Pass")
        ]

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def frame(self, sql: str):
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql).df()
        finally:
            con.close()


def run_dbt(
    command: list[str], workdir: Path, warehouse: Path, seeds_dir: Path, extra_vars: dict | None = None
) -> DbtRun:
    from dbt.cli.main import dbtRunner

    # seeds_dir relative to dbt_project/: an absolute one makes dbt overwrite the seed CSVs
    # (macros/assert_seeds_dir_relative.sql).
    variables = {
        "warehouse_path": str(warehouse),
        "seeds_dir": os.path.relpath(seeds_dir, DBT_PROJECT),
        **(extra_vars or {}),
    }
    args = [
        *command,
        "--project-dir",
        str(DBT_PROJECT),
        "--profiles-dir",
        str(DBT_PROJECT),
        "--target-path",
        str(workdir / "target"),
        "--log-path",
        str(workdir / "logs"),
        "--vars",
        json.dumps(variables),
        "--no-partial-parse",
        "--quiet",
        "--no-send-anonymous-usage-stats",
    ]
    result = dbtRunner().invoke(args)
    _release_duckdb()
    results = list(result.result) if result.result is not None and hasattr(result.result, "__iter__") else []
    log_file = workdir / "logs" / "dbt.log"
    log = log_file.read_text(encoding="utf-8", errors="replace")[-20000:] if log_file.exists() else ""
    if result.exception is not None:
        log += f"\nEXCEPTION: {result.exception!r}"
    return DbtRun(result.success, results, warehouse, log)


def _release_duckdb() -> None:
    """dbt-duckdb keeps the database open in-process after an in-process run; close it so the
    tests (and the next scenario) can open their own connections."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def build_scenario(
    workdir: Path,
    raw: RawData,
    seed_overrides: dict[str, str] | None = None,
    extra_vars: dict | None = None,
    command: tuple[str, ...] = ("build",),
) -> DbtRun:
    seeds = compose_seeds(workdir / "seeds", seed_overrides)
    warehouse = workdir / "warehouse.duckdb"
    if warehouse.exists():
        warehouse.unlink()
    create_warehouse(warehouse, raw)
    return run_dbt(list(command), workdir, warehouse, seeds, extra_vars)


def at(day: int) -> datetime:
    return datetime(2025, 1, 1) + timedelta(days=day)
