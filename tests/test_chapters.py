"""The book's chapters: structure, glued numbers, claim coverage, a clean -W -n build, the built book in a
browser and as a PDF, warm execution, and freshness (outputs never go stale)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sinoiran.book.display import VERDICT_COLOURS
from sinoiran.data.paper import CLAIM_IDS

from conftest import CHROMIUM, ROOT, can_print

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
        "## Summary",
        "### What's next?",
    ]:
        assert heading in text, f"{path.name} lacks {heading!r}"
    # A book chapter, not a notebook: no "Imports" heading; all imports in the first code cell (after
    # papermill's parameters), none further down.
    assert "## Imports" not in text, f"{path.name}: a notebook-style Imports heading"
    overview = text.split("## Overview", 1)[1].split("## Prerequisites", 1)[0]
    assert "**What this chapter" in overview.split("\n1. ", 1)[0], f"{path.name}: the overview starts with a finding"
    # A reference list where the chapter cites something, and none (an empty heading) where it does not.
    cites = re.search(r"\{cite(?::[a-z]+)?\}`", text) is not None
    assert ("{bibliography}" in text) == cites, f"{path.name}: a reference list without citations, or the reverse"
    if "## Resources and references" in text:
        assert text.split("## Resources and references", 1)[1].strip(), f"{path.name}: empty references heading"
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    body = [c for c in code if "parameters" not in c.get("metadata", {}).get("tags", [])]
    imports = [i for i, c in enumerate(body) if re.search(r"(?m)^(import|from \S+ import) ", "".join(c["source"]))]
    assert imports == [0], f"{path.name}: imports belong in the first code cell (found in cells {imports})"
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
    assert (built_book / "sinoiran-book.pdf").exists()  # make pdf copies it beside the HTML, as the landing page says


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


#: Strings of the web page's chrome that have no place on paper.
CHROME = (
    "Show code cell",
    "Hide code cell",
    "Toggle hidden content",
    "Copy to clipboard",
    "Click to show",
    "Click to hide",
    "Skip to main content",
    "Back to top",
    "Ctrl+K",
    "¶",
)
#: The width of the A4 page inside its margins (210 mm less 2 x 14 mm) in CSS pixels: the width Chromium
#: lays the printed book out in.
A4_CONTENT_PX = 182 / 25.4 * 96

#: One JavaScript helper for both page checks: the words of a text node that the layout broke across lines
#: (a run of three or more letters whose parts sit on different lines), appended to ``broken``.
_WORDS_BROKEN_IN = """const wordsBrokenIn = (node, broken) => {
    const words = /[A-Za-z]{3,}/g;
    let match;
    while ((match = words.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(match[0]);
    }
  };"""

_PRINTED_CELLS = """(width) => {
  WORDS_BROKEN_IN
  const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const cells = Array.from(document.querySelectorAll("article td, article th")).filter(shown);
  const beyond = cells.filter((c) => c.getBoundingClientRect().right > width + 1 || c.scrollWidth > c.clientWidth + 1)
    .map((c) => `${c.textContent.trim().slice(0, 40)} (right edge ${Math.round(c.getBoundingClientRect().right)} px)`);
  const code = Array.from(document.querySelectorAll("article pre")).filter(shown)
    .filter((c) => c.getBoundingClientRect().right > width + 1 || c.scrollWidth > c.clientWidth + 1)
    .map((c) => c.textContent.trim().slice(0, 40));
  const broken = [];
  cells.forEach((cell) => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest(".long, code, pre")) continue;
      wordsBrokenIn(node, broken);
    }
  });
  return {cells: cells.map((c) => c.textContent), beyond: beyond, code: code, broken: broken};
}""".replace("WORDS_BROKEN_IN", _WORDS_BROKEN_IN)


def _words(text: str) -> list[str]:
    """The words and numbers of a text, as a PDF's text layer holds them (ligatures undone, no punctuation)."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text)
    return [w for w in re.split(r"[^\w$%.,+]+|(?<=\D)[.,]|[.,](?=\D|$)", text) if len(w) >= 3]


