"""The 470, tested jointly: which account of the paper's source fits every SIPRI amount it prints?

The paper prints nine SIPRI amounts (China's and Russia's deliveries to Iran,
Russia's two period means, the United States' deliveries to four neighbours).
One of them, China's $470 million for 2005-2011, is 35-52% above every release
held. An account of that gap (the paper used an older release, other years,
coarser rounding) is only as good as its fit to *all* the amounts at once: a
window that makes 470 appear but moves the other eight away explains nothing.

A :class:`Hypothesis` says how the paper's figures were made from SIPRI's
tables; :func:`joint_fit` computes every amount under every hypothesis and
judges each with the one rule for amounts
(:func:`sinoiran.claims.rules.amount_verdict`: the printed value's rounding
interval, the source cells' rounding, the tolerance measured between
releases). :func:`fit_summary` reduces it to one row per hypothesis: the fit as
a vector (one distance per amount) and its counts.

The hypotheses, for each release that holds the flows over the paper's years:

* ``as published``: the release's yearly cells over the years the paper names;
* ``stated period``: the first paragraph's sums over 2005-2012, the period its
  sentence names (its own mean implies seven years, 2005-2011);
* ``years shifted``: every window moved by -4 to +4 years, lengths kept;
* ``older valuation``: each flow scaled by how much the 2007 release (the newest
  held from before the paper) valued it above this release over an overlap of
  years both cover; every overlap of 2001-2006 is tried, since none is privileged;
* ``coarser rounding``: the paper rounded to two significant figures, not to the
  digits it prints.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import combinations_with_replacement

import pandas as pd

from sinoiran.analysis.series import period_mean, period_sum
from sinoiran.claims.checks import Context
from sinoiran.claims.rules import AGREEING, Verdict, amount_verdict
from sinoiran.data.paper import Claim

AMOUNT_KINDS = ("flow-sum", "flow-mean")
#: The newest release held from before the paper (2013) and the years it covers that the paper's
#: periods also touch: the overlaps the older-valuation hypothesis may scale by.
REFERENCE = "2007"
OVERLAP_YEARS = (2001, 2006)
SHIFTS = (-4, -3, -2, -1, 1, 2, 3, 4)
FAMILIES = ("as published", "stated period", "years shifted", "older valuation", "coarser rounding")


@dataclass(frozen=True)
class Hypothesis:
    """One account of how the paper's amounts were made from a release's tables."""

    family: str
    release: str
    shift: int = 0
    overlap: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        """The hypothesis in a few words, for a table."""
        base = f"release {self.release}"
        if self.family == "stated period":
            return f"{base}, the first paragraph's sums over the years it names"
        if self.family == "years shifted":
            return f"{base}, every window {self.shift:+d} year{'s' if abs(self.shift) > 1 else ''}"
        if self.family == "older valuation":
            first, last = self.overlap or (0, 0)
            years = f"{first}" if first == last else f"{first}-{last}"
            return f"{base} valued as release {REFERENCE} over {years}"
        if self.family == "coarser rounding":
            return f"{base}, printed figures rounded to two significant figures"
        return base


def amount_claims(claims: list[Claim]) -> list[Claim]:
    """The claims that are SIPRI amounts (sums and means of TIV the paper prints), in catalogue order."""
    return [c for c in claims if c.kind in AMOUNT_KINDS]


def releases_for(claims: list[Claim], ctx: Context) -> list[str]:
    """The TIV releases (not the reference) that cover at least one of the amounts over its own years."""
    out = []
    for release in ctx.coverage.labels:
        if release == REFERENCE:
            continue
        if any(_gap(ctx, release, c, *c.years()) is None for c in amount_claims(claims)):
            out.append(release)
    return out


def hypotheses(claims: list[Claim], ctx: Context) -> list[Hypothesis]:
    """Every hypothesis of every family, for every release that can test one (see the module docstring)."""
    first, last = OVERLAP_YEARS
    overlaps = [(a, b) for a, b in combinations_with_replacement(range(first, last + 1), 2)]
    out: list[Hypothesis] = []
    for release in releases_for(claims, ctx):
        out.append(Hypothesis("as published", release))
        out.append(Hypothesis("stated period", release))
        out.extend(Hypothesis("years shifted", release, shift=k) for k in SHIFTS)
        out.extend(Hypothesis("older valuation", release, overlap=o) for o in overlaps)
        out.append(Hypothesis("coarser rounding", release))
    return out


def _gap(ctx: Context, release: str, claim: Claim, start: int, end: int) -> str | None:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    return ctx.coverage.gap(release, [supplier], start, end, recipient=recipient)


def _two_figures(value: float) -> float:
    """The rounding step of ``value`` at two significant figures (470 -> 10, 15 -> 1, 4900 -> 100)."""
    return 10.0 ** (math.floor(math.log10(abs(value))) - 1)


def amount_under(
    claim: Claim, hypothesis: Hypothesis, ctx: Context, tolerances: dict[tuple[str, str], float] | None = None
) -> dict:
    """One amount recomputed under one hypothesis: ``value`` (millions of TIV, NaN where the release cannot
    give it, with ``why``), the source cells' rounding ``slack``, the printed ``step`` used, and the verdict
    with its signed ``distance`` (fraction of the printed value; negative below it)."""
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    mean = claim.kind == "flow-mean"
    if hypothesis.family == "stated period" and "stated_years" in claim.params:
        start, end = claim.years("stated_years")
    start, end = start + hypothesis.shift, end + hypothesis.shift
    row = {
        "hypothesis": hypothesis.label,
        "family": hypothesis.family,
        "release": hypothesis.release,
        "claim_id": claim.claim_id,
        "independent": claim.independent,
        "years": f"{start}-{end}",
        "printed": claim.number,
    }
    missing = {**row, "value": math.nan, "verdict": "", "distance": math.nan}
    gap = _gap(ctx, hypothesis.release, claim, start, end)
    if gap:
        return {**missing, "why": gap}
    statistic = period_mean if mean else period_sum
    value = statistic(ctx.inputs.tiv, hypothesis.release, supplier, recipient, start, end, coverage=ctx.coverage)
    factor = 1.0
    if hypothesis.family == "older valuation":
        first, last = hypothesis.overlap or OVERLAP_YEARS
        for release in (REFERENCE, hypothesis.release):
            if _gap(ctx, release, claim, first, last):
                return {
                    **missing,
                    "why": f"release {release} does not hold {supplier} to {recipient} in {first}-{last}",
                }
        on_overlap = period_sum(
            ctx.inputs.tiv, hypothesis.release, supplier, recipient, first, last, coverage=ctx.coverage
        )
        if on_overlap <= 0:
            return {**missing, "why": f"no deliveries in {first}-{last} to scale by"}
        factor = (
            period_sum(ctx.inputs.tiv, REFERENCE, supplier, recipient, first, last, coverage=ctx.coverage) / on_overlap
        )
        value *= factor
    if value != value:  # the release holds the pair but not every year of it
        return {**missing, "why": f"release {hypothesis.release} does not cover every year of {start}-{end}"}
    cells = end - start + 1
    slack = (0.5 if mean else 0.5 * cells) * factor if ctx.rounded(hypothesis.release) else 0.0
    step = _two_figures(claim.number) if hypothesis.family == "coarser rounding" else claim.printed_step
    step = max(step, claim.printed_step)
    tolerance = (tolerances or {}).get((supplier, recipient))
    if tolerance is None:
        tolerance, _ = ctx.tolerance(supplier, recipient)
    judged = amount_verdict(claim.number, step, value, slack, tolerance)
    sign = -1.0 if judged.direction == "below" else 1.0
    return {
        **row,
        "value": value,
        "factor": factor,
        "slack": slack,
        "step": step,
        "verdict": str(judged.verdict),
        "distance": sign * judged.distance,
        "why": "",
    }


def joint_fit(claims: list[Claim], ctx: Context) -> pd.DataFrame:
    """Every amount under every hypothesis (long: one row per hypothesis and claim; see :func:`amount_under`)."""
    amounts = amount_claims(claims)
    pairs = {(str(c.param("supplier")), str(c.param("recipient"))) for c in amounts}
    tiv = ctx.inputs.tiv
    keep = pd.Series(list(zip(tiv["supplier"], tiv["recipient"], strict=True)), index=tiv.index).isin(pairs)
    small = replace(ctx, inputs=replace(ctx.inputs, tiv=tiv[keep]))  # the same rows, fewer to search
    tolerances = {pair: ctx.tolerance(*pair)[0] for pair in pairs}
    return pd.DataFrame([amount_under(c, h, small, tolerances) for h in hypotheses(claims, ctx) for c in amounts])


def fit_summary(fit: pd.DataFrame) -> pd.DataFrame:
    """One row per hypothesis: the fit as a vector (the signed distance of each amount from its printed
    interval, percent, 0 where reproduced, one column per claim) and its counts over the independent
    amounts: ``testable``, ``reproduced``, ``within tolerance`` (reproduced or close), ``largest miss (%)``.
    Ordered by family, then by how many amounts the hypothesis reproduces."""
    vector = fit.pivot_table(
        index=["family", "release", "hypothesis"], columns="claim_id", values="distance", aggfunc="first", dropna=False
    )
    vector = 100 * vector[[c for c in fit["claim_id"].unique() if c in vector.columns]]
    counted = fit[fit["independent"] & fit["verdict"].ne("")]
    agree = {str(v) for v in AGREEING}
    counts = counted.groupby(["family", "release", "hypothesis"]).agg(
        testable=("verdict", "size"),
        reproduced=("verdict", lambda v: int(v.isin(agree).sum())),
        within_tolerance=("verdict", lambda v: int(v.isin(agree | {str(Verdict.CLOSE)}).sum())),
        largest_miss=("distance", lambda d: float(100 * d.abs().max())),
    )
    summary = counts.join(vector).reset_index()
    summary["family"] = pd.Categorical(summary["family"], FAMILIES, ordered=True)
    # Ties are broken on the largest miss at the precision shown (0.1 percentage point), then by release and
    # hypothesis, so that noise in the last digits (another CPU) never reorders the table.
    summary["_miss"] = summary["largest_miss"].round(1)
    summary = summary.sort_values(
        ["family", "reproduced", "within_tolerance", "_miss", "release", "hypothesis"],
        ascending=[True, False, False, True, True, True],
        kind="stable",
    ).drop(columns="_miss")
    summary["family"] = summary["family"].astype(str)
    return summary.rename(columns={"within_tolerance": "within tolerance", "largest_miss": "largest miss (%)"})


def best_per_family(summary: pd.DataFrame) -> pd.DataFrame:
    """The best-fitting hypothesis of each family (most amounts reproduced, then within tolerance, then the
    smallest largest miss) among the releases that can test every amount: what each kind of account can do
    at best. (A release that holds one flow fits one amount at most and proves nothing about the others.)"""
    full = summary[summary["testable"] == summary["testable"].max()]
    return full.groupby("family", sort=False).head(1).reset_index(drop=True)


def fits_everything(summary: pd.DataFrame) -> pd.DataFrame:
    """The hypotheses that test every independent amount and reproduce them all (usually none)."""
    full = summary[summary["testable"] == summary["testable"].max()]
    return full[full["reproduced"] == full["testable"]]


def headline_range(fit: pd.DataFrame, claim_id: str, family: str) -> tuple[float, float]:
    """The smallest and largest value ``claim_id`` takes under the hypotheses of one family (millions of TIV)."""
    values = fit[(fit["claim_id"] == claim_id) & (fit["family"] == family)]["value"].dropna()
    return float(values.min()), float(values.max())
