"""A small Sphinx extension for the book's HTML.

**Claim IDs link to their ledger entry.** Wherever a claim ID (``MAIN-CHN-SUM``)
appears as a code span in the prose or as a whole table cell, the page links it
to the claim's anchored entry in the claims ledger
(:func:`sinoiran.book.ledger_page.anchor`); in the single-page build (``make pdf``)
the link is to the anchor on the same page.

**Author-year labels in the bibliography.** The text cites author-year
("Beehner 2006"); the reference lists use the same form as their labels
(``author_year`` style, registered with pybtex here) instead of pybtex's
abbreviated alpha labels ("[Bee06]").

**The execution record.** The ``{execution-record}`` directive renders
``_build/execution-record.json``, written by the engine (:mod:`sinoiran.make.book`) just before Sphinx
starts: the commit the book was built from, and each chapter's real run time
and when it ran (in this build, or in an earlier one with the same inputs). It
is a build-time table, not a chapter output, so stored outputs do not change
with the clock.

**Accessible reference lists.** Docutils marks a reference list ``role="list"``
and each reference ``role="doc-biblioentry"``, a role ARIA has deprecated, so
the list appears to hold the entries' back-links instead of list items (axe:
"aria-required-children", critical). Each entry becomes a ``listitem``
(:func:`accessible_citations`).

**Figures described, not named.** A glued figure's image would have its file
name as ``alt`` ("../_images/5b7eef34….svg"). Its SVG carries its alternative
text as ``<title>`` (:func:`sinoiran.book.glue.glue_figure`), which becomes the
image's ``alt`` (:func:`svg_title`).

**Duplicate scripts.** Jupyter Book 1.x registers sphinx-thebe's inline configuration script twice, so
every page declares ``const THEBE_JS_URL`` twice and the browser reports a
JavaScript error on load. This extension drops exact duplicate script entries
from each page before it is rendered.
"""

from __future__ import annotations

import re

from sinoiran.book.ledger_page import LEDGER_DOCNAME, anchor
from sinoiran.data.paper import CLAIM_IDS

_IDS = "|".join(sorted((re.escape(c) for c in CLAIM_IDS), key=len, reverse=True))
#: A claim ID as a code span (Sphinx's HTML for a literal) or as a table cell's whole text.
_CODE_SPAN = re.compile(rf'<code class="docutils literal notranslate"><span class="pre">({_IDS})</span></code>')
_TABLE_CELL = re.compile(rf"(<td[^>]*>)\s*({_IDS})\s*(</td>)")


