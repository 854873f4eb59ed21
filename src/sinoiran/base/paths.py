"""Where the project lives on disk, resolved from the package (never from the working directory)."""

from __future__ import annotations

from pathlib import Path

#: The repository's root folder (the one holding ``data/``, ``chapters/`` and ``_toc.yml``).
PROJECT_ROOT = Path(__file__).resolve().parents[3]
