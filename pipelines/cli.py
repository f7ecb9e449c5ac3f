"""`vetdx`: refresh the warehouse, query it, roll it back, export it, generate sample data."""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from pipelines import settings as cfg


def _apply_location_flags(args: argparse.Namespace) -> cfg.Settings:
    """The edge: flags win over environment variables; resolved once into Settings, never written
    back into the environment."""
    return cfg.Settings.resolve(
        os.environ,
        raw_dir=getattr(args, "raw", None),
        seeds_dir=getattr(args, "seeds", None),
        warehouse=getattr(args, "warehouse", None),
        exports_dir=getattr(args, "exports", None),
        export_langs=cfg.parse_languages(args.lang) if getattr(args, "lang", None) else None,
    )


def _add_location_flags(parser: argparse.ArgumentParser, *names: str) -> None:
    helps = {
        "raw": f"raw files folder (env {cfg.ENV_RAW_DIR}; default data/raw)",
        "seeds": f"seeds folder overriding data/seeds file by file (env {cfg.ENV_SEEDS_DIR})",
        "warehouse": f"published warehouse file (env {cfg.ENV_WAREHOUSE}; default warehouse/vetdx.duckdb)",
        "exports": f"exports folder (env {cfg.ENV_EXPORTS_DIR}; default exports)",
    }
    for name in names:
        parser.add_argument(f"--{name}", help=helps[name])


def prepare_dbt(force: bool = False) -> Path:
    """Parse the dbt project so the Dagster definitions can load its manifest."""
    from pipelines.defs.dbt_project import vetdx_dbt_project

    manifest = vetdx_dbt_project.manifest_path
    if force or not manifest.exists():
        vetdx_dbt_project.preparer.prepare(vetdx_dbt_project)
    return manifest


def cmd_refresh(args: argparse.Namespace) -> int:
    from pipelines.refresh import refusal
    from pipelines.refresh_cli import refresh_for_a_person

    settings = _apply_location_flags(args)
    refused = refusal(settings)
    if refused:
        print(f"vetdx refresh: {refused}", file=sys.stderr)
        return 2
    prepare_dbt()
    return refresh_for_a_person(settings, quiet=args.quiet, verbose=args.verbose)


def cmd_sql(args: argparse.Namespace) -> int:
    # Only the analyst package (duckdb, no dagster/dbt/polars): `vetdx sql` starts as fast as DuckDB.
    from pipelines.analyst.command import run_sql

    return run_sql(args, _apply_location_flags(args))


def format_rows(columns: list[str], rows: Sequence[tuple], fmt: str) -> str:
    from pipelines.analyst.output import format_rows as render

    return render(columns, rows, fmt)


def cmd_generate(args: argparse.Namespace) -> int:
    from pipelines.sample.generator import generate

    out = Path(args.out).expanduser().resolve()
    summary = generate(out, scale=args.scale, seed=args.seed)
    print(json.dumps(summary, indent=2, default=str))
    return 0


def _version_state(store, info: dict) -> str:
    """`intact`, or what is wrong with a kept version (the sha256 recorded at publish is exact)."""
    from pipelines.analyst.warehouse_file import damage

    return damage(store.version_path(info["version_id"]), info.get("sha256")) or "intact"


