"""Shared fixtures: project paths, the raw-sources folder, small hand-made inputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
#: Fixtures cut from real exports, bytes unchanged (their origin in ``fixtures/real/SOURCES.toml``).
REAL = FIXTURES / "real"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"

needs_sources = pytest.mark.skipif(
    not SHARED_SOURCES.is_dir(),
    reason=f"raw exports not present at {SHARED_SOURCES} (they are not distributed with the repository)",
)


@pytest.fixture
def fixture_path():
    """Path of a fixture file by name."""
    return lambda name: FIXTURES / name


@pytest.fixture
def real():
    """Path of a fixture cut from a real export, by name."""

    def path(name: str) -> Path:
        found = REAL / name
        assert found.exists(), f"no real fixture {name}; see {REAL / 'SOURCES.toml'}"
        return found

    return path


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the committed data/ folder that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture
def dots_workbook(tmp_path: Path) -> Path:
    """A small DOTS-layout workbook: reporter China, partners Iran and World, 2010-2011."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, title, values in [
        (
            "Exports, FOB",
            "Exports, FOB to Partner Countries",
            {"Iran, Islamic Rep. of": [11096.9, 14797.108], "World": [1577763.7, 1899280.7]},
        ),
        (
            "Imports, CIF",
            "Imports, CIF from Partner Countries",
            {"Iran, Islamic Rep. of": [18583.6, "30,264.80 e"], "World": [1396001.6, None]},
        ),
    ]:
        ws = book.create_sheet(sheet)
        ws.append([])
        ws.append([None, title])
        ws.append([])
        ws.append([None, "China, P.R.: Mainland"])
        ws.append([None, "US Dollars, Millions"])
        ws.append([])
        ws.append([None, None, "2010", "2011"])
        for partner, row in values.items():
            ws.append([None, partner, *row])
    path = tmp_path / "DOTS_test.xlsx"
    book.save(path)
    return path


# --- the built book, shared by the browser, PDF, warm-execution and freshness tests ---------------

#: Session fixtures whose cost is shared by every test that uses them, and the xdist group of those tests.
#: ``make test`` runs with ``--dist loadgroup``: a group runs on one worker, in collection order, so the
#: fixture is made once (the freshness tests, collected after the browser and PDF tests, change the built
#: project last). Tests that share nothing are spread over the workers one by one.
SHARED_FIXTURES = {"built_project": "book"}


def pytest_itemcollected(item):
    """Each test as it is collected, before xdist reads the groups (in ``pytest_collection_modifyitems``)."""
    for fixture, group in SHARED_FIXTURES.items():
        if fixture in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group(group))


CHROMIUM = Path("/usr/bin/chromium")


def can_print() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """Build the book once, warnings as errors, into a copy of the project; with Chromium, also its PDF
    (``python -m sinoiran pdf`` builds the HTML first, so one build serves both)."""
    from workspace import copy_env, copy_project

    project = copy_project(tmp_path_factory.mktemp("book") / "proj")
    command = "pdf" if can_print() else "book"
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", command], cwd=project, env=copy_env(project), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    (project / "_build" / "command-output.txt").write_text(result.stdout + result.stderr)  # checked: a quiet command
    return project


@pytest.fixture(scope="session")
def built_book(built_project) -> Path:
    """The built HTML folder."""
    return built_project / "_build" / "html"