def _dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        # The two copies differ only in filename: None for one, "" for the other.
        key = (getattr(script, "filename", None) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def ledger_href(builder_name: str, relative_uri: str, claim_id: str) -> str:
    """The link to a claim's ledger entry from a page whose relative URI to the ledger is ``relative_uri``."""
    if builder_name == "singlehtml":
        return f"#{anchor(claim_id)}"
    return f"{relative_uri}#{anchor(claim_id)}"


def link_claim_ids(body: str, href) -> str:
    """``body`` (a page's HTML) with every claim-ID code span and whole-cell claim ID linked to ``href(claim_id)``."""
    body = _CODE_SPAN.sub(lambda m: f'<a class="claim-link" href="{href(m[1])}">{m[0]}</a>', body)
    return _TABLE_CELL.sub(lambda m: f'{m[1]}<a class="claim-link" href="{href(m[2])}">{m[2]}</a>{m[3]}', body)


def _link_claims(app, pagename, templatename, context, doctree) -> None:
    if "body" not in context:
        return
    relative = "" if pagename == LEDGER_DOCNAME else app.builder.get_relative_uri(pagename, LEDGER_DOCNAME)
    body = link_claim_ids(context["body"], lambda c: ledger_href(app.builder.name, relative, c))
    context["body"] = accessible_citations(body)


def accessible_citations(body: str) -> str:
    """``body`` with each reference of a reference list a list item (``role="listitem"``), not the deprecated
    ``doc-biblioentry`` that leaves its list without items."""
    return re.sub(r'(<div class="citation" id="[^"]*") role="doc-biblioentry"', r'\1 role="listitem"', body)


_SVG_TITLE = re.compile(r"<svg\b[^>]*>\s*<title>(.*?)</title>", re.S)


def svg_title(svg: str) -> str | None:
    """The text of an SVG's own ``<title>`` (its first element), unescaped; None when it has none."""
    import html

    found = _SVG_TITLE.search(svg)
    return " ".join(html.unescape(found[1]).split()) if found else None


def _describe_figures(app, doctree, docname) -> None:
    """Every SVG image that carries a ``<title>`` gets it as its ``alt`` (instead of its file name)."""
    from pathlib import Path

    from docutils import nodes

    for image in doctree.findall(nodes.image):
        uri = image.get("candidates", {}).get("image/svg+xml") or image.get("uri", "")
        if not uri.endswith(".svg") or image.get("alt"):
            continue
        path = Path(app.srcdir) / uri
        if path.is_file():
            title = svg_title(path.read_text(encoding="utf-8"))
            if title:
                image["alt"] = title


def _register_author_year_style() -> None:
    from pybtex.plugin import register_plugin
    from pybtex.style.formatting.unsrt import Style as UnsrtStyle
    from pybtex.style.labels import BaseLabelStyle

    class AuthorYearLabels(BaseLabelStyle):
        """Labels such as "Beehner 2006", "Kreps and Smith 2008", "Rubin et al. 2012" (2026a, 2026b when shared)."""

        def format_labels(self, sorted_entries):
            entries = list(sorted_entries)
            labels = [author_year_label(entry) for entry in entries]
            # Same authors and year twice: 2026a, 2026b, in the order of the list.
            seen: dict[str, int] = {}
            for label in labels:
                if labels.count(label) > 1:
                    seen[label] = seen.get(label, 0) + 1
                    yield f"{label}{'abcdefghijklmnopqrstuvwxyz'[seen[label] - 1]}"
                else:
                    yield label

    class AuthorYearStyle(UnsrtStyle):
        default_label_style = "author_year_labels"

    register_plugin("pybtex.style.labels", "author_year_labels", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)


def author_year_label(entry) -> str:
    """A reference's label as the text cites it: authors' last names (or the organisation) and the year."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [" ".join(p.last_names) or " ".join(p.first_names) for p in people]
    names = [n.replace("{", "").replace("}", "") for n in names]
    if len(names) > 2:
        who = f"{names[0]} et al."
    elif names:
        who = " and ".join(names)
    else:
        who = entry.fields.get("organization") or entry.fields.get("title", "Anon.")
    return f"{who} {entry.fields.get('year', 'n.d.')}"


def _table(header: list[str], rows: list[list[str]]):
    """A docutils table node with a header row."""
    from docutils import nodes

    table = nodes.table(classes=["sinoiran-table"])
    group = nodes.tgroup(cols=len(header))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in header)

    def row_node(cells: list[str]):
        row = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=cell)
            row += entry
        return row

    head = nodes.thead()
    head += row_node(header)
    body = nodes.tbody()
    body.extend(row_node(r) for r in rows)
    group += head
    group += body
    return table


def execution_record_nodes(record: dict | None) -> list:
    """The nodes of the execution record: a line with the commit and inputs, and one row per chapter."""
    from docutils import nodes

    if record is None:
        return [
            nodes.paragraph(
                text="No execution record: this build was not made with `make book` (python -m sinoiran book), "
                "which writes _build/execution-record.json."
            )
        ]
    intro = nodes.paragraph()
    intro += nodes.Text("Built from commit ")
    intro += nodes.literal(text=record["commit"])
    intro += nodes.Text(f" at {record['built_at']} (UTC); inputs key ")
    intro += nodes.literal(text=record["inputs_key"])
    intro += nodes.Text(" (a hash of data/, src/ and the lock file).")
    rows = [
        [
            name,
            f"{run['seconds']:.1f}",
            "this build" if run["this_build"] else "an earlier build with the same inputs",
            run["executed_at"],
        ]
        for name, run in record["chapters"].items()
    ]
    header = ["Chapter", "Run time (s)", "Executed in", "Executed at (UTC)"]
    return [intro, _table(header, rows)]


def _execution_record_directive():
    import json
    from pathlib import Path

    from sphinx.util.docutils import SphinxDirective

    class ExecutionRecord(SphinxDirective):
        """``{execution-record}``: the engine's record of this build (see the module docstring)."""

        def run(self):
            path = Path(self.env.srcdir) / "_build" / "execution-record.json"
            self.env.note_dependency(str(path))
            record = json.loads(path.read_text()) if path.exists() else None
            return execution_record_nodes(record)

    return ExecutionRecord


def setup(app):
    """Register the fixes (Sphinx extension entry point)."""
    app.add_directive("execution-record", _execution_record_directive())
    _register_author_year_style()
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("html-page-context", _link_claims)
    app.connect("doctree-resolved", _describe_figures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
