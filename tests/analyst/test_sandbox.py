"""Every attack of issue 14, through `vetdx sql` and through `vetdx.connect()`: each is refused in one
line, and the published file and every kept version keep their sha256."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import vetdx
from pipelines.analyst import connection, policy
from pipelines.cli import main
from tests.analyst.conftest import NEW, OLD, Store


def attacks(store: Store, outside: Path) -> dict[str, str]:
    version = store.version(NEW)
    return {
        "attach-version-read-write": (
            f"attach '{version}' as v (read_only false); update v.marts.scores set score = 0"
        ),
        "attach-published-read-write": f"attach '{store.published}' as p (read_write)",
        "attach-new-database": f"attach '{outside / 'new.duckdb'}' as n (read_write)",
        "copy-onto-published": f"copy (select 1) to '{store.published}'",
        # The one the engine's sandbox lets through: DuckDB keeps its own file writable.
        "copy-onto-published-no-tmp": f"copy (select 1) to '{store.published}' (use_tmp_file false)",
        "copy-onto-version": f"copy (select 1) to '{store.version(OLD)}' (use_tmp_file false)",
        "copy-anywhere": f"copy (select 1) to '{outside / 'x.csv'}'",
        "explain-analyze-copy": (
            f"explain analyze copy (select 42) to '{store.published}' (use_tmp_file false)"
        ),
        "copy-after-a-query": f"select 1; copy (select 1) to '{store.published}' (use_tmp_file false)",
        "read-csv-passwd": "select * from read_csv('/etc/passwd')",
        "glob-etc": "select * from glob('/etc/*')",
        "read-text-outside": f"select * from read_text('{outside / 'secret.txt'}')",
        "export-database": f"export database '{outside / 'dump'}'",
        "install-httpfs": "install httpfs",
        "load-httpfs": "load httpfs",
        "set-external-access": "set enable_external_access = true",
        "unlock": "set lock_configuration = false",
        "set-threads": "set threads = 1",
        "reset": "reset memory_limit",
        "pragma-setting": "pragma enable_profiling",
        "prepare-copy": f"prepare p as copy (select 1) to '{store.published}' (use_tmp_file false)",
        "update-mart": "update marts.scores set score = 0 where iso3 = 'GUY'",
        "create-in-warehouse": "create table marts.mine as select 1 as x",
        "drop-mart": "drop table marts.scores",
        "checkpoint-write": "insert into marts.countries values ('XXX', 'x', 'Arab', null)",
    }


ATTACK_NAMES = sorted(attacks(Store(Path("/w")), Path("/o")))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("not for analysts")
    return folder


def _untouched(store: Store, before: dict[str, str], outside: Path) -> None:
    assert store.hashes() == before  # every file, same bytes; no file added beside them either
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert not store.root.with_name("new.duckdb").exists()


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_vetdx_sql_refuses_in_one_line(name, store, outside, env, capsys):
    before = store.hashes()
    code = main(["sql", attacks(store, outside)[name]])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("refused: ")
    assert "is not allowed for analysts" in err
    _untouched(store, before, outside)


@pytest.mark.parametrize("name", ATTACK_NAMES)
def test_python_entry_point_refuses(name, store, outside, env):
    before = store.hashes()
    with vetdx.connect() as con, pytest.raises(vetdx.Refused, match="is not allowed for analysts"):
        rel = con.sql(attacks(store, outside)[name])
        if rel is not None:
            rel.fetchall()
    _untouched(store, before, outside)


def test_a_script_with_a_refused_statement_runs_nothing(store, outside, env, capsys):
    """The check comes before the first statement: no half-run script."""
    sql = "create temp table t as select 1 as x; copy t to '" + str(outside / "t.csv") + "'"
    assert main(["sql", sql]) == 2
    assert not (outside / "t.csv").exists()


@pytest.mark.parametrize("method", sorted(connection.RELATION_WRITES))
def test_relation_writing_methods_are_refused(method, store, outside, env):
    before = store.hashes()
    with vetdx.connect() as con:
        rel = con.sql("select * from marts.countries")
        with pytest.raises(vetdx.Refused, match=f"relation.{method}"):
            getattr(rel, method)(str(store.published))
    _untouched(store, before, outside)


def test_every_relation_method_is_reviewed():
    """A DuckDB upgrade that adds a relation method fails here until it is sorted as read or write."""
    reads = {
        "aggregate", "alias", "any_value", "apply", "arg_max", "arg_min", "arrow", "avg", "bit_and",
        "bit_or", "bit_xor", "bitstring_agg", "bool_and", "bool_or", "close", "columns", "count", "cross",
        "cume_dist", "dense_rank", "describe", "description", "df", "distinct", "dtypes", "except_",
        "execute", "explain", "favg", "fetch_arrow_reader", "fetch_arrow_table", "fetch_df_chunk",
        "fetch_record_batch", "fetchall", "fetchdf", "fetchmany", "fetchnumpy", "fetchone", "filter",
        "first", "first_value", "fsum", "geomean", "histogram", "intersect", "join", "lag", "last",
        "last_value", "lead", "limit", "list", "map", "max", "mean", "median", "min", "mode", "n_tile",
        "nth_value", "order", "percent_rank", "pl", "product", "project", "quantile", "quantile_cont",
        "quantile_disc", "rank", "rank_dense", "row_number", "select", "select_dtypes", "select_types",
        "set_alias", "shape", "show", "sort", "sql_query", "std", "stddev", "stddev_pop", "stddev_samp",
        "string_agg", "sum", "tf", "to_arrow_reader", "to_arrow_table", "to_df", "torch", "type",
        "types", "union", "unique", "value_counts", "var", "var_pop", "var_samp", "variance",
    }  # fmt: skip
    public = {m for m in dir(duckdb.DuckDBPyRelation) if not m.startswith("_")}
    assert public - reads - connection.RELATION_WRITES == set()


def test_relations_stay_wrapped_through_relational_methods(store, env):
    with vetdx.connect() as con:
        rel = con.sql("select * from marts.gap_indices").filter("round = 2025").order("iso3")
        assert isinstance(rel, vetdx.Relation)
        assert rel.project("iso3").fetchall() == [("BHR",), ("GUY",), ("KWT",)]
        with pytest.raises(vetdx.Refused):
            rel.write_parquet(str(store.published))


@pytest.mark.parametrize(
    "sql",
    [
        "select count(*) from marts.scores",
        "explain select * from marts.scores",
        "use marts; select count(*) from scores",
        "create temp table mine as select * from marts.scores; select count(*) from mine",
        "pivot marts.gap_indices on round using count(*) group by dimension",
        "call pragma_version()",
        "pragma table_info('marts.scores')",
        "describe marts.scores",
        "with t as (select 1 as x) select * from t",
    ],
)
def test_queries_analysts_write_are_permitted(sql, store, env, capsys):
    assert main(["sql", sql, "--format", "csv"]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()


def test_the_engine_sandbox_alone_would_let_copy_overwrite_the_file(store, outside):
    """Why policy.check exists: on this DuckDB, read-only + external access off + locked config still
    lets COPY write onto the database's own file. If this ever starts failing, DuckDB closed the hole."""
    victim = outside / "victim.duckdb"
    victim.write_bytes(store.version(OLD).read_bytes())
    con = duckdb.connect(str(victim), read_only=True)
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    con.execute(f"copy (select 1) to '{victim}' (use_tmp_file false)")
    con.close()
    assert victim.read_bytes().startswith(b"1\n")  # a CSV now, no longer a database
    assert policy.PERMITTED.isdisjoint({duckdb.StatementType.COPY, duckdb.StatementType.EXPORT})
