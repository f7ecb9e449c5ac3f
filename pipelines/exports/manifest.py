"""`manifest.json`: what an export set is, where it came from, and the checksum of every file in it."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.exports.marts import PublishedData
from pipelines.hashing import sha256_of

MANIFEST_NAME = "manifest.json"


def build_manifest(
    folder: Path,
    files: list[Path],
    data: PublishedData,
    version: str,
    lang: str,
    extra: dict | None = None,
    keys: dict[str, str] | None = None,
    reused: dict | None = None,
) -> dict:
    """`keys`: path -> content key of the outputs that can be reused (a country's files, a set-wide
    chart): the same key means the same inputs, language and renderer, hence the same bytes.
    `reused`: how many files were copied from earlier sets, and from which versions."""
    record = data.version_record
    keys = keys or {}
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
            _entry(p.relative_to(folder).as_posix(), p, keys)
            for p in sorted(files, key=lambda p: p.relative_to(folder).as_posix())
        ],
        "reused": reused or {"files": 0, "from": []},
        **{k: v for k, v in (extra or {}).items() if k != "run_id"},
    }


def _entry(path: str, file: Path, keys: dict[str, str]) -> dict:
    entry = {"path": path, "bytes": file.stat().st_size, "sha256": sha256_of(file)}
    if path in keys:
        entry["key"] = keys[path]
    return entry


def write_manifest(folder: Path, manifest: dict) -> Path:
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
