"""The book's chapters: structure, glued numbers, claim coverage, a clean -W -n build, the built book in a
browser and as a PDF, warm execution, and freshness (outputs never go stale)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sinoiran.data.paper import CLAIM_IDS

from conftest import CHROMIUM, ROOT, can_print
from workspace import change_one_table, copy_env

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
    ]:
        assert heading in text, f"{path.name} lacks {heading!r}"
    # A reference list where the chapter cites something, and none (an empty heading) where it does not.
    cites = re.search(r"\{cite(?::[a-z]+)?\}`", text) is not None
    assert ("{bibliography}" in text) == cites, f"{path.name}: a reference list without citations, or the reverse"
    if "## Resources and references" in text:
        assert text.split("## Resources and references", 1)[1].strip(), f"{path.name}: empty references heading"
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


@pytest.mark.slow
def test_book_builds_with_warnings_as_errors(built_book):
    for name in toc_files():
        assert (built_book / f"{name}.html").exists(), name


def test_every_whats_next_links_to_the_next_page():
    """A chapter's "What's next?" describes the page its Next button leads to, and links to it."""
    pages = toc_files()
    for name, following in zip(pages, pages[1:], strict=False):
        path = ROOT / f"{name}.ipynb"
        text = markdown(path) if path.exists() else (ROOT / f"{name}.md").read_text()
        section = re.search(r"### What's next\?\n(.*?)(?:\n## |\Z)", text, re.S)
        assert section, f"{name}: no What's next section"
        targets = {
            str((ROOT / name).parent.joinpath(t).resolve().relative_to(ROOT.resolve()))
            for t in re.findall(r"\]\(([^)#]+)\)", section[1])
        }
        assert following in targets, f"{name}: What's next should link to the next page, {following}"


# --- the PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pdf_text(built_project) -> tuple[int, str]:
    if not can_print():
        pytest.skip(f"{CHROMIUM} not installed (Debian package 'chromium'; .ci/run installs it)")
    from pypdf import PdfReader

    reader = PdfReader(built_project / "_build" / "pdf" / "sinoiran-book.pdf")
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow
def test_the_pdf_holds_the_whole_book(pdf_text, built_book):
    pages, text = pdf_text
    flat = re.sub(r"\s+", " ", text)
    assert 60 <= pages <= 400, f"{pages} pages"
    for title in ["What the replication found", "Claims ledger", "Methodology review", "Your own country", "Glossary"]:
        assert title in flat, title
    for claim_id in CLAIM_IDS:
        assert claim_id in flat, claim_id
    assert (built_book / "sinoiran-book.pdf").exists()  # the landing page links to it


@pytest.mark.slow
def test_the_pdf_has_the_glued_numbers(pdf_text):
    """The landing page's headline numbers, recomputed here from the ledger, are in the PDF's text."""
    from sinoiran import claims
    from sinoiran.data import tables

    ranges = claims.amount_ranges(claims.ledger(tables.load_inputs())).set_index("claim_id")
    _, text = pdf_text
    flat = re.sub(r"\s+", " ", text)
    chn = ranges.loc["MAIN-CHN-SUM"]
    assert f"give {chn['lowest']:.0f} to {chn['highest']:.0f} million TIV" in flat
    assert f"prints {chn['paper']:.0f} million" in flat


# --- the built book in a real browser -----------------------------------------------------------

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
#: Pages photographed at both widths (saved under _build/screenshots).
SCREENSHOTS = ("index", "chapters/claims_ledger", "chapters/ahmadinejad")
#: What a reader types into the search box, and the page the answer is on.
SEARCHES = {
    "S-300": "chapters/ahmadinejad",
    "C-802": "chapters/ahmadinejad",
    "470": "chapters/claims_ledger",
    "MAIN-CHN-SUM": "chapters/claims_ledger",
    "TIV": "glossary",
}
#: Cells whose text ends like this were cut short.
CUT = re.compile(r"(…|\.\.\.)$")

