"""One readable page for a rerun of a chapter: ``python -m sinoiran report NOTEBOOK`` (``make report``).

A chapter executed by papermill (for another country, release or window) is a
notebook whose prose still holds MyST roles such as ``{glue:text}`recipient```:
the answers it computed exist only as glued records in its outputs. This module
renders such a notebook as one self-contained HTML page (and, on request, a PDF
printed by Debian's Chromium) with its glue resolved:

* ``{glue:text}`name:fmt``` and ``{glue}`name``` become the glued value
  (formatted with ``fmt``), ``{glue:figure}`` blocks the glued SVG figure with its
  caption and its alternative text;
* citations become the author-year labels the book uses, with a reference list
  from ``references.bib``; glossary terms and cross-references become their
  text; links to other chapters become plain text (they are not part of the page);
* code cells are folded behind a toggle, their outputs (tables, text) shown;
* the parameters of the run (papermill's injected cell) head the page; the chapter's own cell of
  default parameters, which the run overrode, is left out.

:func:`run_chapter` executes a chapter with parameters first (papermill, on a
kernel over IPC); a parameter that does not fit the data raises
:class:`RunError` with the chapter's one-line message
(:mod:`sinoiran.book.parameters`).
"""

from __future__ import annotations

import ast
import base64
import html
import re
from pathlib import Path

from sinoiran.base.errors import UsageError
from sinoiran.base.paths import PROJECT_ROOT
from sinoiran.make.kernel import kernel_config

#: The MIME type prefix under which myst-nb's glue stores a value in a notebook's outputs.
RECORD = "application/papermill.record/"


class RunError(RuntimeError):
    """A chapter run that stopped: the error's name and message, one line (a ParameterError names the parameter)."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"{name}: {message}")


def parameter_value(text: str):
    """A ``-p NAME VALUE`` value as papermill's command line reads it: an int, a float, a boolean or text."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return {"true": True, "false": False}.get(text.lower(), text)


