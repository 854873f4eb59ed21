"""What environment the book was executed in, compared with the project's lock file."""

from __future__ import annotations

import platform
import re
import sys
from importlib import metadata
from pathlib import Path

import pandas as pd

from sinoiran.base.paths import PROJECT_ROOT

#: The packages whose versions the reproducibility report lists.
KEY_PACKAGES = [
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "myst-parser",
    "jupyter-cache",
    "sphinx-book-theme",
    "sphinxcontrib-bibtex",
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "pandera",
    "openpyxl",
    "papermill",
    "nbval",
    "pytest",
    "ipykernel",
    "nbclient",
]


def locked_versions(lock: Path | None = None) -> dict[str, str]:
    """Package -> pinned version from ``requirements.txt`` (names normalised)."""
    text = (lock or PROJECT_ROOT / "requirements.txt").read_text()
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", text, flags=re.MULTILINE)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def environment_table(packages: list[str] | None = None, lock: Path | None = None) -> pd.DataFrame:
    """Installed against locked version for each key package; ``matches`` is False on any drift."""
    pins = locked_versions(lock)
    rows = []
    for name in packages or KEY_PACKAGES:
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        rows.append(
            {
                "package": name,
                "locked": pins.get(name),
                "installed": installed,
                "matches": installed is not None and installed == pins.get(name),
            }
        )
    return pd.DataFrame(rows)


def python_summary() -> dict[str, str]:
    """Python's major.minor version and implementation (stable across patch releases)."""
    return {
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
        "implementation": platform.python_implementation(),
    }
