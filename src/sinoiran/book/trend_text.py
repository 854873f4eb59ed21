"""The trends chapter's sentences, made from a :class:`~sinoiran.analysis.trends.TrendRun`.

Analysis returns numbers and frames; this module turns them into the words the
chapters glue, so that no sentence asserts what the numbers do not show and no
sentence is about a fixed country. Every sentence that depends on where a
release's data end says so (``data_end``, the release's last year).
"""

from __future__ import annotations

import math

import pandas as pd

from sinoiran.analysis import models
from sinoiran.analysis.trends import TrendParameters, TrendRun, observed_overtaking
from sinoiran.base.names import in_prose, possessive
from sinoiran.base.precision import snap


def _p(value: float) -> str:
    """A p-value as the tables show it: three decimals, '< 0.001' below that."""
    return "p < 0.001" if snap(value) < 0.0005 else f"p = {snap(value):.3f}"


def _capital(text: str) -> str:
    """A sentence that may open with "the United States'" starts with a capital."""
    return text[:1].upper() + text[1:]


def question(result: TrendRun) -> str:
    """The chapter's question in words, from the parameters."""
    p = result.parameters
    leader, follower = (in_prose(s) for s in p.suppliers[:2])
    return (
        f"Is {leader} replacing {follower} as a supplier of {possessive(in_prose(p.recipient))} major arms? "
        f"Release {p.vintage}, {p.start_year}-{p.end_year}, shares of {result.denominator} from "
        f"{p.window}-year sums."
    )


def window_text(params: TrendParameters, data_end: int | None = None) -> str:
    """The window in words, saying where it stops because the release stops: "1992-2015, the last year
    release 2016 covers" or "1992-2010"."""
    text = f"{params.start_year}-{params.end_year}"
    if data_end is not None and params.end_year >= data_end:
        text += f", the last year release {params.vintage} covers"
    return text


def _direction(row: pd.Series | dict, alpha: float) -> str:
    if row["p_value"] >= alpha:
        return "no trend distinguishable from zero"
    return "a rising share" if row["estimate"] > 0 else "a falling share"


def findings(result: TrendRun, alpha: float = 0.05) -> dict[str, str]:
    """Plain-language statements of what this run found.

    ``direction``: the leader's linear trend (HAR inference, with its degrees of
    freedom and the plain-OLS p-value beside it) and the joint model's
    leader-against-follower trend; ``break_test``: the follower's break at the
    pre-specified year (HAR Wald, Chow beside it) and Andrews' search;
    ``overtaking``: the fitted crossing, stated only where it is identified.
    """
    leader_key, follower_key = result.parameters.suppliers[:2]
    leader, follower = in_prose(leader_key), in_prose(follower_key)
    linear = result.linear[leader_key]
    trend = linear.coefficients.set_index("term").loc["trend"]
    nu = int(linear.fit["nu"])
    direction = (
        f"On its own, {possessive(leader)} share shows {_direction(trend, alpha)} "
        f"({snap(100 * trend['estimate']):+.2f} percentage points a year, {_p(trend['p_value'])} with "
        f"small-sample HAR errors and {nu} degrees of freedom; plain OLS errors would give "
        f"{_p(linear.statistic('p_ols'))})."
    )
    if result.joint is not None:
        contrast = models.multinomial_contrast(result.joint, leader_key, follower_key)
        gains = _direction(contrast, alpha)
        verdict = {
            "no trend distinguishable from zero": f"no trend distinguishable from zero in {possessive(leader)} odds "
            f"against {follower}",
            "a rising share": f"{leader} gaining on {follower}",
            "a falling share": f"{follower} gaining on {leader}",
        }[gains]
        direction += (
            f" The joint model of all suppliers' shares, weighted by volume, shows {verdict} "
            f"(odds ratio {snap(contrast['odds_ratio_per_year']):.3f} a year, 95% interval "
            f"{snap(math.exp(contrast['ci_low'])):.3f} to {snap(math.exp(contrast['ci_high'])):.3f}, "
            f"{_p(contrast['p_value'])})."
        )
        gap_slope = result.overtaking.get("gap_slope_per_year", math.nan)
        if gap_slope == gap_slope and (gap_slope > 0) != (contrast["estimate"] > 0):
            direction += (
                " The two point in opposite directions because the joint model weights each year by its "
                "volume: the years with most deliveries count most, and the straight lines count every "
                "year alike."
            )
    segmented = result.segmented[follower_key]
    break_year = result.parameters.break_year
    har_p, chow_p = segmented.statistic("har_wald_p"), segmented.statistic("chow_p")
    detected = "detects" if har_p < alpha else "does not detect"
    break_test = (
        f"A HAR Wald test {detected} a change in level or slope of {possessive(follower)} share from "
        f"{break_year}, the break year given in advance ({_p(har_p)}; the classical Chow test gives {_p(chow_p)})."
    )
    searched = result.searched_breaks.set_index("supplier").loc[follower_key]
    andrews = (
        f"Andrews' sup-Wald statistic (classical errors, 15% trimmed at each end, asymptotic 5% critical value "
        f"{snap(float(searched['critical_5pct'])):.2f})"
    )
    if bool(searched["break_found"]):
        break_test += (
            f" Searching every year for a break in {possessive(follower)} share, {andrews} peaks at "
            f"{int(searched['year'])}, above its critical value: a break beyond chance by that test."
        )
    else:
        break_test += (
            f" Searching every year for a break in {possessive(follower)} share, {andrews} finds none beyond "
            f"chance (it peaks at {int(searched['year'])})."
        )
    return {"direction": direction, "break_test": break_test, "overtaking": overtaking_sentence(result)}


