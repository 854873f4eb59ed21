"""Outputs never go stale: the book's execution is keyed on data/ and src/ as well as the notebooks.

Each test works on a copy of the project, whose own package shadows the
installed one (kernels included), and runs the same command as `make book`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workspace import change_one_table, copy_env, copy_project

pytestmark = pytest.mark.slow  # every test here builds the book


def build(project: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "book"], cwd=project, env=copy_env(project), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("fresh") / "proj")
    first = build(project)
    assert first["executed"] == first["chapters"] and first["cached"] == 0
    return project


def test_a_build_with_no_change_executes_nothing(project):
    again = build(project)
    assert again.get("up_to_date") is True


def test_changing_a_notebooks_prose_rebuilds_without_executing(project):
    path = project / "chapters" / "introduction.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"].append("\n\nAn added sentence.")
    path.write_text(json.dumps(nb, indent=1))
    result = build(project)
    assert result["executed"] == 0 and result["cached"] == result["chapters"]


def test_changing_a_data_table_re_executes_and_updates_the_html(project):
    before = build(project)
    new_hash = change_one_table(project)
    after = build(project)
    assert after["key"] != before["key"]
    assert after["executed"] == after["chapters"]
    html = (project / "_build" / "html" / "chapters" / "data_sources.html").read_text()
    assert new_hash[:12] in html  # the page shows the new table's checksum, not the cached one


def test_changing_library_code_re_executes(project):
    module = project / "src" / "sinoiran" / "analysis" / "series.py"
    module.write_text(module.read_text() + "\n# a change to the library\n")
    result = build(project)
    assert result["executed"] == result["chapters"]
