"""A reused (warm) kernel starts each chapter in the state of a fresh one."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow  # starts a kernel


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _fresh(path: Path):
    """``path`` executed in a fresh kernel of its own, in its folder, as nbclient runs it."""
    from nbclient import NotebookClient

    from sinoiran.make.kernel import kernel_config

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}, config=kernel_config()
    ).execute()
    return notebook


def test_a_warm_kernel_resets_what_a_chapter_changed(tmp_path):
    from sinoiran.make import warm

    first_dir, second_dir = tmp_path / "a", tmp_path / "b"
    first_dir.mkdir()
    second_dir.mkdir()
    messy = _notebook(
        first_dir / "messy.ipynb",
        "import warnings, matplotlib, pandas as pd\n"
        "leftover = 1\n"
        "pd.set_option('display.max_rows', 3)\n"
        "matplotlib.rcParams['lines.linewidth'] = 9\n"
        "warnings.simplefilter('ignore')\n"
        "import sinoiran.data.tables as t; t.tiv_deliveries().shape[0] > 0",
        "warnings.simplefilter('default'); warnings.warn('shown once per place', UserWarning)",
    )
    check = _notebook(
        second_dir / "check.ipynb",
        "import gc, os, json, warnings, matplotlib, pandas as pd\n"
        "print(json.dumps({'leftover': 'leftover' in globals(), 'rows': pd.get_option('display.max_rows'),"
        " 'linewidth': matplotlib.rcParams['lines.linewidth'], 'cwd': os.getcwd(),"
        " 'ignored': any(f[0] == 'ignore' and f[2] is Warning for f in warnings.filters),"
        " 'collect': type(gc.collect).__name__}))",
        "warnings.simplefilter('default'); warnings.warn('shown once per place', UserWarning)",
    )

    async def both():
        async with warm.WarmKernel() as kernel:
            first = await kernel.execute(messy)
            second = await kernel.execute(check)
            return kernel.import_seconds, first, second

    seconds, first, second = asyncio.run(both())
    fresh = _fresh(check)  # the same notebook in a fresh kernel of its own
    assert seconds > 0
    assert any("sipri_tiv.csv" in f for f in first.files_read)
    assert second.files_read == []  # the record starts empty for each chapter
    state = json.loads(second.notebook.cells[0].outputs[0]["text"])
    assert state == json.loads(fresh.cells[0].outputs[0]["text"])
    assert state["leftover"] is False and state["rows"] == 60 and state["linewidth"] == 1.5
    assert state["cwd"] == str(second_dir.resolve())
    assert state["collect"] == "builtin_function_or_method"  # the reset's shortcut is undone
    assert second.notebook.cells[0].execution_count == 1  # counts start again
    # A warning a fresh kernel would show is shown again, although the same code showed it before.
    assert any(o.get("name") == "stderr" for o in second.notebook.cells[1].outputs)
    assert [o.get("name") for o in second.notebook.cells[1].outputs] == [o.get("name") for o in fresh.cells[1].outputs]


def test_run_many_reports_a_failing_chapter_and_goes_on(tmp_path):
    from sinoiran.make import warm

    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('broken chapter')")
    good = _notebook(tmp_path / "good.ipynb", "1 + 1")
    result = warm.run_many([bad, good], jobs=1)
    assert result["runs"][bad].error == "ValueError: broken chapter"
    assert result["runs"][good].error is None
    assert result["runs"][good].notebook.cells[0].outputs[0]["data"]["text/plain"] == "2"