def printed_layout(single: Path) -> dict:
    """The single-page book laid out as Chromium prints it (print styles, the A4 column's width)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": round(A4_CONTENT_PX), "height": 1000})
        tab.goto(single.resolve().as_uri(), wait_until="load")
        tab.emulate_media(media="print")
        found = tab.evaluate(_PRINTED_CELLS, A4_CONTENT_PX)
        browser.close()
    return found


@pytest.mark.slow
def test_the_pdf_has_no_cut_cell_and_no_chrome(pdf_text, built_project):
    """No table cell or code line runs past the A4 column, no word of a cell is broken across lines, every
    word of every printed cell is in the PDF's text (a cut column or a cut word would be missing), and none
    of the web page's chrome is printed."""
    _, text = pdf_text
    printed = set(_words(text))
    layout = printed_layout(built_project / "_build" / "singlehtml" / "index.html")
    assert len(layout["cells"]) > 1000
    assert layout["beyond"] == [], layout["beyond"][:10]
    assert layout["code"] == [], layout["code"][:10]
    assert layout["broken"] == [], layout["broken"][:10]  # no word broken inside a printed cell ("Importanc e")
    # A checksum or a file name may wrap inside its cell: such a word is looked for with the lines joined.
    joined = re.sub(r"\s+", "", text)
    missing = sorted({w for cell in layout["cells"] for w in _words(cell) if w not in printed and w not in joined})
    assert missing == [], missing[:30]
    assert [c for c in CHROME if c in text] == []


@pytest.mark.slow
def test_the_pdf_is_a_book(built_project):
    """A title page with the date and the commit; a contents list whose page numbers are the chapters' pages
    (as the PDF's bookmarks give them); every chapter starts a new page; the classroom solutions are in an
    appendix after the exercises."""
    from pypdf import PdfReader

    from sinoiran.make.pdf import contents_pages

    reader = PdfReader(built_project / "_build" / "pdf" / "sinoiran-book.pdf")
    pages = [page.extract_text() for page in reader.pages]
    from sinoiran.make.project import source_commit

    assert re.search(r"Printed on \d{1,2} \w+ 20\d\d\.", pages[0])
    assert f"Built from commit {source_commit(built_project)}." in " ".join(pages[0].split())
    assert pages[1].startswith("Contents")
    listed = [m for m in re.findall(r"^(.+?) (\d+)$", pages[1], re.M) if not re.fullmatch(r"\d+ /", m[0])]
    marks = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                marks.append((item.title, reader.get_destination_page_number(item) + 1, float(item.top or 0)))

    walk(reader.outline)
    titles = [title for title, _ in listed]
    assert len(titles) >= len(toc_files()) + 1
    assert contents_pages(titles, [(t, p) for t, p, _ in marks]) == {title: int(number) for title, number in listed}
    # Every chapter's title stands at the top of its page: a chapter starts a new page. (Chromium places a
    # heading at the top of the page box at 761 pt of 843, below the 16 mm margin and the heading's own.)
    key = lambda t: re.sub(r"\W+", "", t).lower()  # noqa: E731
    chapters, start = [], 0
    for title in titles:  # in order: the chapter's own title, not an earlier section of the same name
        start = next(i for i in range(start, len(marks)) if key(marks[i][0]).startswith(key(title))) + 1
        chapters.append(marks[start - 1])
    low = {t: round(top) for t, _, top in chapters if top < 740}
    assert low == {}, low
    solutions = [i for i, page in enumerate(pages) if "Solution to Exercise 1" in page]
    exercises = [i for i, page in enumerate(pages) if "Exercise 1: recompute" in page]
    assert solutions and exercises and min(exercises) < min(solutions)
    assert "Discussion of the solution" not in "".join(pages[min(exercises) : min(exercises) + 3])


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
  WORDS_BROKEN_IN
  const content = document.querySelector("article") || document.body;
  const figures = Array.from(content.querySelectorAll("img")).filter((i) => i.clientWidth > 0).map((i) => ({
    src: i.getAttribute("src"), natural: i.naturalWidth, shown: i.clientWidth,
  }));
  const cut = Array.from(document.querySelectorAll("td, th")).map((c) => c.textContent.trim())
    .filter((t) => /(…|\\.\\.\\.)$/.test(t)).map((t) => t.slice(-60));
  // Each table's key cells (class "key"; else each row's first cell) and verdict cells (class "verdict";
  // else any cell whose text is a verdict) must lie inside the screen's width before anyone scrolls.
  const verdicts = new Set(VERDICTS);
  const offscreen = [];
  let tables = 0;
  content.querySelectorAll("table").forEach((table) => {
    if (!table.offsetParent) return;  // not shown
    tables += 1;
    const rows = Array.from(table.rows);
    const marked = table.querySelector("td.key, td.verdict") !== null;
    rows.forEach((row) => Array.from(row.cells).forEach((cell, i) => {
      const key = marked ? cell.classList.contains("key") : i === 0;
      const verdict = marked ? cell.classList.contains("verdict") : verdicts.has(cell.textContent.trim());
      if (!key && !verdict) return;
      const box = cell.getBoundingClientRect();
      if (box.width > 0 && (box.left < -1 || box.right > window.innerWidth + 1)) {
        offscreen.push(`${cell.textContent.trim().slice(0, 30)} (${Math.round(box.left)}-${Math.round(box.right)} px)`);
      }
    }));
  });
  // Words broken inside a cell: a run of letters whose parts sit on different lines. Checksums and code
  // (class "long", code spans) may break anywhere; a break at a hyphen is between words.
  const broken = [];
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || !parent.closest("td, th") || parent.closest(".long, code, pre") || !parent.offsetParent) continue;
    wordsBrokenIn(node, broken);
  }
  return {
    scroll_width: document.documentElement.scrollWidth,
    viewport_width: window.innerWidth,
    figures: figures,
    cut_cells: cut,
    tables: tables,
    offscreen_key_cells: offscreen,
    broken_words: broken,
    height: document.documentElement.scrollHeight,
  };
}""".replace("VERDICTS", json.dumps(sorted(VERDICT_COLOURS))).replace("WORDS_BROKEN_IN", _WORDS_BROKEN_IN)

#: Everything on a page that scrolls, and whether the keyboard can reach it (focusable itself).
_SCROLLERS = """() => Array.from(document.querySelectorAll("article *")).filter((e) => {
    const style = getComputedStyle(e);
    return (/(auto|scroll)/.test(style.overflowX) && e.scrollWidth > e.clientWidth + 1)
      || (/(auto|scroll)/.test(style.overflowY) && e.scrollHeight > e.clientHeight + 1);
  }).filter((e) => e.tabIndex < 0).map((e) => e.outerHTML.slice(0, 120))"""

#: The figures' alternative texts (the book's own images, not the theme's icons).
_ALTS = """() => Array.from(document.querySelectorAll("article img")).filter((i) => (i.getAttribute("src") || "")
  .includes("_images/")).map((i) => ({src: i.getAttribute("src"), alt: i.getAttribute("alt")}))"""

#: axe-core's WCAG 2 A and AA rules (2.0 and 2.1). No preload: axe would fetch the theme's stylesheets
#: again by XHR (resolving their @import against the page, so a 404 that is axe's, not the book's).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
    "preload": False,
}


def axe_findings(axe, tab) -> list[str]:
    """The serious and critical WCAG 2 AA findings of axe-core on the page in ``tab``, one line each."""
    violations = axe.run(tab, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {node['html'][:100]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
        for node in v["nodes"]
    ]


@pytest.fixture(scope="module")
def browser_pages(built_book):
    """Serve the built HTML on localhost, visit every page in headless Chromium at desktop and phone width,
    search for what readers type, and record what happened."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (Debian package 'chromium'; .ci/run installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()  # axe-core as the package ships it, run inside the page; nothing is downloaded
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
                record["alts"] = page.evaluate(_ALTS)
                record["axe_desktop"] = axe_findings(axe, page)
                record["unreachable_desktop"] = page.evaluate(_SCROLLERS)
                if name == "chapters/claims_ledger":
                    record["filter"] = keyboard_through_the_filter(page)
                if name in SCREENSHOTS:
                    page.screenshot(path=str(shots / f"{name.replace('/', '_')}_desktop.png"))
                phone.goto(base + f"{name}.html", wait_until="load")
                record["phone"] = phone.evaluate(_PHONE_CHECKS)
                record["axe_phone"] = axe_findings(axe, phone)
                record["unreachable_phone"] = phone.evaluate(_SCROLLERS)
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


