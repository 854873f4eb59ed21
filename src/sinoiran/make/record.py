"""The per-chapter record (``_build/.chapter-deps.json``): each chapter's key, the files it read, its run
time and when it ran; what the next build compares against, and the order it runs chapters in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sinoiran.make.keys import chapter_key, relative
from sinoiran.make.project import DEPS_FILE


def load(root: Path) -> dict[str, dict]:
    """The record, chapter file name -> entry; empty when there is none."""
    path = root / DEPS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def save(root: Path, deps: dict[str, dict]) -> None:
    """Write the record (sorted, so that it diffs well)."""
    path = root / DEPS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(deps, indent=1, sort_keys=True))


def entry(root: Path, path: Path, files_read: list[str], seconds: float) -> dict:
    """The record of one chapter just executed: its key over the files it read (relative to the project)."""
    read = sorted(relative(root, f) for f in files_read)
    return {
        "key": chapter_key(root, path, read),
        "files_read": read,
        "seconds": round(seconds, 2),
        "executed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def longest_first(paths: list[Path], deps: dict[str, dict]) -> list[Path]:
    """Chapters by their last recorded run time, longest first; unknown ones first, largest file first.

    Handing the longest jobs out first keeps every core busy to the end (LPT scheduling)."""
    seconds = {name: e["seconds"] for name, e in deps.items() if "seconds" in e}
    return sorted(paths, key=lambda p: (p.name in seconds, -seconds.get(p.name, 0.0), -p.stat().st_size))