_PHONE_CHECKS = """() => {
  const content = document.querySelector("article") || document.body;
  const figures = Array.from(content.querySelectorAll("img")).filter((i) => i.clientWidth > 0).map((i) => ({
    src: i.getAttribute("src"), natural: i.naturalWidth, shown: i.clientWidth,
  }));
  const cut = Array.from(document.querySelectorAll("td, th")).map((c) => c.textContent.trim())
    .filter((t) => /(…|\\.\\.\\.)$/.test(t)).map((t) => t.slice(-60));
  return {
    scroll_width: document.documentElement.scrollWidth,
    viewport_width: window.innerWidth,
    figures: figures,
    cut_cells: cut,
    height: document.documentElement.scrollHeight,
  };
}"""


@pytest.fixture(scope="module")
def browser_pages(built_book):
    """Serve the built HTML on localhost, visit every page in headless Chromium at desktop and phone width,
    search for what readers type, and record what happened."""
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
    records: dict[str, dict] = {}
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            # One tab per width, reused from page to page; the listeners write into the current record.
            page = browser.new_page(viewport=DESKTOP)
            phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
            current: dict = {}
            page.on("console", lambda m: current["console_errors"].append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: current["console_errors"].append(str(e)))
            page.on("requestfailed", lambda q: current["failed"].append(q.url))
            page.on(
                "request",
                lambda q: (
                    current["remote"].append(q.url)
                    if urlparse(q.url).hostname not in {"127.0.0.1", *ALLOWED_REMOTE_HOSTS}
                    and not q.url.startswith("data:")
                    else None
                ),
            )
            page.on(
                "response", lambda s: current["bad_status"].append(f"{s.status} {s.url}") if s.status >= 400 else None
            )
            for name in pages:
                record = {"console_errors": [], "failed": [], "remote": [], "bad_status": []}
                current.clear()
                current.update(record)
                page.goto(base + f"{name}.html", wait_until="networkidle")
                record = dict(current)
                record["broken_images"] = page.eval_on_selector_all(
                    "img", "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
                )
                record["images"] = page.eval_on_selector_all("img", "imgs => imgs.length")
                record["links"] = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
                record["claim_links"] = page.eval_on_selector_all(
                    "a.claim-link", "as => as.map(a => a.getAttribute('href'))"
                )
                record["desktop_height"] = page.evaluate("document.documentElement.scrollHeight")
                if name in SCREENSHOTS:
                    page.screenshot(path=str(shots / f"{name.replace('/', '_')}_desktop.png"))
                phone.goto(base + f"{name}.html", wait_until="load")
                record["phone"] = phone.evaluate(_PHONE_CHECKS)
                if name in SCREENSHOTS:
                    phone.screenshot(path=str(shots / f"{name.replace('/', '_')}_phone.png"))
                records[name] = record
            search = browser.new_page(viewport=DESKTOP)
            records["_search"] = {}
            for query in SEARCHES:
                search.goto(base + f"search.html?q={query}", wait_until="networkidle")
                search.wait_for_function(
                    "() => { const s = document.querySelector('p.search-summary');"
                    " return s && s.textContent.trim() !== '' && !/Preparing|Searching/.test(s.textContent); }",
                    timeout=30_000,
                )
                records["_search"][query] = search.eval_on_selector_all(
                    "#search-results ul.search li a", "as => as.map(a => a.getAttribute('href'))"
                )
            browser.close()
    finally:
        server.shutdown()
    (ROOT / "_build" / "page-heights.json").write_text(
        json.dumps({n: r["desktop_height"] for n, r in records.items() if n != "_search"}, indent=1)
    )
    return records


def _pages(records: dict) -> dict:
    return {name: record for name, record in records.items() if name != "_search"}


@pytest.mark.slow
def test_every_page_loads_without_console_errors_or_failed_requests(browser_pages):
    for name, record in _pages(browser_pages).items():
        assert record["console_errors"] == [], (name, record["console_errors"])
        assert record["failed"] == [] and record["bad_status"] == [], (name, record["failed"], record["bad_status"])


