"""A small Sphinx extension for the book's HTML.

Jupyter Book 1.x registers sphinx-thebe's inline configuration script twice, so
every page declares ``const THEBE_JS_URL`` twice and the browser reports a
JavaScript error on load. This extension drops exact duplicate script entries
from each page before it is rendered.
"""

from __future__ import annotations


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


def setup(app):
    """Register the fix (Sphinx extension entry point)."""
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
