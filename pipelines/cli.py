"""`vetdx`: refresh the warehouse, query it, roll it back, export it, generate sample data."""

from __future__ import annotations

import argparse
import csv
import fcntl
import io
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipelines import settings as cfg


def _apply_location_flags(args: argparse.Namespace) -> cfg.Settings:
    """Flags win over environment variables; both are read here, at run time."""
    for flag, env in (
        ("raw", cfg.ENV_RAW_DIR),
        ("seeds", cfg.ENV_SEEDS_DIR),
        ("warehouse", cfg.ENV_WAREHOUSE),
        ("exports", cfg.ENV_EXPORTS_DIR),
    ):
        value = getattr(args, flag, None)
        if value:
            os.environ[env] = str(Path(value).expanduser().resolve())
    return cfg.Settings.from_env()


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


@contextmanager
def _refresh_lock(settings: cfg.Settings) -> Iterator[None]:
    """One refresh at a time per warehouse: a second one fails fast instead of racing the first."""
    settings.warehouse.parent.mkdir(parents=True, exist_ok=True)
    lock_path = settings.warehouse.parent / ".refresh.lock"
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SystemExit(
                f"another refresh is running on {settings.warehouse} (lock {lock_path.name})"
            ) from None
        yield


def cmd_refresh(args: argparse.Namespace) -> int:
    from pipelines.refresh import run_refresh

    if args.lang:
        os.environ[cfg.ENV_EXPORT_LANGS] = ",".join(cfg.parse_languages(args.lang))
    settings = _apply_location_flags(args)
    prepare_dbt()
    with _refresh_lock(settings):
        report = run_refresh(settings, quiet=args.quiet)
    print(report.render())
    return 0 if report.success else 1


def cmd_sql(args: argparse.Namespace) -> int:
    import duckdb

    settings = _apply_location_flags(args)
    if not settings.warehouse.exists():
        print(f"no published warehouse at {settings.warehouse}: run `vetdx refresh` first", file=sys.stderr)
        return 2
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        try:
            result = con.execute(args.query)
        except duckdb.Error as exc:
            print(f"query failed: {exc}", file=sys.stderr)
            return 1
        columns = [d[0] for d in result.description or []]
        rows = result.fetchall()
    print(format_rows(columns, rows, args.format))
    return 0


def format_rows(columns: list[str], rows: Sequence[tuple], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(
            [dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False, default=str, indent=1
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    line = "-+-".join("-" * w for w in widths)
    out = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)), line]
    out += [" | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def cmd_generate(args: argparse.Namespace) -> int:
    from pipelines.sample.generator import generate

    out = Path(args.out).expanduser().resolve()
    summary = generate(out, scale=args.scale, seed=args.seed)
    print(json.dumps(summary, indent=2, default=str))
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    from pipelines.publish.store import VersionStore

    settings = _apply_location_flags(args)
    store = VersionStore(settings.warehouse)
    rows = [
        (v["version_id"], "*" if v["current"] else "", v.get("run_id", ""), v.get("published_at", ""))
        for v in store.list_versions()
    ]
    print(format_rows(["version", "current", "run_id", "published_at"], rows, "table"))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from pipelines.publish.store import PublishError, VersionStore

    settings = _apply_location_flags(args)
    try:
        version = VersionStore(settings.warehouse).rollback(args.version)
    except PublishError as exc:
        print(f"rollback failed: {exc}", file=sys.stderr)
        return 1
    print(f"published version is now {version}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from pipelines.exports.build import export_version
    from pipelines.publish.store import VersionStore

    settings = _apply_location_flags(args)
    store = VersionStore(settings.warehouse)
    version = store.current_version()
    if version is None or not settings.warehouse.exists():
        print("nothing is published yet: run `vetdx refresh` first", file=sys.stderr)
        return 2
    result = export_version(
        settings.warehouse, settings.exports_dir / version, version=version, lang=args.lang
    )
    print(f"{len(result.files)} files written; manifest {result.manifest_path}")
    return 0


def cmd_prepare(args: argparse.Namespace) -> int:
    manifest = prepare_dbt(force=True)
    print(f"dbt manifest ready: {manifest.relative_to(cfg.REPO_ROOT)}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Start `dagster dev` (web UI and daemon) with the repository's dagster.yaml."""
    import shutil

    prepare_dbt()
    home = cfg.REPO_ROOT / ".dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copyfile(cfg.REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    os.chdir(cfg.REPO_ROOT)
    dagster = Path(sys.executable).with_name("dagster")
    os.execv(str(dagster), [str(dagster), "dev", "-m", "pipelines.definitions", "--port", str(args.port)])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vetdx", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("refresh", help="ingest, build, check, publish and export the warehouse")
    _add_location_flags(p, "raw", "seeds", "warehouse", "exports")
    p.add_argument("--quiet", action="store_true", help="only print the summary")
    p.add_argument(
        "--lang", help=f"export languages, comma-separated: en,fr,ar (env {cfg.ENV_EXPORT_LANGS}; default en)"
    )
    p.set_defaults(func=cmd_refresh)

    p = sub.add_parser("sql", help="run a read-only query on the published warehouse")
    p.add_argument("query")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    _add_location_flags(p, "warehouse")
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

    p = sub.add_parser("export", help="write the export set of the published version in a language")
    p.add_argument("--lang", choices=["en", "fr", "ar"], default="en")
    _add_location_flags(p, "warehouse", "exports")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("prepare", help="parse the dbt project (the install step runs this)")
    p.set_defaults(func=cmd_prepare)

    from pipelines.bench.run import add_bench_parser

    add_bench_parser(sub)

    p = sub.add_parser("ui", help="start the Dagster web UI and daemon with the repository's dagster.yaml")
    p.add_argument("--port", type=int, default=3000)
    p.set_defaults(func=cmd_ui)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # What activating the virtual environment would do: dbt and dagster live next to this Python.
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
