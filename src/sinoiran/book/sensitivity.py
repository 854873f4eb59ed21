"""Rerun the trends chapter over a grid of parameters with papermill, in parallel.

Every combination is validated first (:func:`sinoiran.analysis.trends.validate`); the
invalid ones are listed with the reason and never executed. The valid ones run
as executions of ``chapters/trends.ipynb`` with papermill's parameters cell, on
warm kernels (:mod:`sinoiran.book.warm`), as many at once as there are cores,
and each run's key results are read back from the glued ``key_results_json`` of
its output notebook.
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

CHAPTER = PROJECT_ROOT / "chapters" / "trends.ipynb"
RESULTS = PROJECT_ROOT / "results" / "sensitivity.csv"
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

    from sinoiran.book.runner import kernel_config

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

    from sinoiran.book import warm

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


def load_results(path: Path | None = None) -> pd.DataFrame:
    """The committed results table (``results/sensitivity.csv``), with a clear error if it is missing."""
    from sinoiran.data.tables import FILES_READ

    path = path or RESULTS
    if not path.exists():
        raise FileNotFoundError(f"{path}: no sensitivity results; run `make sensitivity`")
    FILES_READ.add(str(path.resolve()))  # the chapter showing them depends on this file
    return pd.read_csv(path, dtype={"vintage": str, "skipped": str}, keep_default_na=True)


def overtaking_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per vintage and window: the kind of fitted overtaking (a crossing, ahead from the start, never
    ahead), its year and interval where identified, and the fractions of bootstrap draws of each kind
    (none of them depends on the break year)."""
    ran = results[results["skipped"].isna() | (results["skipped"] == "")]
    return ran.groupby(["vintage", "window"], as_index=False).agg(
        years=("start_year", lambda y: f"{int(y.iloc[0])}-{int(ran.loc[y.index[0], 'end_year'])}"),
        denominator=("denominator", "first"),
        overtaking_kind=("overtaking_kind", "first"),
        overtaking_year=("overtaking_year", "first"),
        identified=("overtaking_identified", "first"),
        ci_low=("overtaking_ci_low", "first"),
        ci_high=("overtaking_ci_high", "first"),
        share_of_draws_crossing=("share_of_draws_crossing", "first"),
        share_of_draws_ahead_from_start=("share_of_draws_ahead_from_start", "first"),
        share_of_draws_never=("share_of_draws_never", "first"),
        observed_first_ahead=("observed_first_ahead", "first"),
        observed_ahead_for_good=("observed_ahead_for_good", "first"),
        break_years=("break_year", "count"),
    )


def break_tests(results: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per window: runs, and how many detect a break in Russia's share at ``alpha`` (classical Chow; HAR Wald
    with EWC errors)."""
    ran = results[results["skipped"].isna() | (results["skipped"] == "")]
    return ran.groupby("window", as_index=False).agg(
        runs=("break_year", "count"),
        chow_detects=("chow_p_Russia", lambda p: int((p < alpha).sum())),
        har_wald_detects=("har_wald_p_Russia", lambda p: int((p < alpha).sum())),
    )


def break_finding(tests: pd.DataFrame, alpha: float = 0.05) -> str:
    """A sentence on how often the HAR Wald test finds a break in Russia's share, per window (the Chow test,
    which ignores autocorrelation, is counted beside it but not relied on). The runs are not independent
    tests (neighbouring break years on one series, windows built from the same years, releases that share
    most of their data), so the count is not compared with a chance rate; a searched break is Andrews'
    test's question, in the trends chapter."""
    by_window = tests.set_index("window")
    parts = []
    for window, row in by_window.iterrows():
        label = "yearly shares" if window == 1 else f"{window}-year rolling sums"
        parts.append(f"{int(row['har_wald_detects'])} of {int(row['runs'])} runs with {label}")
    runs = int(by_window["runs"].sum())
    found = int(by_window["har_wald_detects"].sum())
    if found == runs:
        return f"The HAR Wald test finds a break in Russia's share in every one of the {runs} runs."
    if found == 0:
        return f"The HAR Wald test finds no break in Russia's share in any of the {runs} runs."
    return (
        f"The HAR Wald test finds a break in Russia's share in {'; '.join(parts)}, depending on the release, "
        "the break year and the window: not a robust finding."
    )


def overtaking_finding(summary: pd.DataFrame) -> str:
    """What :func:`overtaking_summary` says, in words: in how many release-and-window runs the fitted
    overtaking year is identified, and in which the observed leader is ahead at the end of the window (and
    from when), each with the years it covers, so that no answer hides where its data stop."""
    identified = summary[summary["identified"].astype(bool)]
    n = len(summary)
    text = (
        f"In {len(identified)} of the {n} release-and-window runs is the fitted overtaking year identified"
        if len(identified)
        else f"In none of the {n} release-and-window runs is the fitted overtaking year identified"
    )

    def label(row) -> str:  # noqa: ANN001 - a row of the summary
        window = "yearly" if int(row.window) == 1 else f"{int(row.window)}-year sums"
        return f"release {row.vintage}, {window}, {row.years}"

    ahead = summary[summary["observed_ahead_for_good"].notna()]
    behind = summary[summary["observed_ahead_for_good"].isna()]
    if len(ahead):
        text += "; China's observed share is above Russia's at the end of the window in " + "; ".join(
            f"{label(r)} (from {int(r.observed_ahead_for_good)})" for r in ahead.itertuples()
        )
    if len(behind):
        text += (
            "; it is not in "
            if len(ahead)
            else "; China's observed share is not above Russia's at the end of the window in "
        ) + "; ".join(label(r) for r in behind.itertuples())
    return text + "."
