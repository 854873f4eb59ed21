"""Freshness: no output and no page of the book goes stale.

Each chapter's execution is keyed on its code, the files it read and the modules it runs, and Sphinx
re-reads the chapters just executed and the pages that glue from them. These tests start from the build
the browser and PDF tests used (the same ``book`` group, so the same worker: no second cold build), change
it in turn, and run the same command as ``make book``. Where what a test checks is which chapters execute,
it runs ``python -m sinoiran book --execute-only`` (no Sphinx pass); the last test then builds the pages
once and checks that every page touched by the earlier executions shows their results.
"""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from test_chapters import assert_quiet

from workspace import change_one_table, copy_env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]


def build(project: Path, *options: str) -> dict:
    """``python -m sinoiran book`` in ``project``: one quiet sentence, and the build's record."""
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "book", *options],
        cwd=project,
        env=copy_env(project),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert_quiet(result.stdout + result.stderr, "The book")
    from sinoiran.make.project import BUILD_RECORD

    return json.loads((project / BUILD_RECORD).read_text())


@pytest.fixture(scope="module")
def project(built_project) -> Path:
    """The project the browser and PDF tests built (they run first, in the same worker): no second cold build.

    Its first build executed every chapter; the tests below change it in turn."""
    deps = json.loads((built_project / "_build" / ".chapter-deps.json").read_text())
    assert len(deps) == len(list((built_project / "chapters").glob("*.ipynb")))
    return built_project


@pytest.fixture(scope="module")
def changed() -> dict:
    """What the tests changed, for the last one to find in the pages."""
    return {}


def readers_of(project: Path, *files: str) -> set[str]:
    """The chapters whose last run read any of ``files`` (from the build's own record)."""
    deps = json.loads((project / "_build" / ".chapter-deps.json").read_text())
    return {name for name, record in deps.items() if set(record["files_read"]) & set(files)}


def test_a_build_with_no_change_executes_nothing(project):
    again = build(project)
    assert again.get("up_to_date") is True


def test_changing_a_notebooks_prose_rebuilds_without_executing(project):
    path = project / "chapters" / "introduction.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"].append("\n\nAn added sentence.")
    path.write_text(json.dumps(nb, indent=1))
    result = build(project)
    assert result["executed"] == 0 and result["cached"] == result["chapters"] and result["reread"] == []
    assert "An added sentence." in (project / "_build" / "html" / "chapters" / "introduction.html").read_text()


def test_changing_one_table_re_executes_only_the_chapters_that_read_it(project, changed):
    readers = readers_of(project, "data/events.csv", "data/datapackage.json")
    changed["events_hash"] = change_one_table(project)  # events.csv, and its checksum in datapackage.json
    after = build(project, "--execute-only")
    assert set(after["executed_chapters"]) == readers
    assert 0 < after["executed"] < after["chapters"]  # the others are served from the cache: still fresh
    assert "sphinx_seconds" not in after  # no Sphinx pass


def test_a_chapter_that_did_not_read_the_changed_table_is_not_re_executed(project):
    readers = readers_of(project, "data/sipri_mirror_2026_items.csv", "data/datapackage.json")
    assert "trends.ipynb" not in readers  # it reads the TIV table and one field of datapackage.json
    change_one_table(project, "sipri_mirror_items")
    after = build(project, "--execute-only")
    assert set(after["executed_chapters"]) == readers


def test_changing_library_code_re_executes_the_chapters_that_run_it(project):
    from sinoiran.make.keys import chapter_modules
    from sinoiran.make.project import chapters

    module = project / "src" / "sinoiran" / "book" / "parameters.py"
    users = {p.name for p in chapters(project) if module in chapter_modules(project, p)}
    module.write_text(module.read_text() + "\n# a change to the library\n")
    result = build(project, "--execute-only")
    assert set(result["executed_chapters"]) == users and 0 < len(users) < result["chapters"]


def test_no_page_keeps_what_a_re_executed_chapter_showed_before(project, changed):
    """A change to the sensitivity results re-executes the appendix, whose overtaking sentence the landing
    page glues: the landing page shows the new sentence. The pages of the chapters executed above without a
    Sphinx pass show their new results too (the data page the events table's new checksum), and a page that
    glues from none of them is not re-read."""
    from sinoiran.book import sensitivity
    from sinoiran.make.sphinx import pending

    def landing_page() -> str:
        """The landing page's text as a reader sees it (entities and typographic apostrophes undone)."""
        return html.unescape((project / "_build" / "html" / "index.html").read_text()).replace("\u2019", "'")

    def finding() -> str:
        """The overtaking sentence the appendix computes from the project's results, now."""
        results = sensitivity.load_results(project / "results" / "sensitivity.csv")
        return sensitivity.overtaking_finding(sensitivity.overtaking_summary(results))

    before = finding()
    assert before in landing_page()
    waiting = set(pending(project))
    assert {"chapters/data_sources", "chapters/trends", "index"} <= waiting  # left by the executions above
    results = project / "results" / "sensitivity.csv"
    table = pd.read_csv(results, dtype=str, keep_default_na=False)
    table["observed_ahead_for_good"] = ""  # China never ahead for good in any run
    table.to_csv(results, index=False)
    readers = readers_of(project, "results/sensitivity.csv")
    after = build(project)
    assert set(after["executed_chapters"]) == readers and "sensitivity.ipynb" in readers
    assert set(after["reread"]) == waiting | {"chapters/sensitivity", "index"}
    assert "glossary" not in after["reread"] and after["sphinx_all"] is False
    after_change = finding()
    assert after_change != before and "is not above" in after_change
    assert after_change in landing_page() and before not in landing_page()
    data_page = (project / "_build" / "html" / "chapters" / "data_sources.html").read_text()
    assert changed["events_hash"] in data_page  # executed without a Sphinx pass, and still not stale
    assert pending(project) == []