def cmd_versions(args: argparse.Namespace) -> int:
    from pipelines.analyst.warehouse_file import problem
    from pipelines.publish.store import VersionStore

    settings = _apply_location_flags(args)
    store = VersionStore(settings.warehouse)
    rows = [
        (
            v["version_id"],
            "*" if v["current"] else "",
            _version_state(store, v),
            v.get("run_id", ""),
            v.get("published_at", ""),
        )
        for v in store.list_versions()
    ]
    print(format_rows(["version", "current", "state", "run_id", "published_at"], rows, "table"))
    published = problem(settings.warehouse) if settings.warehouse.exists() else None
    if published is not None:
        print(
            f"warning: the published file {settings.warehouse} {published}: run `vetdx rollback`",
            file=sys.stderr,
        )
    damaged = [row[0] for row in rows if row[2] != "intact"]
    if damaged or published:
        for version in damaged:
            print(f"warning: version {version} is damaged", file=sys.stderr)
        return 1
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from pipelines.publish.store import PublishError, VersionStore

    settings = _apply_location_flags(args)
    store = VersionStore(settings.warehouse)
    try:
        version = store.rollback(args.version, is_intact=lambda info: _version_state(store, info) == "intact")
    except PublishError as exc:
        print(f"rollback failed: {exc}", file=sys.stderr)
        return 1
    print(f"published version is now {version}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.exports.build import export_languages
    from pipelines.publish.store import VersionStore

    settings = _apply_location_flags(args)
    store = VersionStore(settings.warehouse)
    version = store.current_version()
    if version is None or not settings.warehouse.exists():
        print("nothing is published yet: run `vetdx refresh` first", file=sys.stderr)
        return 2
    results = export_languages(
        settings.warehouse, settings.exports_dir / version, version=version, langs=settings.export_langs
    )
    for result in results:
        print(f"{len(result.files)} files written; manifest {result.manifest_path}")
    return 0


def cmd_audit_pii(args: argparse.Namespace) -> int:
    """Scan every text column of the published warehouse and every export file for personal data."""
    from pipelines.quality.pii_scan import main as scan

    settings = _apply_location_flags(args)
    return scan(["--warehouse", str(settings.warehouse), "--exports", str(settings.exports_dir)])


def cmd_form(args: argparse.Namespace) -> int:
    """Write the questionnaire as an XLSForm, or (--map) draft a national form's mapping."""
    from pipelines.collect.draft import draft_mapping, write_mapping
    from pipelines.collect.xlsform import build_form, to_xform, write_workbook
    from pipelines.ingest.vocab.codebook import Codebook
    from pipelines.seeds import read_seeds

    seeds = dict(read_seeds(cfg.DEFAULT_SEEDS_DIR))
    if args.seeds:  # the user's files override data/seeds/ file by file, as in a refresh
        seeds.update(read_seeds(Path(args.seeds).expanduser()))
    if args.map:
        if not args.form_id:
            raise ValueError("--map needs --form-id (the national form's id, as its folder will be named)")
        codebook = Codebook.from_rows(seeds.get("survey_codebook", []), seeds.get("survey_choices", []))
        rows = draft_mapping(Path(args.map).expanduser(), args.form_id, codebook)
        out = write_mapping(rows, Path(args.out or f"{args.form_id}_mapping.csv").expanduser())
        review = sum(1 for r in rows if r["note"].startswith("REVIEW"))
        print(f"{out}: {len(rows)} rows drafted, {review} to review; add them to survey_form_mappings.csv")
        return 0
    out = write_workbook(build_form(seeds), Path(args.out or "vetdx_survey.xlsx").expanduser())
    _, warnings = to_xform(out)  # pyxform raises on an invalid form
    print(f"{out}: XLSForm written and converted to XForm by pyxform ({len(warnings)} warnings)")
    for warning in warnings:
        print(f"  {warning}")
    return 0


def cmd_portability(args: argparse.Namespace) -> int:
    """Build the published warehouse's inputs again on another engine and compare every mart."""
    from pipelines.portability.command import run_command

    return run_command(args, _apply_location_flags(args))


def cmd_prepare(args: argparse.Namespace) -> int:
    manifest = prepare_dbt(force=True)
    print(f"dbt manifest ready: {manifest.relative_to(cfg.REPO_ROOT)}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Start `dagster dev` (web UI and daemon) on the instance `vetdx refresh` records its runs in."""
    from pipelines.refresh import dagster_instance

    settings = _apply_location_flags(args)
    prepare_dbt()
    dagster_instance(settings.dagster_home).dispose()  # creates the folder and its dagster.yaml
    os.chdir(cfg.REPO_ROOT)
    dagster = Path(sys.executable).with_name("dagster")
    env = {**os.environ, cfg.ENV_DAGSTER_HOME: str(settings.dagster_home)}
    os.execve(
        str(dagster), [str(dagster), "dev", "-m", "pipelines.definitions", "--port", str(args.port)], env
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vetdx", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refresh", help="ingest, build, check, publish and export the warehouse")
    _add_location_flags(p, "raw", "seeds", "warehouse", "exports")
    p.add_argument("--quiet", action="store_true", help="only print the summary")
    p.add_argument("--verbose", action="store_true", help="also print the run's log and tracebacks")
    p.add_argument(
        "--lang", help=f"export languages, comma-separated: en,fr,ar (env {cfg.ENV_EXPORT_LANGS}; default en)"
    )
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("sql", help="query the published warehouse, read-only and sandboxed")
    from pipelines.analyst.arguments import add_sql_arguments  # argparse only: light

    add_sql_arguments(p)
    _add_location_flags(p, "warehouse", "exports")
    p.set_defaults(func=cmd_sql)

    p = sub.add_parser("generate", help="write the synthetic sample data")
    p.add_argument("--scale", choices=["small", "large"], default="small")
    p.add_argument("--seed", type=int, default=2025)
    p.add_argument("--out", default=str(cfg.REPO_ROOT / "data" / "raw"))
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("versions", help="list the kept published versions")
    _add_location_flags(p, "warehouse")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("rollback", help="publish a kept version again (default: the previous one)")
    p.add_argument("version", nargs="?")
    _add_location_flags(p, "warehouse")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("export", help="write the export sets of the published version, one per language")
    p.add_argument(
        "--lang", help=f"languages, comma-separated: en,fr,ar (env {cfg.ENV_EXPORT_LANGS}; default en)"
    )
    _add_location_flags(p, "warehouse", "exports")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("audit-pii", help="scan the published warehouse and exports for personal data")
    _add_location_flags(p, "warehouse", "exports")
    p.set_defaults(func=cmd_audit_pii)

    p = sub.add_parser("form", help="write the questionnaire as an XLSForm (Kobo, ODK) or draft a mapping")
    p.add_argument("--out", help="file to write (default vetdx_survey.xlsx, or <form-id>_mapping.csv)")
    p.add_argument("--seeds", help="seeds folder overriding data/seeds file by file")
    p.add_argument("--map", metavar="EXPORT", help="draft a mapping from this export of a national form")
    p.add_argument("--form-id", help="with --map: the national form's id")
    p.set_defaults(func=cmd_form)

    p = sub.add_parser("portability", help="build on Spark too and compare every mart with DuckDB's")
    p.add_argument("--engine", choices=["spark"], default="spark")
    p.add_argument("--workdir", help="folder for the Parquet exports and the Spark build (default: tmp)")
    p.add_argument("--json", help="where to write the comparison (default <workdir>/portability.json)")
    p.add_argument(
        "--generate",
        choices=["small", "large"],
        help="first refresh a generated sample of this scale in the workdir, and compare that build",
    )
    _add_location_flags(p, "warehouse")
    p.set_defaults(func=cmd_portability)

    p = sub.add_parser("prepare", help="parse the dbt project (the install step runs this)")
    p.set_defaults(func=cmd_prepare)

    from pipelines.bench.arguments import add_bench_parser

    add_bench_parser(sub)

    p = sub.add_parser("ui", help="start the Dagster web UI and daemon with the repository's dagster.yaml")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_ui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # What activating the virtual environment would do: dbt and dagster live next to this Python.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError, RuntimeError) as exc:
        if getattr(args, "verbose", False):
            raise
        print(f"vetdx {args.command}: {exc}", file=sys.stderr)
        return 2


def run() -> NoReturn:
    """The `vetdx` command: `main`, then exit without tearing the interpreter down.

    Tearing down the modules of Dagster, dbt and GX takes 1.5-3.5 s after the work is done (measured:
    imports and definitions, then exit, on 2 cores), and nothing in it is vetdx's: every file,
    connection, pool and the Dagster instance is closed by then (each is a `with` block), and atexit
    handlers still run. `main` itself returns normally, for callers in the same process (tests)."""
    code = main()
    atexit._run_exitfuncs()  # what a normal exit runs first: logging.shutdown, pools, finalisers
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream has nothing to flush
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
