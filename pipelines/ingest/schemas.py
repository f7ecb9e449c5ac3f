"""Column contracts of the `raw`, `quarantine` and `audit` schemas.

One source of truth: the parsers produce frames with these business columns, the loader adds the
lineage columns and creates the tables from these definitions (so a raw folder that lacks a source
still yields an empty, correctly typed table that dbt can select from).
"""

from __future__ import annotations

from dataclasses import dataclass

# Lineage carried by every raw and quarantine row. `_row_number` is the 1-based row a person sees in
# the file (spreadsheet row, or text line counting the header line as 1).
LINEAGE_COLUMNS: dict[str, str] = {
    "_source_file": "VARCHAR",  # path relative to the raw folder, forward slashes
    "_sha256": "VARCHAR",
    "_sheet": "VARCHAR",  # sheet name for workbooks, NULL for text files
    "_row_number": "INTEGER",
    "_batch_id": "VARCHAR",  # one batch per (file, load)
    "_loaded_at": "TIMESTAMP",
}


@dataclass(frozen=True)
class RawTable:
    name: str  # table name inside schema `raw`
    source: str  # folder under data/raw that feeds it
    columns: dict[str, str]  # business columns and DuckDB types, in order
    natural_key: tuple[str, ...]  # unique within one file version
    # Columns that identify one country's submission: a newer batch for the same values replaces
    # the older rows in the "current" staging views, while raw keeps every version.
    version_key: tuple[str, ...]

    @property
    def all_columns(self) -> dict[str, str]:
        return {**self.columns, **LINEAGE_COLUMNS}


RAW_TABLES: dict[str, RawTable] = {
    t.name: t
    for t in [
        RawTable(
            name="survey_responses",
            source="survey",
            columns={
                "response_id": "VARCHAR",  # _uuid / KEY / LimeSurvey id, made unique per file
                "iso3": "VARCHAR",
                "round": "INTEGER",  # survey round = reference year
                "form_kind": "VARCHAR",  # kobo | odk | limesurvey | plain
                "submitted_at": "TIMESTAMP",
                "respondent_role": "VARCHAR",  # national | institution
                "institution_id": "VARCHAR",
                "institution_name": "VARCHAR",
                "respondent_key": "VARCHAR",  # HMAC-SHA256 of name+email+phone, never the clear values
                "form_version": "VARCHAR",
                "validation_status": "VARCHAR",
                "unmapped": "JSON",  # columns the codebook does not know: {header: value}
            },
            natural_key=("response_id",),
            version_key=("iso3", "round"),
        ),
        RawTable(
            name="survey_answers",
            source="survey",
            columns={
                "response_id": "VARCHAR",
                "iso3": "VARCHAR",
                "round": "INTEGER",
                "question_code": "VARCHAR",  # codebook code
                "option_code": "VARCHAR",  # select_multiple option or LimeSurvey sub-question, else NULL
                "repeat_group": "VARCHAR",  # repeat group name, NULL for the main sheet
                "repeat_index": "INTEGER",  # position within the repeat group, NULL for the main sheet
                "value_text": "VARCHAR",  # the answer as code (choice code) or text
                "value_number": "DOUBLE",  # numeric value (percent 0-100, yes=1/no=0, Likert 1-5)
            },
            natural_key=("response_id", "question_code", "option_code", "repeat_group", "repeat_index"),
            version_key=("iso3", "round"),
        ),
        RawTable(
            name="institution_counts",
            source="institutions",
            columns={
                "iso3": "VARCHAR",
                "year": "INTEGER",
                "vet_level": "VARCHAR",  # e.g. isced_35, isced_45, nqf_3 ... or 'total'
                "ownership": "VARCHAR",  # public | private | total
                "sex": "VARCHAR",  # female | male | total (institutions are always 'total')
                "measure": "VARCHAR",  # institutions | students | teachers
                "value": "DOUBLE",
            },
            natural_key=("iso3", "year", "vet_level", "ownership", "sex", "measure"),
            version_key=("iso3", "year"),
        ),
        RawTable(
            name="equipment_inventory",
            source="inventory",
            columns={
                "iso3": "VARCHAR",
                "year": "INTEGER",  # reference year of the inventory
                "institution_id": "VARCHAR",
                "institution_name": "VARCHAR",
                "item_code": "VARCHAR",  # equipment taxonomy code
                "category": "VARCHAR",  # equipment taxonomy category
                "quantity": "BIGINT",
                "in_working_order": "BIGINT",
                "year_acquired": "INTEGER",
                "funding_source": "VARCHAR",
            },
            natural_key=("iso3", "year", "institution_id", "item_code", "year_acquired", "funding_source"),
            version_key=("iso3", "year"),
        ),
        RawTable(
            name="institution_connectivity",
            source="inventory",
            columns={
                "iso3": "VARCHAR",
                "year": "INTEGER",
                "institution_id": "VARCHAR",
                "institution_name": "VARCHAR",
                "opened_year": "INTEGER",  # to measure the divide between old and new schools
                "connectivity_type": "VARCHAR",  # fibre | dsl | mobile | satellite | none
                "download_mbps": "DOUBLE",
                "has_electricity": "BOOLEAN",
                "has_computer_lab": "BOOLEAN",
                "students": "BIGINT",
            },
            natural_key=("iso3", "year", "institution_id"),
            version_key=("iso3", "year"),
        ),
        RawTable(
            name="official_series",
            source="official",
            columns={
                "iso3": "VARCHAR",
                "year": "INTEGER",
                "indicator": "VARCHAR",  # indicator catalogue code
                "value": "DOUBLE",
                "source": "VARCHAR",
                "note": "VARCHAR",
            },
            natural_key=("iso3", "year", "indicator"),
            version_key=("iso3", "year", "indicator"),
        ),
    ]
}

SOURCES: dict[str, tuple[str, ...]] = {}
for _table in RAW_TABLES.values():
    SOURCES.setdefault(_table.source, ())
    SOURCES[_table.source] = (*SOURCES[_table.source], _table.name)

# quarantine.<table>: one row per rejected input row, original cells kept verbatim.
QUARANTINE_COLUMNS: dict[str, str] = {
    "reason_code": "VARCHAR",
    "column_name": "VARCHAR",
    "message": "VARCHAR",  # names file, row and column
    "original": "JSON",  # {header: raw cell text} exactly as read
    **LINEAGE_COLUMNS,
}

AUDIT_LOADS_COLUMNS: dict[str, str] = {
    "batch_id": "VARCHAR",
    "source": "VARCHAR",
    "source_file": "VARCHAR",
    "sha256": "VARCHAR",
    "size_bytes": "BIGINT",
    "detected_format": "VARCHAR",  # csv | xlsx | kobo-xlsx | limesurvey-csv | ...
    "detected_encoding": "VARCHAR",
    "rows_read": "BIGINT",
    "rows_landed": "BIGINT",
    "rows_quarantined": "BIGINT",
    "status": "VARCHAR",  # loaded | rejected | duplicate
    "reason_code": "VARCHAR",  # for rejected files
    "message": "VARCHAR",
    "unknown_columns": "JSON",  # schema drift: headers kept in `unmapped`
    "started_at": "TIMESTAMP",
    "loaded_at": "TIMESTAMP",
}
