"""Which pages glue values from which chapters, and so which pages Sphinx must re-read after an execution.

A page pastes another chapter's glued value with a ``path::key`` reference
(``{glue:text}`chapters/claims_ledger.ipynb::chn_sum_low:.0f```, or a
``{glue:figure}`` directive naming ``path::key``), the path relative to the page's
own folder, as myst-nb resolves it. myst-nb fills such a reference when it writes
the page, from what the chapter glued when Sphinx last read it: a re-executed
chapter must therefore be re-read, and so must every page that glues from it, or
the page would keep the old value.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sinoiran.make.project import docname, pages

#: ``{glue}`path::key``` and its typed forms (``glue:text``, ``glue:any``, ...): the path.
_ROLE = re.compile(r"\{glue(?::\w+)?\}`([^`:]+?)::")
#: A glue directive (backtick or colon fence) whose argument is ``path::key``: the path.
_DIRECTIVE = re.compile(r"(?m)^\s*(?:`{3,}|:{3,})\{glue(?::\w+)?\}[ \t]+([^\s:]+?)::")


def page_text(path: Path) -> str:
    """The text of a page that can hold glue references: a Markdown file, or a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def glue_sources(root: Path) -> dict[str, list[str]]:
    """Every page that glues from another page, docname -> the docnames it glues from (sorted)."""
    graph = {}
    for name, path in pages(root).items():
        text = page_text(path)
        targets = {(path.parent / target).resolve() for target in _ROLE.findall(text) + _DIRECTIVE.findall(text)}
        sources = sorted({docname(root, target) for target in targets} - {name})
        if sources:
            graph[name] = sources
    return graph


def to_reread(root: Path, executed: list[str]) -> list[str]:
    """The docnames Sphinx must re-read after ``executed`` (chapter docnames) ran: those chapters, and every
    page that glues from one of them."""
    ran = set(executed)
    readers = {page for page, sources in glue_sources(root).items() if ran & set(sources)}
    return sorted(ran | readers)