def break_sentences(result: TrendRun, alpha: float = 0.05) -> str:
    """One sentence per supplier and break year chosen in advance (:attr:`TrendRun.breaks`): the HAR Wald
    test's answer with the level shift it estimates, the classical Chow test beside it."""
    sentences = []
    tested = result.breaks[result.breaks["tested"]] if len(result.breaks) else result.breaks
    for (year, event), rows in tested.groupby(["break_year", "event"], sort=False):
        parts = []
        for row in rows.itertuples():
            found = "a change beyond chance" if row.har_wald_p < alpha else "no change beyond chance"
            parts.append(
                f"{in_prose(row.supplier)}: {found} ({_p(row.har_wald_p)}; level shift "
                f"{snap(100 * row.level_shift):+.0f} points; Chow {_p(row.chow_p)})"
            )
        sentences.append(f"From {int(year)} ({event}): " + "; ".join(parts) + ".")
    return " ".join(sentences)


def overtaking_sentence(result: TrendRun) -> str:
    """The fitted overtaking in words: the year only where the bootstrap pins it down."""
    leader, follower = (in_prose(s) for s in result.parameters.suppliers[:2])
    o = result.overtaking
    share = float(o["share_crossing"])
    counted = f"{snap(100 * share):.0f}% of bootstrap draws"  # the plain count, for the unidentified crossing
    if share == 0:
        crossing = "none of the bootstrap draws has"
    elif 100 * share < 0.5:
        crossing = "fewer than 1% of bootstrap draws have"
    else:
        crossing = f"only {snap(100 * share):.0f}% of bootstrap draws have"
    if o["kind"] == models.AHEAD_FROM_START:
        return _capital(
            f"{possessive(leader)} fitted share is above {possessive(follower)} from the first year of the window, "
            f"so the window holds no fitted crossing ({crossing} one)."
        )
    if o["kind"] == models.NEVER:
        return _capital(
            f"The fitted gap does not turn in {possessive(leader)} favour by {o['end']} "
            f"({crossing} a crossing inside the window)."
        )
    if o["identified"]:
        return _capital(
            f"{possessive(leader)} fitted share first exceeds {possessive(follower)} in {o['year']:.0f}, "
            f"between {o['ci_low']:.0f} and {o['ci_high']:.0f} in 95% of bootstrap draws."
        )
    return _capital(
        f"The straight lines cross in {o['year']:.0f}, but the year is not identified: {counted} have a "
        f"crossing inside the window, too few to pin down a 95% interval, so the observed shares and SIPRI's "
        f"five-year blocks are the evidence to read."
    )


def interval_text(overtaking: dict) -> str:
    """The bootstrap interval of the fitted overtaking year in words, saying which end is not pinned down."""
    if overtaking.get("kind", models.CROSSING) != models.CROSSING:
        return "not given: the fitted lines do not cross inside the window"
    low, high = overtaking["ci_low"], overtaking["ci_high"]
    low_ok, high_ok = overtaking["low_pinned"], overtaking["high_pinned"]
    if low_ok and high_ok:
        return f"between {low:.0f} and {high:.0f}"
    if not low_ok and not high_ok:
        return "not pinned down at either end: too many draws have the leader ahead from the start or never ahead"
    if not high_ok:
        return f"from {low:.0f} to beyond the end of the window (too many draws never cross)"
    return f"up to {high:.0f}, with no lower end (too many draws have the leader ahead from the start)"


def observed_sentence(result: TrendRun, data_end: int | None = None) -> str:
    """What the observed shares show about the overtaking, beside the fitted answer; where the answer runs to
    the end of the window and the window ends with the release, it says so."""
    params = result.parameters
    leader, follower = (in_prose(s) for s in params.suppliers[:2])
    seen = observed_overtaking(result)
    window = window_text(params, data_end)
    if math.isnan(seen["first_year"]):
        return f"In the observed shares, {leader} is never ahead of {follower} in {window}."
    text = f"In the observed shares, {leader} is first ahead of {follower} in {seen['first_year']:.0f}"
    if not math.isnan(seen["ahead_for_good"]):
        if seen["ahead_for_good"] == seen["first_year"]:
            return text + f" and stays ahead to {params.end_year} (window {window})."
        return text + f", and stays ahead from {seen['ahead_for_good']:.0f} to {params.end_year} (window {window})."
    ahead = int(seen["years_ahead"])
    count = f"{ahead} year{'s' if ahead != 1 else ''} ahead in {window}"
    if seen["level_at_end"]:  # not "behind": in the last year the two shares are equal, often both 0
        level = f"both {snap(100 * seen['share_at_end']):.0f}%"
        return (
            text
            + f", is last ahead in {seen['last_ahead']:.0f}, and is level with it in {params.end_year} ({level}; {count})."
        )
    return text + f", but is behind again in {params.end_year} ({count})."


