"""The whole book as one PDF for class: ``make pdf`` (``python -m sinoiran pdf``).

How: the HTML book is built as usual (executing only stale chapters), then
Sphinx's single-page builder writes every page, figure, table and glued number
into one HTML page, which Debian's Chromium prints to PDF (A4, backgrounds on,
the book's print stylesheet hides navigation and opens the interactive ledger in
full). No LaTeX, nothing from the network. The PDF is written next to the HTML
book (``_build/html/sinoiran-book.pdf``, linked from the landing page) and to
``_build/pdf/``. It is written to a temporary name first, so a failed run never
replaces a good PDF.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sinoiran.base.errors import InputError
from sinoiran.base.paths import PROJECT_ROOT
from sinoiran.book import runner

CHROMIUM = Path("/usr/bin/chromium")
PDF_NAME = "sinoiran-book.pdf"


def build_pdf(root: Path = PROJECT_ROOT, chromium: Path = CHROMIUM) -> Path:
    """Build the HTML book, then the single-page book, then print it to ``_build/pdf/sinoiran-book.pdf``.

    Returns the PDF's path; also copies it into ``_build/html`` for the landing page's link.
    Refuses (``InputError``, exit 2) when Chromium is not installed."""
    if not chromium.exists():
        raise InputError(
            chromium, "not found: make pdf prints the book with Debian's package 'chromium' (apt-get install chromium)"
        )
    runner.build_book(root)
    single = build_single_page(root)
    target = root / "_build" / "pdf" / PDF_NAME
    print_to_pdf(single, target, chromium)
    beside_html = root / "_build" / "html" / PDF_NAME
    shutil.copyfile(target, beside_html.with_suffix(".pdf.tmp"))
    beside_html.with_suffix(".pdf.tmp").replace(beside_html)
    return target


def build_single_page(root: Path) -> Path:
    """Sphinx's ``singlehtml`` build of the book from the same execution cache (warnings as errors)."""
    runner.run_sphinx(root, runner.write_build_config(root), builder="singlehtml")
    return root / "_build" / "singlehtml" / "index.html"


def print_to_pdf(page: Path, target: Path, chromium: Path = CHROMIUM) -> Path:
    """Print one local HTML page to ``target`` with headless Chromium (A4, print styles, backgrounds)."""
    from playwright.sync_api import sync_playwright

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.tmp")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.emulate_media(media="print")
            tab.pdf(
                path=str(partial),
                format="A4",
                print_background=True,
                margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=(
                    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
                    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
                ),
            )
        finally:
            browser.close()
    partial.replace(target)
    return target
