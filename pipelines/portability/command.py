"""The `vetdx portability` command: which build to compare, where to work, what to print."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipelines import settings as cfg


def run_command(args: argparse.Namespace, settings: cfg.Settings) -> int:
    from pipelines.portability import run

    workdir = (
        Path(args.workdir).resolve() if args.workdir else Path(tempfile.mkdtemp(prefix="vetdx-portability-"))
    )
    warehouse = generated_build(args.generate, workdir) if args.generate else settings.warehouse
    if warehouse is None:
        return 1
    if not warehouse.exists():
        print(f"vetdx portability: no warehouse at {warehouse}: run `vetdx refresh` first", file=sys.stderr)
        return 2
    report = run.run_portability(warehouse, workdir, engine=args.engine)
    print(run.render_table(report))
    out = Path(args.json) if args.json else workdir / "portability.json"
    run.write_json(report, out)
    verdict = "every mart identical" if report.success else "marts DIFFER"
    print(f"{args.engine} vs duckdb: {verdict} (tolerance {run.compare.TOLERANCE:g}); {out}")
    return 0 if report.success else 1


def generated_build(scale: str, workdir: Path) -> Path | None:
    """A refresh of a generated sample of `scale` in `workdir` (the bigger comparison)."""
    from pipelines.cli import prepare_dbt
    from pipelines.refresh import run_refresh
    from pipelines.sample.generator import generate

    raw = workdir / f"raw-{scale}"
    if not raw.exists():
        generate(raw, scale=scale)
    env = {
        cfg.ENV_RAW_DIR: str(raw),
        cfg.ENV_WAREHOUSE: str(workdir / f"warehouse-{scale}" / "vetdx.duckdb"),
        cfg.ENV_EXPORTS_DIR: str(workdir / f"exports-{scale}"),
        cfg.ENV_SEEDS_DIR: str(cfg.DEFAULT_SEEDS_DIR),
        cfg.ENV_DAGSTER_HOME: str(workdir / "dagster_home"),
    }
    settings = cfg.Settings.resolve(env)
    prepare_dbt()
    report = run_refresh(settings, quiet=True)
    if not report.success:
        print(f"vetdx portability: the refresh of the generated {scale} sample failed", file=sys.stderr)
        return None
    return settings.warehouse