def block_sentence(blocks: pd.DataFrame, params: TrendParameters, data_end: int | None = None) -> str:
    """In which of SIPRI's five-year blocks the leader's observed share first exceeds the follower's, with the
    volumes that carry it (a block of small deliveries is named as such, comparing yearly means so that a part
    block is not mistaken for a small one); where that block ends with the release's data, it says so."""
    leader, follower = params.suppliers[:2]
    wide = blocks.pivot(index="period", columns="supplier", values="share")
    volumes = blocks.pivot(index="period", columns="supplier", values="tiv")
    totals = blocks.groupby("period")["total"].first()
    ahead = [period for period in wide.index if wide.loc[period, leader] > wide.loc[period, follower]]
    if not ahead:
        return f"In none of SIPRI's five-year blocks is {in_prose(leader)} ahead of {in_prose(follower)}."
    first = ahead[0]
    years_of = blocks.groupby("period")["years"].first()
    yearly = totals / years_of
    busiest = yearly.max()
    years = int(blocks.loc[blocks["period"] == first, "years"].iloc[0])
    part = (
        ""
        if bool(blocks.loc[blocks["period"] == first, "complete"].iloc[0])
        else f", a part block of {years} year{'s' if years > 1 else ''}"
    )
    text = (
        f"Over SIPRI's five-year blocks, {in_prose(leader)} is first ahead of {in_prose(follower)} in {first} "
        f"({snap(volumes.loc[first, leader]):,.0f} against {snap(volumes.loc[first, follower]):,.0f} million TIV{part}"
    )
    if yearly[first] < busiest / 2:
        text += (
            f"; {possessive(in_prose(params.recipient))} imports a year in that block were "
            f"{snap(100 * yearly[first] / busiest):.0f}% of its busiest block's"
        )
    last_year = int(blocks.loc[blocks["period"] == first, "last_year"].iloc[0])
    if data_end is not None and last_year >= data_end:
        text += f"; the block ends in {last_year}, the last year release {params.vintage} covers"
    return text + ")."


def last_block_sentence(blocks: pd.DataFrame, params: TrendParameters) -> str:
    """The two suppliers' shares in the last of SIPRI's blocks of the window, in words (a block shorter than
    five years says so)."""
    leader, follower = params.suppliers[:2]
    last = blocks[blocks["last_year"] == blocks["last_year"].max()]
    period = str(last["period"].iloc[0])
    share = last.set_index("supplier")["share"]
    years = int(last["years"].iloc[0])
    part = "" if bool(last["complete"].iloc[0]) else f" (a part block of {years} year{'s' if years > 1 else ''})"
    return (
        f"In the last block, {period}{part}, {in_prose(leader)} has {snap(100 * share[leader]):.0f}% of the "
        f"imports and {in_prose(follower)} {snap(100 * share[follower]):.0f}%."
    )


def relative_change_text(ratio: float) -> str:
    """A ratio of two values as words: 0.5 -> "50 percent lower", 1.43 -> "43 percent higher"."""
    return f"{snap(abs(100 * (ratio - 1))):.0f} percent {'lower' if ratio < 1 else 'higher'}"


def har_against_ols(fit: pd.DataFrame, suppliers: list[str] | tuple[str, ...]) -> str:
    """The HAR p-value of each supplier's linear trend against the plain-OLS one, in words, from
    :func:`sinoiran.analysis.trends.fit_table`."""
    linear = fit[fit["model"] == "linear"].set_index("supplier")
    parts = []
    for supplier in suppliers:
        har, ols = float(linear.loc[supplier, "p_har"]), float(linear.loc[supplier, "p_ols"])
        relation = "exceeds" if har > ols else "is below" if har < ols else "equals"
        parts.append(
            f"for {in_prose(supplier)} the HAR p-value {relation} the plain one ({snap(har):.3f} against {snap(ols):.3f})"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + ": with so few points, no kind of error is conservative by construction."


#: The models' terms as a reader reads them in a table.
TERM_LABELS = {
    "intercept": "level in the first year",
    "trend": "trend (per year)",
    "level_shift": "jump in level at the break",
    "slope_change": "change of trend at the break",
}


def denominator_sentence(result: TrendRun) -> str:
    """What the run's shares are shares of, in a sentence a reader cannot miss when it is not all imports."""
    p = result.parameters
    recipient = possessive(in_prose(p.recipient))
    if result.denominator == "all suppliers":
        return f"The shares below are of {recipient} imports from all suppliers in release {p.vintage}."
    return (
        f"Release {p.vintage} does not hold every supplier of {in_prose(p.recipient)}, so the shares below are of "
        f"the deliveries of the {result.denominator}, not of all {recipient} imports."
    )