def run_chapter(chapter: Path, output: Path, parameters: dict[str, object]) -> Path:
    """Execute ``chapter`` with papermill and ``parameters`` into ``output`` (in the chapter's folder, on a
    kernel over IPC); raise :class:`RunError` with one line when a cell fails."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    known = list(papermill.inspect_notebook(str(chapter)))
    unknown = [name for name in parameters if name not in known]
    if unknown:  # papermill would only warn, and run the chapter with its defaults
        raise UsageError(
            f"{chapter.name}: unknown parameter(s) {', '.join(unknown)}; it takes {', '.join(known) or 'none'}"
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    # Executed into a partial file that replaces ``output`` only when every cell ran: a failed run neither
    # leaves a half-executed notebook behind nor destroys an earlier good run at the same path.
    partial = output.with_name(f".{output.stem}.partial{output.suffix}")
    try:
        papermill.execute_notebook(
            str(chapter),
            str(partial),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=str(chapter.resolve().parent),
            config=kernel_config(),
        )
    except PapermillExecutionError as err:
        partial.unlink(missing_ok=True)
        raise RunError(err.ename, str(err.evalue).strip().splitlines()[0] if err.evalue else "") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)
    return output


# --- reading the glue ---------------------------------------------------------------------------


def glued(notebook) -> dict[str, dict[str, str]]:
    """Every glued record of an executed notebook: name -> its MIME bundle (``text/plain``, ``image/svg+xml``…)."""
    found: dict[str, dict[str, str]] = {}
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = output.get("data", {})
                found[name] = {k[len(RECORD) :]: _text(v) for k, v in data.items() if k.startswith(RECORD)}
    return found


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def glued_value(bundle: dict[str, str]):
    """The Python value of a glued record (its ``text/plain`` repr read back; the text itself if not a literal)."""
    text = bundle.get("text/plain", "")
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def glue_text(values: dict[str, dict[str, str]], key: str) -> str:
    """``name`` or ``name:format`` as the book prints it: the value formatted, or a visible gap when missing."""
    key = key.split("::", 1)[-1]  # "chapter.ipynb::name" (glue from another page) -> name
    name, _, spec = key.partition(":")
    if name not in values:
        return f"[{name}: not computed in this run]"
    value = glued_value(values[name])
    try:
        return format(value, spec) if spec else str(value)
    except (TypeError, ValueError):
        return str(value)


# --- MyST to Markdown ---------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"^(`{3,}|:{3,})\{([\w:-]+)\}[ \t]*(.*?)\n(.*?)^\1[ \t]*$", re.M | re.S)
_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_TARGET = re.compile(r"^\([\w-]+\)=[ \t]*$\n?", re.M)
_LOCAL_LINK = re.compile(r"\[([^\]]+)\]\((?![a-z]+:|#)[^)]*\)")


def _options_and_body(block: str) -> tuple[dict[str, str], str]:
    options, lines = {}, block.splitlines()
    while lines and re.match(r"^:[\w-]+:", lines[0]):
        name, _, value = lines.pop(0)[1:].partition(":")
        options[name] = value.strip()
    return options, "\n".join(lines).strip()


class _Page:
    """One notebook's Markdown with its glue, citations and figures resolved (collects the works cited)."""

    def __init__(self, values: dict[str, dict[str, str]], labels: dict[str, str]) -> None:
        self.values = values
        self.labels = labels
        self.cited: list[str] = []
        self.figures = 0

    def cite(self, keys: str, textual: bool = False) -> str:
        parts = []
        for key in (k.strip() for k in keys.split(",")):
            # the chapter's key prefix ("own-country-") may itself hold dashes: take the shortest known rest
            base = key
            if key not in self.labels:
                rests = [key[i + 1 :] for i, c in enumerate(key) if c == "-"]
                base = next((r for r in rests if r in self.labels), rests[0] if rests else key)
            label = self.labels.get(key) or self.labels.get(base) or key
            if base not in self.cited:
                self.cited.append(base)
            parts.append(label)
        return "; ".join(parts) if textual else f"({'; '.join(parts)})"

    def role(self, match: re.Match) -> str:
        name, content = match[1], match[2]
        if name in ("glue", "glue:", "glue:text", "glue:md"):
            return glue_text(self.values, content)
        if name.startswith("cite"):
            return self.cite(content, textual=name == "cite:t")
        if name in ("ref", "numref", "doc", "term", "index", "abbr"):
            return re.sub(r"\s*<[^>]*>$", "", content)  # "text <target>" -> text
        return content

    def directive(self, match: re.Match) -> str:
        name, argument = match[2], match[3].strip()
        options, body = _options_and_body(match[4])
        if name == "glue:figure":
            return self.figure(argument, body, options)
        if name in ("admonition", "note", "tip", "warning", "important"):
            title = html.escape(argument or name.capitalize())
            return f'<div class="admonition"><p class="admonition-title">{title}</p>\n\n{self.resolve(body)}\n\n</div>'
        return ""  # bibliography (rendered at the end), index entries, build-time tables

    def figure(self, name: str, caption: str, options: dict[str, str]) -> str:
        bundle = self.values.get(name, {})
        svg = bundle.get("image/svg+xml")
        if not svg:
            return f"<p><em>[figure {html.escape(name)}: not drawn in this run]</em></p>"
        self.figures += 1
        found = re.search(r"<svg\b[^>]*>\s*<title>(.*?)</title>", svg, re.S)
        alt = html.unescape(found[1]) if found else caption
        source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        text = self.inline(caption)
        return (
            f'<figure class="sinoiran-figure"><img src="{source}" alt="{html.escape(" ".join(alt.split()))}">'
            f"<figcaption>Figure {self.figures}. {text}</figcaption></figure>"
        )

    def inline(self, text: str) -> str:
        from markdown_it import MarkdownIt

        return MarkdownIt("commonmark").renderInline(self.resolve(text))

    def resolve(self, text: str) -> str:
        text = _TARGET.sub("", text)
        text = _DIRECTIVE.sub(self.directive, text)
        text = _ROLE.sub(self.role, text)
        return _LOCAL_LINK.sub(r"\1", text)


def _plain(text: str) -> str:
    """A BibTeX value as plain text: ``\\url{x}`` as ``x``, LaTeX accents as letters, braces dropped."""
    import codecs

    import latexcodec  # noqa: F401 - registers the 'ulatex' codec

    text = re.sub(r"\\url\{([^}]*)\}", r"\1", str(text))
    plain: str = codecs.decode(text, "ulatex")  # type: ignore[call-overload]  # a codec typeshed does not know
    return plain.replace("{", "").replace("}", "")