@pytest.mark.slow
def test_no_page_contacts_a_remote_host(browser_pages):
    for name, record in _pages(browser_pages).items():
        assert record["remote"] == [], (name, record["remote"])


@pytest.mark.slow
def test_every_figure_loads(browser_pages):
    figures = sum(markdown(p).count("{glue:figure}") for p in CHAPTERS)
    assert sum(r["images"] for r in _pages(browser_pages).values()) >= figures  # every glued figure is on a page
    for name, record in _pages(browser_pages).items():
        assert record["broken_images"] == [], (name, record["broken_images"])


@pytest.mark.slow
def test_internal_links_resolve(browser_pages, built_book):
    from urllib.parse import urldefrag, urlparse

    for name, record in _pages(browser_pages).items():
        page_dir = (built_book / name).parent
        for href in record["links"]:
            parsed = urlparse(href)
            if parsed.scheme or href.startswith(("mailto:", "javascript:")):
                continue
            target, fragment = urldefrag(href)
            path = (page_dir / target).resolve() if target else built_book / f"{name}.html"
            assert path.exists(), f"{name}: broken link {href}"
            if fragment and path.suffix == ".html":
                assert f'id="{fragment}"' in path.read_text(), f"{name}: missing anchor {href}"


@pytest.mark.slow
def test_claim_ids_link_to_their_ledger_entry(browser_pages):
    """Claim IDs in the prose and tables link to the ledger's entries (that the anchors exist is checked above)."""
    links = [href for record in _pages(browser_pages).values() for href in record["claim_links"]]
    assert len(links) >= len(CLAIM_IDS)
    assert all("#claim-" in href for href in links)
    linked = {href.split("#claim-")[1] for href in links}
    assert linked >= {c.lower() for c in CLAIM_IDS if c.startswith("MAIN")}


@pytest.mark.slow
def test_no_page_scrolls_sideways_on_a_phone(browser_pages):
    for name, record in _pages(browser_pages).items():
        phone = record["phone"]
        assert phone["scroll_width"] <= phone["viewport_width"], (name, phone["scroll_width"])


@pytest.mark.slow
def test_no_table_cell_is_cut_short(browser_pages):
    for name, record in _pages(browser_pages).items():
        assert record["phone"]["cut_cells"] == [], (name, record["phone"]["cut_cells"])


@pytest.mark.slow
def test_figures_are_vector_or_sharp_at_phone_width(browser_pages):
    """Every figure is SVG or has at least twice the pixels it is shown with (a phone's 2x screen)."""
    seen = 0
    for name, record in _pages(browser_pages).items():
        for figure in record["phone"]["figures"]:
            if "_images/" not in (figure["src"] or ""):
                continue  # the theme's own icons
            seen += 1
            sharp = figure["src"].endswith(".svg") or figure["natural"] >= 2 * figure["shown"]
            assert sharp, (name, figure)
    assert seen > 0


@pytest.mark.slow
def test_search_finds_what_readers_type(browser_pages):
    for query, page in SEARCHES.items():
        results = browser_pages["_search"][query]
        assert any(href.split("#")[0] == f"{page}.html" for href in results[:3]), (query, results[:5])


@pytest.mark.slow
def test_screenshots_are_saved(browser_pages):
    for name in SCREENSHOTS:
        for width in ("desktop", "phone"):
            assert (ROOT / "_build" / "screenshots" / f"{name.replace('/', '_')}_{width}.png").stat().st_size > 10_000


# --- warm execution: the book's executions match the stored outputs ---------------------------------


