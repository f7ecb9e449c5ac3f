"""Read the public marts of a published warehouse file, read-only, in a stable row order."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import duckdb
import polars as pl

# Public mart -> natural key. Rows are written in key order so two exports of the same version match
# byte for byte (DuckDB returns rows in no guaranteed order without ORDER BY).
PUBLIC_MARTS: dict[str, tuple[str, ...]] = {
    "countries": ("iso3",),
    "indicators": ("code",),
    "indicator_values": ("iso3", "round", "indicator"),
    "scores": ("iso3", "round", "node"),
    "gap_indices": ("iso3", "round", "dimension"),
    "benchmarks": ("round", "node", "group_type", "group_value", "benchmark"),
    "rank_intervals": ("iso3", "round", "dimension"),
}

DIMENSION_ORDER: tuple[str, ...] = (
    "overall",
    "infrastructure",
    "digital_skills",
    "curriculum_content",
    "policy_governance",
    "finance_sustainability",
)


@dataclass(frozen=True)
class PublishedData:
    """The marts of one version plus the audit record that says what the version is made of.

    The derived facts are cached: every sheet, chart and page of a set asks for them again.
    """

    marts: dict[str, pl.DataFrame]
    version_record: dict

    @cached_property
    def data_label(self) -> str | None:
        labels = self.marts["countries"]["data_label"].drop_nulls().unique().to_list()
        return labels[0] if labels else None

    @cached_property
    def rounds(self) -> list[int]:
        return sorted(self.marts["gap_indices"]["round"].unique().to_list())

    @cached_property
    def latest_round(self) -> int:
        """The latest round with at least one overall score (a round of empty rows is not news)."""
        scored = self.marts["gap_indices"].filter(
            (pl.col("dimension") == "overall") & pl.col("score").is_not_null()
        )
        source = scored if scored.height else self.marts["gap_indices"]
        return int(source["round"].max())

    @cached_property
    def dimensions(self) -> list[str]:
        """Dimension codes in the catalogue's order (the overall index first), so a reused catalogue works."""
        nodes = self.marts["indicators"].filter(pl.col("node_type").is_in(["index", "dimension"]))
        known = {c: i for i, c in enumerate(DIMENSION_ORDER)}
        codes = nodes.sort("level", "code")["code"].to_list()
        return sorted(codes, key=lambda c: (c != "overall", known.get(c, len(known)), c))


def read_published(warehouse: Path, version: str | None = None) -> PublishedData:
    """Every public mart and the `audit.versions` row of `version` (the latest one when None)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = {
            name: con.execute(
                f"SELECT * FROM marts.{name} ORDER BY {', '.join(f'{k} NULLS FIRST' for k in keys)}"
            ).pl()
            for name, keys in PUBLIC_MARTS.items()
        }
        record = _version_record(con, version)
    return PublishedData(marts=marts, version_record=record)


def _version_record(con: duckdb.DuckDBPyConnection, version: str | None) -> dict:
    where, params = ("WHERE version_id = $v", {"v": version}) if version else ("", {})
    row = con.execute(
        "SELECT version_id, run_id, published_at, code_version, data_label, input_files, row_counts "
        f"FROM audit.versions {where} ORDER BY published_at DESC LIMIT 1",
        params,
    ).fetchone()
    if row is None:
        return {}
    keys = ("version_id", "run_id", "published_at", "code_version", "data_label", "input_files", "row_counts")
    record = dict(zip(keys, row, strict=True))
    record["published_at"] = record["published_at"].isoformat() if record["published_at"] else None
    for key in ("input_files", "row_counts"):
        record[key] = json.loads(record[key]) if record[key] else None
    return record
