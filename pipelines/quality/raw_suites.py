"""Suites for the raw tables (schemas.RAW_TABLES), judged on the current rows of each version key.

Raw keeps every file version; the rows that count are those of the latest batch per version key,
the same rule as the dbt macro `current_rows` (latest `_loaded_at`, ties broken by `_batch_id`).

The row bounds come from the parsers' row rules (pipelines/ingest/rows/rules.py), so a row these checks
reject has been quarantined at ingest already: a failure here means a parser let it through (a bug)
or a table out of shape, never one file's odd row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import great_expectations as gx
import great_expectations.expectations as gxe

from pipelines.ingest.rows.rules import (
    FIRST_ACQUISITION_YEAR,
    FIRST_OPENED_YEAR,
    FIRST_YEAR,
    MAX_MBPS,
    PERCENT_MAX,
    PERCENT_MIN,
    PERCENT_SUFFIX,
    last_year,
)
from pipelines.ingest.schemas import LINEAGE_COLUMNS, RAW_TABLES, RawTable
from pipelines.quality.reductions import column_contract, row_count_vs_previous, sql_literal, unique_key
from pipelines.quality.reference import Reference
from pipelines.quality.spec import ERROR, WARN, TableSuite


def current_rows_sql(table: RawTable) -> str:
    """Rows of the current batch per version key (the dbt macro `current_rows`: the file whose path
    sorts last, then its latest load), as a semi-join on the (small) set of such batches.

    Equivalent to the dbt macro's `QUALIFY dense_rank() ... = 1`, but the window runs over distinct
    (key, batch) pairs instead of every row, so DuckDB streams the table rather than materialising
    all its columns: peak memory on 10M rows drops by gigabytes.
    """
    key = ", ".join(table.version_key)
    same_key = " AND ".join(f"t.{c} IS NOT DISTINCT FROM b.{c}" for c in table.version_key)
    return f"""
        SELECT t.* FROM raw.{table.name} AS t
        SEMI JOIN (
            SELECT {key}, _batch_id
            FROM (SELECT DISTINCT {key}, _batch_id, _source_file, _loaded_at FROM raw.{table.name})
            QUALIFY dense_rank() OVER (
                PARTITION BY {key} ORDER BY _source_file DESC, _loaded_at DESC, _batch_id DESC
            ) = 1
        ) AS b ON {same_key} AND t._batch_id IS NOT DISTINCT FROM b._batch_id
    """


def raw_suite(table_name: str, ref: Reference) -> TableSuite:
    table = RAW_TABLES[table_name]
    name = f"raw.{table_name}"
    rows_sql = current_rows_sql(table)
    specific = _SPECIFIC[table_name](ref)
    return TableSuite(
        name=name,
        relation=name,
        rows_sql=rows_sql,
        rows=gx.ExpectationSuite(
            name=f"{name}.rows", expectations=[*_common(table, ref), *specific.expectations]
        ),
        id_columns=("_source_file", "_row_number"),
        derived=specific.derived,
        reductions=(
            column_contract(name, name, table.all_columns),
            unique_key(name, rows_sql, table.natural_key, per_batch=True),
            row_count_vs_previous(name, rows_sql),
        ),
        batch_column="_batch_id",
    )


@dataclass(frozen=True)
class _Specific:
    expectations: list[gxe.Expectation]
    derived: dict[str, str] = field(default_factory=dict)  # see TableSuite.derived


def _common(table: RawTable, ref: Reference) -> list[gxe.Expectation]:
    year_column = "round" if "round" in table.columns else "year"
    lineage = [c for c in LINEAGE_COLUMNS if c not in ("_sheet",)]  # _sheet is NULL for text files
    return [
        *[
            gxe.ExpectColumnValuesToNotBeNull(column=c, severity=ERROR)
            for c in ("iso3", year_column, *lineage)
        ],
        gxe.ExpectColumnValuesToBeInSet(column="iso3", value_set=sorted(ref.countries), severity=ERROR),
        gxe.ExpectColumnValuesToBeBetween(
            column=year_column, min_value=FIRST_YEAR, max_value=last_year(ref.current_year), severity=ERROR
        ),
    ]


def _in_set(column: str, values: list[str], severity=ERROR) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=values, severity=severity)


def _not_negative(column: str) -> gxe.Expectation:
    return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=0, severity=ERROR)


def _survey_responses(ref: Reference) -> _Specific:
    return _Specific(
        [
            gxe.ExpectColumnValuesToNotBeNull(column="response_id", severity=ERROR),
            _in_set("form_kind", ["kobo", "odk", "limesurvey", "plain"]),
            _in_set("respondent_role", ["national", "institution"]),
            # Identity is stored only as an HMAC-SHA256; anything else may be a clear name or email.
            gxe.ExpectColumnValuesToMatchRegex(
                column="respondent_key", regex=r"^[0-9a-f]{64}$", severity=ERROR
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="submitted_at",
                min_value=dt.datetime(FIRST_YEAR, 1, 1),
                max_value=dt.datetime(ref.current_year + 2, 1, 1),
                severity=WARN,
            ),
        ]
    )


def _survey_answers(ref: Reference) -> _Specific:
    # DuckDB derives a column holding only the answers whose codebook unit is percent (count), so
    # GX's plain between-expectation applies to exactly those rows (NULLs are not judged).
    return _Specific(
        [
            gxe.ExpectColumnValuesToNotBeNull(column="response_id", severity=ERROR),
            gxe.ExpectColumnValuesToNotBeNull(column="question_code", severity=ERROR),
            _in_set("question_code", sorted(ref.question_codes), WARN),
            gxe.ExpectColumnValuesToBeBetween(
                column="percent_value", min_value=PERCENT_MIN, max_value=PERCENT_MAX, severity=ERROR
            ),
            _not_negative("count_value"),
        ],
        derived={
            "percent_value": _value_if_in("value_number", "question_code", ref.percent_questions),
            "count_value": _value_if_in("value_number", "question_code", ref.count_questions),
        },
    )


def _institution_counts(ref: Reference) -> _Specific:
    return _Specific(
        [
            gxe.ExpectColumnValuesToNotBeNull(column="vet_level", severity=ERROR),
            _in_set("ownership", ["public", "private", "total"]),
            _in_set("sex", ["female", "male", "total"]),
            _in_set("measure", ["institutions", "students", "teachers"]),
            gxe.ExpectColumnValuesToNotBeNull(column="value", severity=WARN),
            _not_negative("value"),
        ]
    )


def _equipment_inventory(ref: Reference) -> _Specific:
    return _Specific(
        [
            gxe.ExpectColumnValuesToNotBeNull(column="institution_id", severity=ERROR),
            gxe.ExpectColumnValuesToNotBeNull(column="item_code", severity=ERROR),
            _in_set("item_code", sorted(ref.item_codes), WARN),
            _not_negative("quantity"),
            _not_negative("in_working_order"),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="quantity",
                column_B="in_working_order",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=ERROR,
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="year_acquired",
                min_value=FIRST_ACQUISITION_YEAR,
                max_value=last_year(ref.current_year),
                severity=ERROR,
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="year",
                column_B="year_acquired",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=ERROR,
            ),
        ]
    )


def _institution_connectivity(ref: Reference) -> _Specific:
    return _Specific(
        [
            gxe.ExpectColumnValuesToNotBeNull(column="institution_id", severity=ERROR),
            _in_set("connectivity_type", ["fibre", "dsl", "mobile", "satellite", "none"]),
            _not_negative("download_mbps"),
            gxe.ExpectColumnValuesToBeBetween(column="download_mbps", max_value=MAX_MBPS, severity=WARN),
            _not_negative("students"),
            gxe.ExpectColumnValuesToBeBetween(
                column="opened_year",
                min_value=FIRST_OPENED_YEAR,
                max_value=last_year(ref.current_year),
                severity=WARN,
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="year",
                column_B="opened_year",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=WARN,
            ),
        ]
    )


def _official_series(ref: Reference) -> _Specific:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(column="indicator", severity=ERROR),
        gxe.ExpectColumnValuesToNotBeNull(column="value", severity=ERROR),
        gxe.ExpectColumnValuesToBeBetween(
            column="percent_value", min_value=PERCENT_MIN, max_value=PERCENT_MAX, severity=ERROR
        ),
    ]
    if ref.indicator_codes:  # without a catalogue (raw checks before seeds) there is nothing to compare
        expectations.append(_in_set("indicator", sorted(ref.indicator_codes), WARN))
    # Unit pct: from the catalogue when there is one, else the `_pct` naming convention of its codes.
    percent = ref.percent_indicators
    condition = (
        _in_list("indicator", percent) if percent else f"indicator LIKE '%\\{PERCENT_SUFFIX}' ESCAPE '\\'"
    )
    return _Specific(expectations, derived={"percent_value": f"CASE WHEN {condition} THEN value END"})


def _value_if_in(value: str, code: str, codes: frozenset[str]) -> str:
    return f"CASE WHEN {_in_list(code, codes)} THEN {value} END" if codes else "CAST(NULL AS DOUBLE)"


def _in_list(column: str, codes: frozenset[str]) -> str:
    return f"{column} IN ({', '.join(sql_literal(c) for c in sorted(codes))})"


_SPECIFIC: dict[str, Callable[[Reference], _Specific]] = {
    "survey_responses": _survey_responses,
    "survey_answers": _survey_answers,
    "institution_counts": _institution_counts,
    "equipment_inventory": _equipment_inventory,
    "institution_connectivity": _institution_connectivity,
    "official_series": _official_series,
}
