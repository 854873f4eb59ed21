"""The whole book as one PDF for class: ``make pdf`` (``python -m sinoiran pdf``).

How: the HTML book is built as usual (executing only stale chapters), then
Sphinx's single-page builder writes every page, figure, table and glued number
into one HTML page, which Debian's Chromium prints to PDF (A4, backgrounds on).
The book's print stylesheet (``_static/sinoiran.css``) leaves out the web page's
chrome and the code toggles, starts every chapter on a new page and fits tables
to the page. Before printing, :data:`PREPARE` adds to the page what only the
printed book has:

* a title page with the book's title, the date it was printed and the commit it
  was built from;
* a contents list of the parts and chapters with their page numbers: the page
  is printed once, each chapter's page is read from the PDF's bookmarks (its
  outline, made from the headings), the numbers are filled in and the page is
  printed again (the numbers take the same room each time, so no page moves);
* an appendix with the classroom guide's solutions (code, output and
  discussion), so that the exercises print without their answers.

No LaTeX, nothing from the network. The PDF is written next to the HTML
book (``_build/html/sinoiran-book.pdf``, linked from the landing page) and to
``_build/pdf/``. It is written to a temporary name first, so a failed run never
replaces a good PDF.
"""

from __future__ import annotations

import io
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from sinoiran.base.errors import InputError
from sinoiran.base.paths import PROJECT_ROOT
from sinoiran.make.book import build_book
from sinoiran.make.project import source_commit
from sinoiran.make.sphinx import run_sphinx

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
    build_book(root)
    single = build_single_page(root)
    target = root / "_build" / "pdf" / PDF_NAME
    print_to_pdf(single, target, chromium, front_matter(root))
    beside_html = root / "_build" / "html" / PDF_NAME
    shutil.copyfile(target, beside_html.with_suffix(".pdf.tmp"))
    beside_html.with_suffix(".pdf.tmp").replace(beside_html)
    return target


def build_single_page(root: Path) -> Path:
    """Sphinx's ``singlehtml`` build of the book from the same execution cache (warnings as errors)."""
    run_sphinx(root, builder="singlehtml")
    return root / "_build" / "singlehtml" / "index.html"


def front_matter(root: Path) -> dict:
    """What the title page and the contents say: title, author, date (UTC), commit, and the parts of
    ``_toc.yml`` with their chapters' document names."""
    config = yaml.safe_load((root / "_config.yml").read_text())
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return {
        "title": config.get("title", ""),
        "author": config.get("author", ""),
        "date": datetime.now(UTC).strftime("%d %B %Y").lstrip("0"),
        "commit": source_commit(root),
        "credit": "Information from the SIPRI Arms Transfers Database. All calculations are the project's own.",
        "parts": [
            {"caption": part.get("caption", ""), "chapters": [c["file"] for c in part["chapters"]]}
            for part in toc["parts"]
        ],
        "solutions_from": "chapters/classroom_guide",
    }


