"""Where the project lives on disk, resolved from the package (never from the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

#: The repository's root folder (the one holding ``data/``, ``chapters/`` and ``_toc.yml``).
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """The folder holding the project's tables and sources manifest: ``$SINOIRAN_DATA`` or ``data/``."""
    return Path(os.environ.get("SINOIRAN_DATA", PROJECT_ROOT / "data"))
