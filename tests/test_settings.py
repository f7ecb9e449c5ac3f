"""Settings are resolved once at the edge: flags over environment, checked, one line when wrong."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipelines import settings as cfg


def test_flags_win_over_the_environment_and_defaults_stay_in_the_repository(tmp_path):
    env = {
        cfg.ENV_RAW_DIR: str(tmp_path / "env_raw"),
        cfg.ENV_KEEP_VERSIONS: "3",
        cfg.ENV_INGEST_WORKERS: "0",
    }
    settings = cfg.Settings.resolve(env, raw_dir=tmp_path / "flag_raw", warehouse=None)
    assert settings.raw_dir == tmp_path / "flag_raw"
    assert settings.warehouse == cfg.REPO_ROOT / "warehouse" / "vetdx.duckdb"
    assert settings.dagster_home == cfg.REPO_ROOT / ".dagster_home"
    assert (settings.keep_versions, settings.ingest_workers) == (3, 0)
    assert settings.pii_key is None  # no key configured: the key file beside the warehouse
    assert cfg.Settings.resolve({}).ingest_workers is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({cfg.ENV_KEEP_VERSIONS: "0"}, "VETDX_KEEP_VERSIONS must be 1 or more"),
        ({cfg.ENV_KEEP_VERSIONS: "five"}, "VETDX_KEEP_VERSIONS must be a whole number"),
        ({cfg.ENV_INGEST_WORKERS: "-1"}, "VETDX_INGEST_WORKERS must be 0 or more"),
        ({cfg.ENV_CATALOGUE: "maybe"}, "VETDX_CATALOGUE must be on or off"),
        ({cfg.ENV_EXPORT_LANGS: "en,de"}, "export languages must be among en, fr, ar"),
    ],
)
def test_bad_values_say_which_setting(env, message):
    with pytest.raises(ValueError, match=message):
        cfg.Settings.resolve(env)


def test_locations_are_checked_with_one_line_each(tmp_path: Path):
    raw, seeds = tmp_path / "raw", tmp_path / "seeds"
    raw.mkdir()
    seeds.mkdir()
    good = tmp_path / "w" / "vetdx.duckdb"
    cfg.check_locations(raw, seeds, good)  # not there yet: a first refresh creates it
    duckdb.connect(str(tmp_path / "real.duckdb")).close()
    cfg.check_locations(raw, seeds, tmp_path / "real.duckdb")
    (tmp_path / "text.duckdb").write_text("hello")
    (tmp_path / "file").write_text("x")
    for args, message in [
        ((tmp_path / "nope", seeds, good), "raw folder .* does not exist"),
        ((raw, tmp_path / "file", good), "seeds folder .* is a file"),
        ((raw, seeds, tmp_path), "is a folder; give the path of the .duckdb file"),
        ((raw, seeds, tmp_path / "text.duckdb"), "is not a DuckDB database file"),
        ((raw, seeds, tmp_path / "file" / "vetdx.duckdb"), "is a file, not a folder"),
    ]:
        with pytest.raises(cfg.LocationError, match=message):
            cfg.check_locations(*args)