#: Run in the single page before printing: the title page, the contents (page numbers left blank, in
#: spans that keep their width), and the classroom solutions moved into an appendix at the end.
PREPARE = """(front) => {
  const article = document.querySelector("article.bd-article") || document.querySelector("article");
  const chapterOf = (doc) => {
    const marker = document.getElementById("document-" + doc);
    const section = marker && marker.nextElementSibling;
    const heading = section && section.querySelector("h1, h2");
    return heading ? {section, title: heading.textContent.replace(/#$/, "").trim()} : null;
  };
  const page = (text) => { const span = document.createElement("span"); span.className = "sinoiran-page";
    span.textContent = text; return span; };
  // The title page.
  const title = document.createElement("section");
  title.className = "sinoiran-title-page";
  title.innerHTML = '<p class="sinoiran-book-title"></p><p class="sinoiran-book-author"></p>'
    + '<p class="sinoiran-book-printed"></p><p class="sinoiran-book-commit"></p><p class="sinoiran-book-credit"></p>';
  title.querySelector(".sinoiran-book-title").textContent = front.title;
  title.querySelector(".sinoiran-book-author").textContent = front.author;
  title.querySelector(".sinoiran-book-printed").textContent = "Printed on " + front.date + ".";
  title.querySelector(".sinoiran-book-commit").textContent = "Built from commit " + front.commit + ".";
  title.querySelector(".sinoiran-book-credit").textContent = front.credit;
  // The classroom solutions: each exercise's hidden cells and discussion move to the appendix.
  const appendix = document.createElement("section");
  appendix.className = "sinoiran-appendix";
  appendix.id = "sinoiran-appendix-solutions";
  appendix.innerHTML = "<h2>Appendix: solutions to the classroom exercises</h2>";
  const guide = chapterOf(front.solutions_from);
  if (guide) {
    guide.section.querySelectorAll("section").forEach((exercise) => {
      const heading = exercise.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > h5");
      const answers = exercise.querySelectorAll(":scope > .cell.tag_hide-cell, :scope > .dropdown.admonition");
      if (!heading || answers.length === 0) return;
      const name = heading.textContent.replace(/#$/, "").trim();
      const solution = document.createElement("section");
      const title = document.createElement("h3");
      title.textContent = "Solution to " + name;
      solution.appendChild(title);
      answers.forEach((answer) => { answer.querySelectorAll("details").forEach((d) => { d.open = true; });
        solution.appendChild(answer); });
      appendix.appendChild(solution);
      const pointer = document.createElement("p");
      pointer.className = "sinoiran-solution-pointer";
      pointer.textContent = "The solution is in the appendix at the end of the book.";
      exercise.appendChild(pointer);
    });
  }
  // The contents: parts, chapters and the appendix, each with a page number to fill in.
  const contents = document.createElement("nav");
  contents.className = "sinoiran-contents";
  contents.setAttribute("aria-label", "Contents");
  contents.innerHTML = "<h2>Contents</h2>";
  const list = document.createElement("ol");
  const entry = (text, target) => {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = "#" + target;
    link.textContent = text;
    item.appendChild(link);
    item.appendChild(page("000"));
    item.dataset.title = text;
    return item;
  };
  const landing = article.querySelector("h1");
  if (landing) { list.appendChild(entry(landing.textContent.replace(/#$/, "").trim(), landing.closest("section").id)); }
  front.parts.forEach((part) => {
    const item = document.createElement("li");
    item.className = "sinoiran-part";
    item.textContent = part.caption;
    const chapters = document.createElement("ol");
    part.chapters.forEach((doc) => { const found = chapterOf(doc); if (found) chapters.appendChild(entry(found.title, found.section.id)); });
    item.appendChild(chapters);
    list.appendChild(item);
  });
  if (appendix.children.length > 1) {
    list.appendChild(entry("Appendix: solutions to the classroom exercises", appendix.id));
    (document.querySelector(".toctree-wrapper:last-of-type") || article).appendChild(appendix);
  }
  contents.appendChild(list);
  article.prepend(contents);
  article.prepend(title);
  return Array.from(contents.querySelectorAll("li[data-title]")).map((li) => li.dataset.title);
}"""

#: Fill in the contents' page numbers (a map from title to page).
FILL = """(pages) => { document.querySelectorAll(".sinoiran-contents li[data-title]").forEach((li) => {
  li.querySelector(".sinoiran-page").textContent = String(pages[li.dataset.title] ?? "");
}); }"""


def heading_pages(pdf: bytes) -> list[tuple[str, int]]:
    """Every bookmark (outline entry) of a PDF, in order, with the page it points to (1-based)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, (reader.get_destination_page_number(item) or 0) + 1))

    walk(reader.outline)
    return found


def _key(title: str) -> str:
    """A title without spacing, punctuation or case (Chromium's bookmarks join a wrapped heading's lines)."""
    return re.sub(r"\W+", "", title).lower()


def contents_pages(titles: list[str], bookmarks: list[tuple[str, int]]) -> dict[str, int]:
    """The page of each contents entry: the first bookmark after the previous entry's whose title is the
    entry's (a bookmark may repeat its title when the heading holds a glued value)."""
    pages, start = {}, 0
    for title in titles:
        key = _key(title)
        for position in range(start, len(bookmarks)):
            if _key(bookmarks[position][0]).startswith(key):
                pages[title], start = bookmarks[position][1], position + 1
                break
        else:
            raise RuntimeError(f"make pdf: no bookmark for the chapter {title!r}; cannot number the contents")
    return pages


def print_to_pdf(page: Path, target: Path, chromium: Path = CHROMIUM, front: dict | None = None) -> Path:
    """Print one local HTML page to ``target`` with headless Chromium (A4, print styles, backgrounds,
    bookmarks). With ``front`` (:func:`front_matter`), add the title page, the numbered contents and the
    appendix of solutions first (see the module docstring)."""
    from playwright.sync_api import sync_playwright

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".pdf.tmp")
    options: dict[str, Any] = {
        "format": "A4",
        "print_background": True,
        "outline": True,
        "tagged": True,
        "margin": {"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
        "display_header_footer": True,
        "header_template": "<span></span>",
        "footer_template": (
            '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
            '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
        ),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.emulate_media(media="print")
            if front is None:
                tab.pdf(path=str(partial), **options)
            else:
                titles = tab.evaluate(PREPARE, front)
                pages = contents_pages(titles, heading_pages(tab.pdf(**options)))
                for _ in range(3):  # the numbers keep their room, so one pass settles them; check it
                    tab.evaluate(FILL, pages)
                    printed = tab.pdf(**options)
                    again = contents_pages(titles, heading_pages(printed))
                    if again == pages:
                        break
                    pages = again
                partial.write_bytes(printed)
        finally:
            browser.close()
    partial.replace(target)
    return target
