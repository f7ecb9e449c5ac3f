"""Equipment taxonomy lookup: an item code or its name in EN/FR/AR -> (item_code, category)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipelines.ingest.vocab.text import fold


@dataclass(frozen=True)
class EquipmentTaxonomy:
    items: Mapping[str, tuple[str, str]]  # folded code or name -> (item_code, category)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> EquipmentTaxonomy:
        items: dict[str, tuple[str, str]] = {}
        for row in rows:
            entry = (row["item_code"], row.get("category", ""))
            for col in ("item_code", "name_en", "name_fr", "name_ar"):
                if row.get(col):
                    items.setdefault(fold(row[col]), entry)
        return cls(items)

    def resolve(self, text: str | None) -> tuple[str, str] | None:
        return self.items.get(fold(text)) if text else None
