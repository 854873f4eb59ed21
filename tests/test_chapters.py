"""The book's chapters: structure, glued numbers, claim coverage, and a clean -W -n build."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sinoiran.data.paper import CLAIM_IDS

from conftest import ROOT

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
    text = re.sub(
        r"[A-Za-z]+[-/]?\d+[A-Za-z0-9/-]*|\d+[-]?[A-Za-z]+[A-Za-z0-9-]*", " ", text
    )  # designations: C-802, S-300, 107mm
    return text


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_prose_has_no_hand_typed_statistic(path):
    leftover = strip_allowed(markdown(path))
    numbers = re.findall(r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", leftover)
    assert numbers == [], f"{path.name}: numbers typed in prose (glue them): {numbers}"


def test_prose_check_catches_a_typed_number():
    assert re.findall(
        r"(?<![\w.])\d+(?:[.,]\d+)*(?![\w])", strip_allowed("China sent 470 million in 2005-2011 (MAIN-CHN-SUM)")
    ) == ["470"]
    assert (
        strip_allowed("{glue:text}`x:.0f` percent of C-802 and S-300 in 2009").strip(" .").replace(" ", "")
        == "percentofandin"
    )


def test_every_claim_is_discussed_in_a_chapter():
    text = "\n".join(markdown(p) for p in CHAPTERS)
    missing = [c for c in CLAIM_IDS if c not in text]
    assert missing == []


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_structure(path):
    text = markdown(path)
    assert len(re.findall(r"(?m)^# ", text)) == 1, "exactly one H1 title"
    for heading in [
        "## Overview",
        "## Prerequisites",
        "## Imports",
        "## Summary",
        "### What's next?",
        "## Resources and references",
    ]:
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
    from workspace import copy_env, copy_project

    project = copy_project(tmp_path_factory.mktemp("book") / "proj")
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "book"], cwd=project, env=copy_env(project), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project / "_build" / "html"


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors(built_book):
    for name in toc_files():
        assert (built_book / f"{name}.html").exists(), name


# --- the built book in a real browser -----------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
#: Hosts a page may contact while loading, besides this machine. The book needs none:
#: it has no math (MathJax would come from a CDN) and the theme's assets are local.
ALLOWED_REMOTE_HOSTS: set[str] = set()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser_pages(built_book):
    """Serve the built HTML on localhost, visit every page in headless Chromium, and record what happened."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (Debian package 'chromium'; .ci/run installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    import functools
    import http.server
    import threading
    from urllib.parse import urlparse

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = ["index"] + toc_files()
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    records = {}
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            for name in pages:
                record = {"console_errors": [], "failed": [], "remote": [], "bad_status": []}
                page.on(
                    "console", lambda m, r=record: r["console_errors"].append(m.text) if m.type == "error" else None
                )
                page.on("pageerror", lambda e, r=record: r["console_errors"].append(str(e)))
                page.on("requestfailed", lambda q, r=record: r["failed"].append(q.url))
                page.on(
                    "request",
                    lambda q, r=record: (
                        r["remote"].append(q.url)
                        if urlparse(q.url).hostname not in {"127.0.0.1", *ALLOWED_REMOTE_HOSTS}
                        and not q.url.startswith("data:")
                        else None
                    ),
                )
                page.on(
                    "response",
                    lambda s, r=record: r["bad_status"].append(f"{s.status} {s.url}") if s.status >= 400 else None,
                )
                page.goto(base + f"{name}.html", wait_until="networkidle")
                record["broken_images"] = page.eval_on_selector_all(
                    "img", "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
                )
                record["images"] = page.eval_on_selector_all("img", "imgs => imgs.length")
                record["links"] = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
                if name in ("index", "chapters/ahmadinejad"):
                    page.screenshot(path=str(shots / f"{name.replace('/', '_')}.png"), full_page=False)
                records[name] = record
                page.close()
                page = browser.new_page(viewport={"width": 1300, "height": 900})
            browser.close()
    finally:
        server.shutdown()
    return records


@pytest.mark.slow
def test_every_page_loads_without_console_errors_or_failed_requests(browser_pages):
    for name, record in browser_pages.items():
        assert record["console_errors"] == [], (name, record["console_errors"])
        assert record["failed"] == [] and record["bad_status"] == [], (name, record["failed"], record["bad_status"])


@pytest.mark.slow
def test_no_page_contacts_a_remote_host(browser_pages):
    for name, record in browser_pages.items():
        assert record["remote"] == [], (name, record["remote"])


@pytest.mark.slow
def test_every_figure_loads(browser_pages):
    figures = sum(markdown(p).count("{glue:figure}") for p in CHAPTERS)
    assert sum(r["images"] for r in browser_pages.values()) >= figures  # every glued figure is on a page
    for name, record in browser_pages.items():
        assert record["broken_images"] == [], (name, record["broken_images"])


@pytest.mark.slow
def test_internal_links_resolve(browser_pages, built_book):
    from urllib.parse import urldefrag, urlparse

    for name, record in browser_pages.items():
        page_dir = (built_book / name).parent
        for href in record["links"]:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("mailto:", "#", "javascript:")):
                continue
            target, fragment = urldefrag(href)
            path = (page_dir / target).resolve()
            assert path.exists(), f"{name}: broken link {href}"
            if fragment and path.suffix == ".html":
                assert f'id="{fragment}"' in path.read_text(), f"{name}: missing anchor {href}"


@pytest.mark.slow
def test_screenshots_are_saved(browser_pages):
    for name in ("index", "chapters_ahmadinejad"):
        assert (ROOT / "_build" / "screenshots" / f"{name}.png").stat().st_size > 10_000