def keyboard_through_the_filter(tab) -> dict:
    """Reach the ledger's filter with the keyboard, type a claim ID, and Tab on into the table's scroll box."""
    tab.focus("input.sinoiran-filter")
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")  # back into the filter from the element before it: it is in the tab order
    reached = tab.evaluate("document.activeElement.classList.contains('sinoiran-filter')")
    tab.keyboard.type("MAIN-CHN-SUM")
    count = tab.eval_on_selector(".sinoiran-count", "p => p.textContent")
    tab.keyboard.press("Tab")
    into_table = tab.evaluate("document.activeElement.classList.contains('sinoiran-scroll')")
    return {"reached": reached, "count": count, "into_table": into_table}


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
def test_every_link_of_the_index_has_its_anchor(built_book):
    """The general index links every entry to an anchor that exists on its page."""
    index = (built_book / "genindex.html").read_text()
    links = sorted(set(re.findall(r'href="([\w/.-]+\.html)#([^"]+)"', index)))
    assert len(links) > 20
    missing = [f"{page}#{anchor}" for page, anchor in links if f'id="{anchor}"' not in (built_book / page).read_text()]
    assert missing == []


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
def test_key_and_verdict_cells_stay_on_a_phones_screen(browser_pages):
    """At 390 px every table's key cells and verdict cells are inside the screen before any scrolling."""
    assert sum(r["phone"]["tables"] for r in _pages(browser_pages).values()) > 80
    for name, record in _pages(browser_pages).items():
        assert record["phone"]["offscreen_key_cells"] == [], (name, record["phone"]["offscreen_key_cells"][:10])