@pytest.mark.slow
def test_warm_executions_match_the_stored_outputs_cell_by_cell(built_project):
    """The build ran every chapter on warm kernels (two kernels, chapters in turn, longest first). Each
    executed chapter equals the stored one output by output, and strict nbval checks the stored outputs
    against fresh kernels in the same run: warm and fresh executions agree."""
    import nbformat
    from jupyter_cache import get_cache
    from outputs import differences

    from sinoiran.book.runner import cache_path, chapters

    cache = get_cache(cache_path(built_project))
    for path in chapters(built_project):
        record = cache.get_cached_project_nb(str(path))
        assert record is not None, f"{path.name}: not in the build's cache"
        warm = cache.get_cache_bundle(record.pk).nb
        stored = nbformat.read(ROOT / "chapters" / path.name, as_version=4)
        assert differences(warm, stored) == [], path.name


# --- freshness: outputs never go stale --------------------------------------------------------------
# Each chapter's execution is keyed on the files it read and the modules it runs. These tests start
# from the build the browser and PDF tests used (same module, same worker: no second cold build) and
# change it in turn, running the same command as `make book`.


#: What a quiet command never prints: the kernel's TCP warning, the extensions' configuration dumps,
#: colour codes, tracebacks.
NOISE = re.compile(r"eavesdropping|Config\(|\x1b\[|Traceback|\{\s*\"key\"")


def assert_quiet(output: str, first_words: str) -> None:
    """The command said one sentence (starting with ``first_words``) and nothing else worth a reader's time."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert not NOISE.search(output), output[-3000:]
    assert len(lines) == 1 and lines[0].startswith(first_words) and lines[0].endswith("."), output[-3000:]


def build(project: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "sinoiran", "book"], cwd=project, env=copy_env(project), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert_quiet(result.stdout + result.stderr, "The book")
    from sinoiran.book.runner import BUILD_RECORD

    return json.loads((project / BUILD_RECORD).read_text())


@pytest.mark.slow
def test_make_pdf_says_one_sentence(built_project):
    """The build the tests share (``python -m sinoiran pdf``: chapters executed, two Sphinx builds, the PDF)
    printed one sentence: no kernel warnings, no configuration dumps."""
    assert_quiet((built_project / "_build" / "command-output.txt").read_text(), "The PDF")


@pytest.fixture(scope="module")
def project(built_project) -> Path:
    """The project the browser and PDF tests built (they run first, in the same worker): no second cold build.

    Its first build executed every chapter; the tests below change it in turn."""
    deps = json.loads((built_project / "_build" / ".chapter-deps.json").read_text())
    assert len(deps) == len(list((built_project / "chapters").glob("*.ipynb")))
    return built_project


@pytest.mark.slow
def test_a_build_with_no_change_executes_nothing(project):
    again = build(project)
    assert again.get("up_to_date") is True


@pytest.mark.slow
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


@pytest.mark.slow
def test_changing_one_table_re_executes_only_the_chapters_that_read_it(project):
    build(project)
    readers = readers_of(project, "data/events.csv", "data/datapackage.json")
    new_hash = change_one_table(project)  # events.csv, and its checksum in datapackage.json
    after = build(project)
    assert set(after["executed_chapters"]) == readers
    assert 0 < after["executed"] < after["chapters"]  # the others are served from the cache: still fresh
    html = (project / "_build" / "html" / "chapters" / "data_sources.html").read_text()
    assert new_hash in html  # the page shows the new table's checksum, not the cached one


@pytest.mark.slow
def test_a_chapter_that_did_not_read_the_changed_table_is_not_re_executed(project):
    build(project)
    readers = readers_of(project, "data/sipri_mirror_2026_items.csv", "data/datapackage.json")
    assert "trends.ipynb" not in readers  # it reads the TIV table and one field of datapackage.json
    change_one_table(project, "sipri_mirror_items")
    after = build(project)
    assert set(after["executed_chapters"]) == readers


@pytest.mark.slow
def test_changing_library_code_re_executes_the_chapters_that_run_it(project):
    from sinoiran.book.runner import chapter_modules, chapters

    module = project / "src" / "sinoiran" / "analysis" / "series.py"
    users = {p.name for p in chapters(project) if module in chapter_modules(project, p)}
    module.write_text(module.read_text() + "\n# a change to the library\n")
    result = build(project)
    assert set(result["executed_chapters"]) == users and users
