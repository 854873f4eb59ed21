"""What the book is made of: its pages and chapters in ``_toc.yml`` order, its execution settings, the
files the engine keeps under ``_build``, and the commit it is built from."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from sinoiran.base.paths import PROJECT_ROOT

#: Where the engine keeps what it made (relative to the project).
BUILD = Path("_build")
#: Per chapter: its cache key, the files it read, its run time and when it ran.
DEPS_FILE = BUILD / ".chapter-deps.json"
#: What the last ``make book`` did, as JSON (read by the tests and ``make bench``; the terminal gets a sentence).
BUILD_RECORD = BUILD / "book-build.json"
#: The commit, the inputs' key and every chapter's run time, rendered by the reproducibility report.
EXECUTION_RECORD = BUILD / "execution-record.json"
#: Everything the HTML was last built from (the no-change build compares it).
STAMP = BUILD / ".book-stamp"


def pages(root: Path = PROJECT_ROOT) -> dict[str, Path]:
    """Every page of the book, docname -> source file (``.md`` or ``.ipynb``), root page first, in book order."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    names = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    found = {}
    for name in names:
        for ext in (".ipynb", ".md"):
            if (root / f"{name}{ext}").exists():
                found[name] = root / f"{name}{ext}"
                break
    return found


def chapters(root: Path = PROJECT_ROOT) -> list[Path]:
    """The chapter notebooks listed in ``_toc.yml``, in book order."""
    return [path for path in pages(root).values() if path.suffix == ".ipynb"]


def docname(root: Path, path: Path) -> str:
    """A page's Sphinx name: its path relative to the project, without the suffix (``chapters/trends``)."""
    return str(path.resolve().relative_to(root.resolve()).with_suffix(""))


def book_sources(root: Path) -> tuple[str, ...]:
    """Every file the HTML depends on besides data/, src/ and the lock: config, toc, pages, bibliography
    (those that exist)."""
    files = [name for name in ("_config.yml", "_toc.yml", "references.bib") if (root / name).exists()]
    return tuple(files + [str(path.relative_to(root)) for path in pages(root).values()])


def execution_timeout(root: Path) -> int:
    """The per-cell timeout the committed ``_config.yml`` sets (``execute: timeout``), in seconds."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    return int((config.get("execute") or {}).get("timeout", 600))


def source_commit(root: Path) -> str:
    """The git commit the book is built from, with "+ uncommitted changes" when the tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} + uncommitted changes" if dirty else commit