def _bibliography(root: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Author-year labels and formatted entries (HTML) of ``references.bib``, by key."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    from sinoiran.book.sphinx_fixes import author_year_label

    path = root / "references.bib"
    if not path.exists():
        return {}, {}
    data = parse_file(str(path))
    for entry in data.entries.values():  # a page, not LaTeX: \url{...} as its address, accents as letters
        for name, value in list(entry.fields.items()):
            entry.fields[name] = _plain(value)
        for people in entry.persons.values():
            for person in people:
                for part in ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names"):
                    names = getattr(person, part, None)
                    if names:
                        names[:] = [_plain(n) for n in names]
    labels = {key: author_year_label(entry) for key, entry in data.entries.items()}
    style = find_plugin("pybtex.style.formatting", "unsrt")()
    formatted = {e.key: e.text.render_as("html") for e in style.format_entries(data.entries.values())}
    return labels, formatted


# --- the page -----------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem; margin: 2rem auto; padding: 0 1rem;
  color: #1f1f1f; }}
a {{ color: #1259c3; }}
code {{ background: #f3f4f5; padding: 0 0.2em; }}
pre {{ background: #f3f4f5; padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }}
.sinoiran-run {{ border: 1px solid #ccc; padding: 0.5rem 1rem; background: #fafafa; }}
.admonition {{ border-left: 4px solid #1259c3; padding: 0.2rem 1rem; background: #f5f8fd; }}
figure {{ margin: 1.5rem 0; }} figcaption {{ font-size: 0.9rem; }}
details > summary {{ cursor: pointer; color: #444; }}
{css}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def render(notebook_path: Path, output: Path | None = None, root: Path = PROJECT_ROOT) -> Path:
    """Write the executed notebook at ``notebook_path`` as one HTML page (default: beside it, ``.html``)."""
    import nbformat
    from markdown_it import MarkdownIt

    notebook = nbformat.read(notebook_path, as_version=4)
    values = glued(notebook)
    labels, entries = _bibliography(root)
    page = _Page(values, labels)
    markdown = MarkdownIt("commonmark", {"html": True}).enable("table")
    blocks: list[str] = []
    parameters = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    if parameters:
        blocks.append(
            '<section class="sinoiran-run"><p><strong>This run\'s parameters</strong> (set with papermill; '
            "the rest of the page is computed from them):</p>"
            f"<pre>{html.escape(parameters[0].source.strip())}</pre></section>"
        )
    # The chapter's own parameters cell holds its defaults, which this run overrode: shown, it would read as
    # the run's settings. The injected cell above says what the run used.
    skipped = {"injected-parameters", "parameters"} if parameters else {"injected-parameters"}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            blocks.append(markdown.render(page.resolve(cell.source)))
        elif cell.cell_type == "code" and not skipped & set(cell.metadata.get("tags", [])):
            blocks.append(_code_cell(cell))
    if page.cited:
        items = "".join(
            f"<li><strong>{html.escape(labels.get(k, k))}</strong>. {entries.get(k, html.escape(k))}</li>"
            for k in page.cited
        )
        blocks.append(f'<section><h2>Works cited</h2><ul class="sinoiran-references">{items}</ul></section>')
    title_match = re.search(r"^# (.+)$", "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown"), re.M)
    title = page.resolve(title_match[1]) if title_match else notebook_path.stem
    css = (root / "_static" / "sinoiran.css").read_text() if (root / "_static" / "sinoiran.css").exists() else ""
    text = _PAGE.format(title=html.escape(title), css=css, body="\n".join(b for b in blocks if b))
    output = output or notebook_path.with_suffix(".html")
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(output.suffix + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)
    return output


def _code_cell(cell) -> str:
    """A code cell: its source folded behind a toggle, its visible outputs shown (glue records are not)."""
    shown = []
    for output in cell.get("outputs", []):
        if output.get("metadata", {}).get("scrapbook"):
            continue
        kind = output.get("output_type")
        data = output.get("data", {})
        if kind == "stream":
            shown.append(f"<pre>{html.escape(_text(output.get('text', '')))}</pre>")
        elif kind == "error":
            shown.append(f"<pre>{html.escape(output.get('ename', ''))}: {html.escape(output.get('evalue', ''))}</pre>")
        elif "text/html" in data:
            shown.append(_text(data["text/html"]))
        elif "image/svg+xml" in data:
            shown.append(_text(data["image/svg+xml"]))
        elif "text/plain" in data:
            shown.append(f"<pre>{html.escape(_text(data['text/plain']))}</pre>")
    source = cell.source.strip()
    code = f"<details><summary>Code</summary><pre>{html.escape(source)}</pre></details>" if source else ""
    return code + "".join(shown)
