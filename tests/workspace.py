"""Scratch copies of the project, for the tests and the benchmark that must change data or code.

A copy's own ``src/`` is put first on ``PYTHONPATH`` (kernels inherit it), so
the copy's package and ``data/`` are used instead of the installed ones.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from sinoiran.base.paths import PROJECT_ROOT

IGNORED = (".venv", "_build", ".git", "__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")


def copy_project(target: Path, root: Path = PROJECT_ROOT) -> Path:
    """Copy the project's sources (no .venv, _build, .git or caches) to ``target``."""
    shutil.copytree(root, target, ignore=shutil.ignore_patterns(*IGNORED))
    return target


def copy_env(project: Path) -> dict[str, str]:
    """Environment in which the copy's own package (and data) shadow the installed one, kernels included."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(project / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONHASHSEED"] = "0"
    env.pop("SINOIRAN_DATA", None)
    return env


def change_one_table(project: Path, name: str = "events") -> str:
    """A valid change to a data table: reverse its rows and record its new sha256 (returned) in datapackage.json."""
    from sinoiran.base.hashing import sha256

    path = project / "data" / f"{name}.csv" if name == "events" else project / "data" / _table_file(name)
    header, *rows = path.read_text().splitlines()
    path.write_text("\n".join([header, *reversed(rows)]) + "\n")
    package_path = project / "data" / "datapackage.json"
    package = json.loads(package_path.read_text())
    new = sha256(path)
    for resource in package["resources"]:
        if resource["name"] == name:
            resource["hash"] = f"sha256:{new}"
    package_path.write_text(json.dumps(package, indent=2) + "\n")
    return new


def _table_file(name: str) -> str:
    from sinoiran.data.schemas import TABLES

    return TABLES[name].path
