"""The sensitivity grid's runner (``make sensitivity``): the trends chapter over vintages x break years x
windows, in parallel.

Every combination is validated first (:func:`sinoiran.analysis.trends.validate`); the
invalid ones are listed with the reason and never executed. The valid ones run
as executions of ``chapters/trends.ipynb`` with papermill's parameters cell, on
warm kernels (:mod:`sinoiran.make.warm`), as many at once as there are cores,
and each run's key results are read back from the glued ``key_results_json`` of
its output notebook. The chapter that shows the results reads them through
:mod:`sinoiran.book.sensitivity`.
"""

from __future__ import annotations

import ast
import itertools
import json
import os
from dataclasses import asdict, replace
from pathlib import Path

import pandas as pd

from sinoiran.analysis.trends import TrendParameters, resolve_names, validate
from sinoiran.base.errors import UsageError
from sinoiran.base.paths import PROJECT_ROOT
from sinoiran.base.releases import Coverage
from sinoiran.book.glue import stored_frame
from sinoiran.data.vintages import VINTAGES
from sinoiran.make import warm
from sinoiran.make.kernel import kernel_config

CHAPTER = PROJECT_ROOT / "chapters" / "trends.ipynb"
BREAK_YEARS = (2007, 2008, 2009, 2010, 2011)
WINDOWS = (1, 3)


def parameter_grid(
    vintages=None,
    break_years=BREAK_YEARS,
    windows=WINDOWS,
    base: TrendParameters | None = None,
    coverage: Coverage | None = None,
) -> list[TrendParameters]:
    """Every vintage x break year x window, other parameters as in ``base``. Where ``coverage`` is given,
    each release runs from ``base.start_year`` (or its first year, if later) to its own last year, so that
    no answer stops short of the data; without it, every release uses ``base``'s years."""
    base = base or TrendParameters()
    labels = vintages or (coverage.labels if coverage is not None else list(VINTAGES))
    grid = []
    for v, b, w in itertools.product(labels, break_years, windows):
        params = replace(base, vintage=v, break_year=b, window=w)
        if coverage is not None and v in coverage.releases:
            info = coverage.releases[v]
            params = replace(params, start_year=max(base.start_year, info.data_start), end_year=info.data_end)
        grid.append(params)
    return grid


def plan(
    grid: list[TrendParameters], tiv: pd.DataFrame, coverage: Coverage
) -> tuple[list[TrendParameters], pd.DataFrame]:
    """Split the grid into runnable parameters and a table of skipped ones with the reason."""
    runnable, skipped = [], []
    for params in grid:
        try:
            validate(resolve_names(params, tiv, coverage), tiv, coverage)
            runnable.append(params)
        except UsageError as err:
            skipped.append({**_flat(params), "skipped": str(err)})
    return runnable, pd.DataFrame(skipped)


def _flat(params: TrendParameters) -> dict:
    record = asdict(params)
    record["suppliers"] = "/".join(record["suppliers"])
    return record


def run_id(params: TrendParameters) -> str:
    """A file-name-safe label of one combination."""
    return f"{params.vintage}_b{params.break_year}_w{params.window}_{params.start_year}-{params.end_year}"


def execute_one(params: TrendParameters, out_dir: str) -> dict:
    """Execute the chapter with these parameters; return its key results (runs in a worker process)."""
    import papermill

    output = Path(out_dir) / f"{run_id(params)}.ipynb"
    papermill.execute_notebook(
        str(CHAPTER),
        str(output),
        parameters={**asdict(params), "suppliers": list(params.suppliers)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(CHAPTER.parent),
        log_output=False,
        config=kernel_config(),
    )
    return glued_results(output)


def glued_results(output: Path) -> dict:
    """The ``key_results_json`` an executed trends chapter glued, as a dict."""
    notebook = json.loads(Path(output).read_text())
    for cell in notebook["cells"]:
        for out in cell.get("outputs", []):
            if out.get("metadata", {}).get("scrapbook", {}).get("name") == "key_results_json":
                # glue stores the string's repr; literal_eval undoes it safely
                return json.loads(ast.literal_eval(out["data"]["application/papermill.record/text/plain"]))
    raise RuntimeError(f"{output}: no key_results_json glued")


def run_grid(
    runnable: list[TrendParameters], out_dir: Path, jobs: int | None = None, progress: bool = True
) -> pd.DataFrame:
    """Execute every runnable combination on ``jobs`` warm kernels (the imports paid once per kernel, not
    once per run); one row of key results each.

    Each run is the chapter with papermill's injected parameters cell, written to
    ``out_dir`` as executed, exactly as ``papermill`` would write it; the kernel
    runs it in the chapter's folder."""
    import copy

    import nbformat
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    chapter = load_notebook_node(str(CHAPTER))  # as papermill reads it (every cell has its tags)
    inputs = {}
    for params in runnable:
        path = out_dir / f"{run_id(params)}.ipynb"
        parameters = {**asdict(params), "suppliers": list(params.suppliers)}
        nbformat.write(parameterize_notebook(copy.deepcopy(chapter), parameters), path)
        inputs[path] = params
    result = warm.run_many(list(inputs), jobs, cwd=CHAPTER.parent)
    rows = []
    for path in inputs:
        run = result["runs"][path]
        if run.error is not None:
            raise RuntimeError(f"sensitivity run {path.name} failed: {run.error}")
        nbformat.write(run.notebook, path)
        rows.append(glued_results(path))
    if progress:
        print(f"{len(rows)} runs; imports paid once per kernel ({len(result['import_seconds'])} kernels)")
    return pd.DataFrame(rows)


def assemble(results: pd.DataFrame, skipped: pd.DataFrame) -> pd.DataFrame:
    """One table of run results and skipped combinations, in a stable order, numbers stored by the
    precision policy (:mod:`sinoiran.book`: six significant digits), as the chapter glues them."""
    table = pd.concat([results.assign(skipped=""), skipped], ignore_index=True)
    keys = ["vintage", "break_year", "window", "start_year", "end_year"]
    numeric = table.select_dtypes("number").columns.difference(keys)
    table[numeric] = stored_frame(table[numeric])
    first = keys + ["recipient", "suppliers", "denominator"]
    ordered = first + sorted(c for c in table.columns if c not in first + ["skipped"]) + ["skipped"]
    return table[ordered].sort_values(keys, kind="stable").reset_index(drop=True)