@pytest.mark.slow
def test_no_word_is_broken_inside_a_table_cell_on_a_phone(browser_pages):
    for name, record in _pages(browser_pages).items():
        assert record["phone"]["broken_words"] == [], (name, record["phone"]["broken_words"][:10])


@pytest.mark.slow
def test_every_page_passes_the_wcag_aa_audit_at_both_widths(browser_pages):
    """axe-core (WCAG 2.0 and 2.1, levels A and AA) finds nothing serious or critical on any page, at 1280 px
    and at 390 px."""
    for name, record in _pages(browser_pages).items():
        assert record["axe_desktop"] == [], (name, "1280 px", record["axe_desktop"][:5])
        assert record["axe_phone"] == [], (name, "390 px", record["axe_phone"][:5])


@pytest.mark.slow
def test_the_keyboard_reaches_every_scrolling_box_and_the_ledger_filter(browser_pages):
    for name, record in _pages(browser_pages).items():
        assert record["unreachable_desktop"] == [], (name, "1280 px", record["unreachable_desktop"][:3])
        assert record["unreachable_phone"] == [], (name, "390 px", record["unreachable_phone"][:3])
    found = browser_pages["chapters/claims_ledger"]["filter"]
    assert found["reached"] and found["into_table"], found
    assert re.match(r"\d+ of \d+ rows", found["count"]) and not found["count"].startswith("0 "), found


#: An alternative text that names a file instead of describing a figure.
PATH_OR_HASH = re.compile(r"(^|\s)(\.{0,2}/|_images)|\S\\\S|\.(svg|png|jpe?g)\b|\b[0-9a-f]{12,}\b", re.I)


def alt_problem(alt: str | None) -> str | None:
    """Why ``alt`` does not describe a figure in one sentence (None when it does)."""
    if alt is None or not alt.strip():
        return "empty"
    if PATH_OR_HASH.search(alt):
        return "a path or a hash"
    if len(alt.split()) < 6 or not alt.endswith("."):
        return "not a sentence"
    if len(re.findall(r"[.!?](?:\s|$)", alt)) != 1:
        return "more than one sentence"
    return None


def test_the_alt_check_rejects_names_and_hashes():
    assert alt_problem("../_images/5b7eef34a57eee76fcc51d19bf395466.svg") == "a path or a hash"
    assert alt_problem("5b7eef34a57eee76fcc51d19") == "a path or a hash"
    assert alt_problem("_images/figure.svg") == "a path or a hash"
    assert alt_problem("Stacked areas of imports by group: Russia/USSR leads in 1992-2006.") is None
    assert alt_problem("") == "empty" and alt_problem(None) == "empty"
    assert alt_problem("A chart.") == "not a sentence"
    assert alt_problem("Lines of deliveries to Iran by release. China leads after 2008.") == "more than one sentence"
    assert alt_problem("Lines of China's yearly deliveries to Iran, 2000-2016: the peak is 84.5 in 2003.") is None


@pytest.mark.slow
def test_every_figure_is_described_in_one_sentence(browser_pages):
    alts = [(name, a) for name, record in _pages(browser_pages).items() for a in record["alts"]]
    assert len(alts) >= sum(markdown(p).count("{glue:figure}") for p in CHAPTERS)
    problems = [(name, a["src"], a["alt"], alt_problem(a["alt"])) for name, a in alts if alt_problem(a["alt"])]
    assert problems == []


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

    from sinoiran.make.cache import cache_path
    from sinoiran.make.project import chapters

    cache = get_cache(cache_path(built_project))
    for path in chapters(built_project):
        record = cache.get_cached_project_nb(str(path))
        assert record is not None, f"{path.name}: not in the build's cache"
        warm = cache.get_cache_bundle(record.pk).nb
        stored = nbformat.read(ROOT / "chapters" / path.name, as_version=4)
        assert differences(warm, stored) == [], path.name


# --- what the shared build printed --------------------------------------------------------------

#: What a quiet command never prints: the kernel's TCP warning, the extensions' configuration dumps,
#: colour codes, tracebacks.
NOISE = re.compile(r"eavesdropping|Config\(|\x1b\[|Traceback|\{\s*\"key\"")


def assert_quiet(output: str, first_words: str) -> None:
    """The command said one sentence (starting with ``first_words``) and nothing else worth a reader's time."""
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert not NOISE.search(output), output[-3000:]
    assert len(lines) == 1 and lines[0].startswith(first_words) and lines[0].endswith((".", ")")), output[-3000:]


@pytest.mark.slow
def test_make_pdf_says_one_sentence(built_project):
    """The build the tests share (``python -m sinoiran pdf``: chapters executed, two Sphinx builds, the PDF)
    printed one sentence: no kernel warnings, no configuration dumps."""
    assert_quiet((built_project / "_build" / "command-output.txt").read_text(), "The PDF")
