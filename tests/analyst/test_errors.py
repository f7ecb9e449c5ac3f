"""Mistakes give one line and exit code 2; a damaged published file names the command that restores it."""

from __future__ import annotations

import os

import pytest

from pipelines.cli import main
from tests.analyst.conftest import NEW, OLD


def _one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err.strip()


@pytest.mark.parametrize("sql", ["", "   \n", "-- a comment only\n", "/* block */ -- and line\n"])
def test_empty_or_comment_only_query(sql, env, capsys):
    assert main(["sql", sql]) == 2
    assert _one_line(capsys) == "the query: nothing to run (the query is empty or only comments)"


def test_missing_query_file(env, capsys):
    assert main(["sql", "queries/99_nope.sql"]) == 2
    assert _one_line(capsys) == "no such query file: queries/99_nope.sql"


def test_warehouse_is_a_folder(env, capsys, tmp_path):
    assert main(["sql", "select 1", "--warehouse", str(tmp_path)]) == 2
    assert (
        _one_line(capsys)
        == f"{tmp_path} is a folder, not a DuckDB file: point --warehouse at the published warehouse file"
    )


def test_warehouse_is_not_duckdb(env, capsys, tmp_path):
    other = tmp_path / "notes.duckdb"
    other.write_text("iso3,score\nGUY,1\n")
    assert main(["sql", "select 1", "--warehouse", str(other)]) == 2
    assert (
        _one_line(capsys)
        == f"{other} is not a DuckDB database file: point --warehouse at the published warehouse file"
    )


def test_no_warehouse_yet(env, capsys, tmp_path):
    missing = tmp_path / "none" / "vetdx.duckdb"
    assert main(["sql", "select 1", "--warehouse", str(missing)]) == 2
    assert _one_line(capsys) == f"no published warehouse at {missing}: run `vetdx refresh` first"


def test_failed_query_is_one_line_exit_1(env, capsys):
    assert main(["sql", "select * from marts.nope"]) == 1
    assert _one_line(capsys).startswith("query failed: Catalog Error: Table with name nope does not exist")


def test_truncated_published_file_then_rollback_restores_the_newest_intact(store, env, capsys):
    size = store.published.stat().st_size
    os.truncate(store.published, size // 2)  # the hard link: version NEW is truncated with it
    assert main(["sql", "select count(*) from marts.countries"]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"{store.published} is damaged (is truncated: {size // 2:,} bytes of the {size:,}")
    assert line.endswith(
        "run `vetdx rollback` to publish the newest intact version (`vetdx versions` lists them)"
    )

    assert main(["rollback"]) == 0
    assert f"published version is now {OLD}" in capsys.readouterr().out
    assert (
        main(
            [
                "sql",
                "select score from marts.gap_indices where iso3 = 'GUY' and round = 2025",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.split() == ["score", "70.0"]  # the older version's value
    assert (store.root / "CURRENT").read_text().strip() == OLD != NEW


def test_flipped_byte_is_reported_as_damage(store, env, capsys):
    data = bytearray(store.published.read_bytes())
    data[12288 + 100] ^= 0xFF  # inside the first block: its checksum no longer matches
    store.published.write_bytes(bytes(data))
    assert main(["sql", "select count(*) from marts.countries"]) == 2
    line = _one_line(capsys)
    assert "is damaged (IO Error: Corrupt database file: computed checksum" in line
    assert "run `vetdx rollback`" in line
