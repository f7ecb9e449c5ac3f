"""`manifest.json`: what an export set is, where it came from, and the checksum of every file in it."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.exports.marts import PublishedData
from pipelines.hashing import sha256_of

MANIFEST_NAME = "manifest.json"


def build_manifest(
    folder: Path, files: list[Path], data: PublishedData, version: str, lang: str, extra: dict | None = None
) -> dict:
    record = data.version_record
    return {
        "version": version,
        "language": lang,
        "run_id": (extra or {}).get("run_id", record.get("run_id")),
        "published_at": record.get("published_at"),
        "code_version": record.get("code_version"),
        "data_label": data.data_label,
        "input_files": [
            {"source_file": f["source_file"], "sha256": f["sha256"], "status": f.get("status")}
            for f in record.get("input_files") or []
        ],
        "row_counts": {f"marts.{name}": frame.height for name, frame in data.marts.items()},
        "files": [
            {"path": p.relative_to(folder).as_posix(), "bytes": p.stat().st_size, "sha256": sha256_of(p)}
            for p in sorted(files, key=lambda p: p.relative_to(folder).as_posix())
        ],
        **{k: v for k, v in (extra or {}).items() if k != "run_id"},
    }


def write_manifest(folder: Path, manifest: dict) -> Path:
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
