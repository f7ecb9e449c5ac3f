"""Compare one mart as two engines built it: row counts, keys, and every column's values.

Pure (pandas in, dataclasses out), so it is tested without any engine. Numbers agree when
|a - b| <= tolerance * max(1, |a|, |b|) (1e-9 by default: the engines sum in different orders, so
the last bits of a double may differ, never more); text, booleans and integers must be equal; lists
(lineage files and batches) are compared as sets, because neither engine gives their order a meaning
(DuckDB's list_distinct does not keep one); NULL only matches NULL.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import pandas as pd

TOLERANCE = 1e-9
EXAMPLES = 5  # differing cells shown per mart: enough to see a pattern, short enough to read


@dataclass
class ColumnDifference:
    column: str
    differing_rows: int
    max_abs_difference: float | None  # numbers only
    examples: list[dict] = field(default_factory=list)


@dataclass
class MartComparison:
    mart: str
    key: tuple[str, ...]
    rows_reference: int
    rows_candidate: int
    keys_only_in_reference: int = 0
    keys_only_in_candidate: int = 0
    duplicate_keys: int = 0
    columns_only_in_reference: list[str] = field(default_factory=list)
    columns_only_in_candidate: list[str] = field(default_factory=list)
    columns_compared: int = 0
    max_abs_difference: float = 0.0
    differences: list[ColumnDifference] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return (
            self.rows_reference == self.rows_candidate
            and not (self.keys_only_in_reference or self.keys_only_in_candidate or self.duplicate_keys)
            and not (self.columns_only_in_reference or self.columns_only_in_candidate)
            and not self.differences
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "key": list(self.key), "identical": self.identical}


def compare_mart(
    mart: str,
    key: tuple[str, ...],
    reference: pd.DataFrame,
    candidate: pd.DataFrame,
    tolerance: float = TOLERANCE,
) -> MartComparison:
    """`reference` (DuckDB's mart) against `candidate` (another engine's), matched on `key`."""
    result = MartComparison(mart, tuple(key), len(reference), len(candidate))
    ref_columns, cand_columns = list(reference.columns), list(candidate.columns)
    result.columns_only_in_reference = [c for c in ref_columns if c not in cand_columns]
    result.columns_only_in_candidate = [c for c in cand_columns if c not in ref_columns]
    result.duplicate_keys = int(reference.duplicated(list(key)).sum() + candidate.duplicated(list(key)).sum())
    ref_keys, cand_keys = _keys(reference, key), _keys(candidate, key)
    result.keys_only_in_reference = len(ref_keys - cand_keys)
    result.keys_only_in_candidate = len(cand_keys - ref_keys)
    if result.duplicate_keys:
        return result  # rows cannot be paired
    merged = _normalised_keys(reference, key).merge(
        _normalised_keys(candidate, key), on=list(key), how="inner", suffixes=("__ref", "__cand")
    )
    shared = [c for c in ref_columns if c in cand_columns and c not in key]
    result.columns_compared = len(shared)
    for column in shared:
        difference = _compare_column(merged, key, column, tolerance)
        if difference.max_abs_difference is not None:
            result.max_abs_difference = max(result.max_abs_difference, difference.max_abs_difference)
        if difference.differing_rows:
            result.differences.append(difference)
    return result


def _normalised_keys(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.DataFrame:
    """Keys as plain Python values (int32 on one side and int64 on the other still match)."""
    out = frame.copy()
    for column in key:
        out[column] = [_plain(v) for v in out[column]]
    return out


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> set[tuple]:
    return {tuple(_plain(v) for v in row) for row in frame[list(key)].itertuples(index=False, name=None)}


def _plain(value: object) -> object:
    if _is_null(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        try:
            return value.item()
        except (ValueError, AttributeError):
            pass
    return value


def _is_null(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(pd.isna(value)) if not hasattr(value, "__len__") or isinstance(value, str) else False
    except (TypeError, ValueError):
        return False


def _compare_column(
    merged: pd.DataFrame, key: tuple[str, ...], column: str, tolerance: float
) -> ColumnDifference:
    differing, largest, examples = 0, None, []
    for row in merged[[*key, f"{column}__ref", f"{column}__cand"]].itertuples(index=False, name=None):
        *key_values, a, b = row
        same, gap = values_match(a, b, tolerance)
        if gap is not None:
            largest = gap if largest is None else max(largest, gap)
        if not same:
            differing += 1
            if len(examples) < EXAMPLES:
                examples.append({"key": list(key_values), "reference": _show(a), "candidate": _show(b)})
    return ColumnDifference(column, differing, largest, examples)


def values_match(a: object, b: object, tolerance: float = TOLERANCE) -> tuple[bool, float | None]:
    """Whether two cells agree, and their absolute difference when both are numbers."""
    a_null, b_null = _is_null(a), _is_null(b)
    if a_null or b_null:
        return a_null and b_null, None
    if _is_list(a) or _is_list(b):
        if not (_is_list(a) and _is_list(b)):
            return False, None
        return sorted(map(str, a)) == sorted(map(str, b)), None
    a, b = _plain(a), _plain(b)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b, None
    if isinstance(a, int | float) and isinstance(b, int | float):
        if math.isinf(a) or math.isinf(b):
            return a == b, None
        gap = abs(float(a) - float(b))
        return gap <= tolerance * max(1.0, abs(a), abs(b)), gap
    return a == b, None


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple) or (hasattr(value, "__len__") and hasattr(value, "dtype"))


def _show(value: object) -> object:
    if _is_list(value):
        return sorted(map(str, value))
    value = _plain(value)
    return value if isinstance(value, int | float | str | bool) or value is None else str(value)
