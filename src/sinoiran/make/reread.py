"""A Sphinx extension: re-read the pages the engine names in ``_build/.sphinx-reread.json``.

Listed in ``_config.yml``. Sphinx re-reads a page when its source changed; a
chapter that the engine re-executed into the cache has the same source but new
outputs, and a page that glues from it must show them. The engine writes their
docnames (:func:`sinoiran.make.sphinx.run_sphinx`); without the file (a plain
``jupyter-book build .``) nothing is added.
"""

from __future__ import annotations

import json
from pathlib import Path

from sinoiran.make.sphinx import REREAD_FILE


def named_pages(app, env, added, changed, removed) -> list[str]:
    """The docnames in the engine's list (``env-get-outdated``: Sphinx adds them to what it re-reads)."""
    path = Path(app.srcdir) / REREAD_FILE
    return json.loads(path.read_text()) if path.exists() else []


def setup(app):
    """Register the hook (Sphinx extension entry point)."""
    app.connect("env-get-outdated", named_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
