"""CSV and Parquet of every public mart: the same data gives the same bytes, in every language."""

from __future__ import annotations

from pathlib import Path

import polars as pl

UTF8_BOM = b"\xef\xbb\xbf"  # Excel opens a BOM-less UTF-8 CSV as Windows-1252 and garbles Arabic names
CSV_DECIMALS = 6
LIST_SEPARATOR = "; "


def csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """CSV cannot hold list columns (lineage files); they become `a; b` text, in their stored order."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(LIST_SEPARATOR) for name in lists)


def write_csv(frame: pl.DataFrame, path: Path) -> Path:
    body = (
        csv_ready(frame)
        .write_csv(None, float_precision=CSV_DECIMALS, null_value="", line_terminator="\n")
        .encode("utf-8")
    )
    path.write_bytes(UTF8_BOM + body)
    return path


def write_parquet(frame: pl.DataFrame, path: Path) -> Path:
    # One row group and no statistics timestamp: Polars writes no creation time, so the bytes depend
    # on the data alone.
    frame.write_parquet(path, compression="zstd", compression_level=3, row_group_size=max(frame.height, 1))
    return path


def write_mart_files(marts: dict[str, pl.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in marts.items():
        written.append(write_csv(frame, folder / f"{name}.csv"))
        written.append(write_parquet(frame, folder / f"{name}.parquet"))
    return written
