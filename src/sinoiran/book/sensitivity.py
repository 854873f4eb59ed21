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
    """A sentence on how often the HAR Wald test finds a break in Russia's share, per window, against how
    often a test at ``alpha`` would fire by chance alone (the Chow test, which ignores autocorrelation, is
    counted beside it but not relied on)."""
    by_window = tests.set_index("window")
    parts = []
    for window, row in by_window.iterrows():
        label = "yearly shares" if window == 1 else f"{window}-year rolling sums"
        parts.append(f"{int(row['har_wald_detects'])} of {int(row['runs'])} runs with {label}")
    runs = int(by_window["runs"].sum())
    found = int(by_window["har_wald_detects"].sum())
    chance = alpha * runs
    verdict = (
        "no more than chance alone would give"
        if found <= 2 * chance
        else "more than chance alone would give, but not in every release and break year"
    )
    if found == runs:
        verdict = "in every run"
    return (
        f"The HAR Wald test finds a break in Russia's share in {'; '.join(parts)}: {found} of {runs} in all, "
        f"{verdict} (about {chance:.1f} of {runs} at the {alpha:.0%} level). It is not a robust finding."
        if found < runs
        else f"The HAR Wald test finds a break in Russia's share in every one of the {runs} runs."
    )
