"""The maintainer's checks, run by the test suite: lint, format and types (the pre-commit hooks run the same)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("nbqa", "ruff", "chapters/"),
        ("nbqa", "ruff format", "chapters/", "--check"),
    ],
    ids=["ruff-lint", "ruff-format", "nbqa-ruff-lint", "nbqa-ruff-format"],
)
def test_lint_and_format(command):
    result = run(*command)
    assert result.returncode == 0, (
        f"`{' '.join(command)}` found problems:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
    )


@pytest.mark.slow
def test_types_of_the_package():
    result = run("mypy")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
