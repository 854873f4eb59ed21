"""Outputs never go stale: each chapter's execution is keyed on the files it read and the modules it runs.

Each test works on a copy of the project, whose own package shadows the
installed one (kernels included), and runs the same command as `make book`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workspace import change_one_table, copy_env

pytestmark = pytest.mark.slow  # every test here builds the book


def build(project: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "book"], cwd=project, env=copy_env(project), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def project(built_project) -> Path:
    """The project the browser and PDF tests built (they run first, in the same worker): no second cold build.

    Its first build executed every chapter; the tests below change it in turn."""
    deps = json.loads((built_project / "_build" / ".chapter-deps.json").read_text())
    assert len(deps) == len(list((built_project / "chapters").glob("*.ipynb")))
    return built_project


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


def readers_of(project: Path, *files: str) -> set[str]:
    """The chapters whose last run read any of ``files`` (from the build's own record)."""
    deps = json.loads((project / "_build" / ".chapter-deps.json").read_text())
    return {name for name, record in deps.items() if set(record["files_read"]) & set(files)}


def test_changing_one_table_re_executes_only_the_chapters_that_read_it(project):
    build(project)
    readers = readers_of(project, "data/events.csv", "data/datapackage.json")
    new_hash = change_one_table(project)  # events.csv, and its checksum in datapackage.json
    after = build(project)
    assert set(after["executed_chapters"]) == readers
    assert 0 < after["executed"] < after["chapters"]  # the others are served from the cache: still fresh
    html = (project / "_build" / "html" / "chapters" / "data_sources.html").read_text()
    assert new_hash in html  # the page shows the new table's checksum, not the cached one


def test_a_chapter_that_did_not_read_the_changed_table_is_not_re_executed(project):
    build(project)
    readers = readers_of(project, "data/sipri_mirror_2026_items.csv", "data/datapackage.json")
    assert "trends.ipynb" not in readers  # it reads the TIV table and one field of datapackage.json
    change_one_table(project, "sipri_mirror_items")
    after = build(project)
    assert set(after["executed_chapters"]) == readers


def test_changing_library_code_re_executes_the_chapters_that_run_it(project):
    from sinoiran.book.runner import chapter_modules, chapters

    module = project / "src" / "sinoiran" / "analysis" / "series.py"
    users = {p.name for p in chapters(project) if module in chapter_modules(project, p)}
    module.write_text(module.read_text() + "\n# a change to the library\n")
    result = build(project)
    assert set(result["executed_chapters"]) == users and users
