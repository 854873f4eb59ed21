"""The book's chapters: structure, glued numbers, claim coverage, and a clean -W -n build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from sinoiran.claims_catalog import CLAIM_IDS

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
CLAIM_ID = re.compile(r"\b(?:INTRO|CTX|MAIN|CONC)-[A-Z0-9-]*[A-Z0-9]\b")


def markdown(path: Path) -> str:
    nb = json.loads(path.read_text())
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [c["file"] for part in toc["parts"] for c in part["chapters"]]


def strip_allowed(text: str) -> str:
    """Remove everything in prose that may legitimately contain digits."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)  # directives and code blocks
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # glue, cite, term, ... roles
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = CLAIM_ID.sub(" ", text)
    text = re.sub(r"(?m)^\s*(?:#+\s*)?\d+\.\s", " ", text)  # numbered headings and list items
    text = re.sub(r"\b(?:[Ss]ections?|[Ee]xercises?|[Cc]hapters?)\s+\d+", " ", text)  # section and exercise numbers
    text = re.sub(r"\b[Rr]esolutions?\s+\d+(?:,\s*\d+)*(?:,?\s+and\s+\d+)?", " ", text)  # UN resolution numbers
    text = re.sub(r"\b(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d)?s?\b", " ", text)  # years and year ranges
    text = re.sub(r"[A-Za-z]+[-/]?\d+[A-Za-z0-9/-]*|\d+[-]?[A-Za-z]+[A-Za-z0-9-]*", " ", text)  # designations: C-802, S-300, 107mm
    return text


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_has_no_hand_typed_statistic(path):
    leftover = strip_allowed(markdown(path))
    numbers = re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", leftover)
    assert numbers == [], f"{path.name}: numbers typed in prose (glue them): {numbers}"


def test_prose_check_catches_a_typed_number():
    assert re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", strip_allowed("China sent 470 million in 2005-2011 (MAIN-CHN-SUM)")) == ["470"]
    assert strip_allowed("{glue:text}`x:.0f` percent of C-802 and S-300 in 2009").strip(" .") .replace(" ", "") == "percentofandin"


def test_every_claim_is_discussed_in_a_chapter():
    text = "\n".join(markdown(p) for p in CHAPTERS)
    missing = [c for c in CLAIM_IDS if c not in text]
    assert missing == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_structure(path):
    text = markdown(path)
    assert len(re.findall(r"(?m)^# ", text)) == 1, "exactly one H1 title"
    for heading in ["## Overview", "## Prerequisites", "## Imports", "## Summary", "### What's next?", "## Resources and references"]:
        assert heading in text, f"{path.name} lacks {heading!r}"
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c.get("outputs") is not None for c in code)
    assert any(c["outputs"] for c in code), "chapters are stored with their outputs"


def test_every_chapter_is_in_the_toc():
    listed = set(toc_files())
    for path in CHAPTERS:
        assert f"chapters/{path.stem}" in listed


def test_no_analysis_logic_defined_in_notebooks():
    for path in CHAPTERS:
        nb = json.loads(path.read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                source = "".join(cell["source"])
                assert not re.search(r"(?m)^\s*(def|class)\s", source), (
                    f"{path.name}: define functions in src/sinoiran, not in a chapter"
                )


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """Build the book once, warnings as errors, into a temporary folder; return the HTML folder."""
    out = tmp_path_factory.mktemp("book")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


def test_book_builds_with_warnings_as_errors(built_book):
    for name in toc_files():
        assert (built_book / f"{name}.html").exists(), name
