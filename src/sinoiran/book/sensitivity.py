"""The sensitivity grid as the appendix chapter shows it: the committed results
(``results/sensitivity.csv``, written by ``make sensitivity``, :mod:`sinoiran.make.grid`) and their
summaries by vintage, window and break year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sinoiran.base.paths import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "results" / "sensitivity.csv"


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
