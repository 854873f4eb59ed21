"""The Sphinx pass: Jupyter Book's build over the cached executions, warnings as errors.

Sphinx re-reads a page when its source changed; a chapter re-executed into the
cache has an unchanged source, so the engine names the pages to re-read (the
re-executed chapters and the pages that glue from them, :mod:`sinoiran.make.pages`)
in :data:`REREAD_FILE`, which the extension :mod:`sinoiran.make.reread` hands to
Sphinx. The list is kept until a pass succeeds (an execution without a Sphinx pass,
``make book --execute-only``, adds to it); a pass that fails also drops
Sphinx's saved environment, so the next pass reads every page again and shows
every warning again.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from sinoiran.make.kernel import kernel_env
from sinoiran.make.project import BUILD

#: The docnames the next Sphinx pass must re-read besides those whose sources changed.
REREAD_FILE = BUILD / ".sphinx-reread.json"
#: Sphinx's saved environment (what it read, per page), shared by the HTML and single-page builds.
DOCTREES = BUILD / ".doctrees"


def pending(root: Path) -> list[str]:
    """The docnames waiting to be re-read (named by a pass that has not succeeded yet)."""
    path = root / REREAD_FILE
    return json.loads(path.read_text()) if path.exists() else []


def note_reread(root: Path, names: list[str]) -> None:
    """Add ``names`` to the docnames the next Sphinx pass must re-read (an execution without a Sphinx pass
    leaves them waiting; they are never lost)."""
    path = root / REREAD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sorted(set(pending(root)) | set(names))))


def run_sphinx(
    root: Path, builder: str = "html", reread: list[str] | tuple[str, ...] = (), everything: bool = False
) -> None:
    """Jupyter Book's Sphinx pass (``-W -n --keep-going``, the committed ``_config.yml``) re-reading the
    pages whose sources changed and those in ``reread``; ``everything`` re-reads every page.

    ``builder`` is ``html`` for the book, ``singlehtml`` for the PDF. Quiet when it works (Sphinx's progress
    and the extensions' configuration dumps are noise); everything it said when it fails, warnings first."""
    note_reread(root, list(reread))
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--builder", builder]
    command += ["-W", "-n", "--keep-going"]
    if everything:
        command.append("--all")
    result = subprocess.run(command, cwd=root, env=kernel_env(), capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(root / DOCTREES, ignore_errors=True)
        sys.stderr.write(result.stderr + "\n" + "\n".join(result.stdout.splitlines()[-40:]) + "\n")
        raise RuntimeError(f"the {builder} build failed (warnings are errors); Sphinx's messages are above")
    (root / REREAD_FILE).unlink(missing_ok=True)
