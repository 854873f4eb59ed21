"""The supplier-share trend analysis behind the "Trends in supplier shares" chapter.

:class:`TrendParameters` holds the chapter's papermill parameters;
:func:`validate` checks them against the data before anything is computed;
:func:`run` fits every model; :func:`key_results` reduces a run to one row of
the sensitivity grid.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from sinoiran.analysis import models
from sinoiran.analysis.shares import denominator_text, supplier_shares
from sinoiran.base.errors import UsageError
from sinoiran.base.names import UnknownName, in_prose, possessive, resolve
from sinoiran.base.precision import snap
from sinoiran.data.vintages import VINTAGES, check_vintage, coverage_gap


@dataclass(frozen=True)
class TrendParameters:
    """Parameters of one trend analysis (the chapter's ``parameters`` cell).

    ``window`` is the length, in years, of the rolling sums from which shares
    are computed (1 = yearly shares; SIPRI recommends multi-year sums because
    single years are lumpy). ``suppliers`` lists the leader first: the
    overtaking question asks when ``suppliers[0]`` passes ``suppliers[1]``.
    """

    vintage: str = "2016"
    start_year: int = 1992
    end_year: int = 2015
    break_year: int = 2008
    window: int = 1
    recipient: str = "Iran"
    suppliers: tuple[str, ...] = ("China", "Russia")

    @classmethod
    def from_values(cls, **values: object) -> TrendParameters:
        """Parameters from loosely typed values, as papermill or a command line passes them.

        ``-p vintage 2016`` arrives as the integer 2016 and becomes ``"2016"``;
        years and the window may be integers or digit strings; ``suppliers`` may
        be a list, a JSON list (``'["Russia","United States"]'``) or a
        comma-separated string (``"Russia, United States"``). Anything else
        raises ``ValueError`` naming the parameter.
        """
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        if unknown:
            raise UsageError(f"unknown parameter(s): {', '.join(unknown)}")
        out: dict[str, object] = {}
        for name, value in values.items():
            if name in ("vintage", "recipient"):
                if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
                    raise UsageError(f"{name}={value!r}: give a name such as '2016' or 'Iran'")
                out[name] = str(value).strip()
            elif name == "suppliers":
                out[name] = _supplier_list(value)
            else:
                if isinstance(value, bool) or not (
                    isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit())
                ):
                    raise UsageError(f"{name}={value!r}: must be a whole number")
                out[name] = int(value)
        return cls(**out)  # type: ignore[arg-type]


def _supplier_list(value: object) -> tuple[str, ...]:
    """Suppliers as a tuple of names from a list, a JSON list or a comma-separated string."""
    import json

    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise UsageError(f"suppliers={value!r}: not a JSON list ({error.msg})") from None
        else:
            value = [part for part in text.split(",")]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise UsageError(f"suppliers={value!r}: give a list of supplier names, leader first")
    return tuple(v.strip() for v in value)


@dataclass
class TrendRun:
    """Everything one analysis produced."""

    parameters: TrendParameters
    denominator: str
    shares: pd.DataFrame
    linear: dict[str, models.ModelResult] = field(default_factory=dict)
    segmented: dict[str, models.ModelResult] = field(default_factory=dict)
    fractional: dict[str, models.ModelResult] = field(default_factory=dict)
    overtaking: dict[str, float] = field(default_factory=dict)


def resolve_names(params: TrendParameters, tiv: pd.DataFrame) -> TrendParameters:
    """The parameters with the recipient and suppliers spelt as the tables spell them.

    Names go through the alias table (``USA``, ``Turkiye``, ``UAE``, ``PRC`` ...)
    and are looked up in every release the tables hold: whether *this* release
    holds a pair is the coverage check's question, answered in its own words. A
    name no release holds is refused in one line listing the closest names.
    """
    check_vintage(params.vintage, VINTAGES)
    where = f"in vintage {params.vintage}"
    release = tiv[tiv["vintage"] == params.vintage]

    def look_up(name: str, role: str, parameter: str) -> str:
        # The closest names come from this release first, then from the others.
        known = [*release[role].unique(), *tiv[role].unique()]
        try:
            return resolve(name, known, what=role, where=where)
        except UnknownName as error:
            raise UsageError(f"{parameter}: {error}") from None

    recipient = look_up(params.recipient, "recipient", "recipient")
    suppliers = tuple(look_up(s, "supplier", "suppliers") for s in params.suppliers)
    return replace(params, recipient=recipient, suppliers=suppliers)


def validate(params: TrendParameters, tiv: pd.DataFrame) -> str:
    """Check parameters (names already resolved, :func:`resolve_names`) before any computation; return the
    share denominator used (in words).

    Raises a :class:`~sinoiran.base.errors.UsageError` with a message that names
    the parameter for: an unknown vintage, start after end, years the vintage
    does not cover, a window outside the years, a break year that leaves fewer
    than three years on either side, fewer than two suppliers, a recipient with
    no data, a vintage that does not hold the suppliers' deliveries to the
    recipient, or a supplier that delivered nothing in the years (no share to
    fit). Where the release does not hold every supplier of the recipient, the
    shares are of the suppliers it holds, and the denominator says so. Coverage
    messages come from the one coverage check,
    :func:`sinoiran.data.vintages.coverage_gap`.
    """
    check_vintage(params.vintage, VINTAGES)
    if params.start_year > params.end_year:
        raise UsageError(f"start_year={params.start_year} is after end_year={params.end_year}")
    years_gap = coverage_gap(params.vintage, [], params.start_year, params.end_year, recipient=params.recipient)
    if years_gap:
        raise UsageError(f"start_year-end_year={params.start_year}-{params.end_year}: {years_gap}")
    if not 1 <= params.window <= params.end_year - params.start_year + 1:
        raise UsageError(f"window={params.window}: must be between 1 and the number of years in the period")
    first_fitted = params.start_year + params.window - 1
    if not (first_fitted + 3 <= params.break_year <= params.end_year - 2):
        raise UsageError(
            f"break_year={params.break_year} is outside the window: it must leave at least three fitted "
            f"years on each side ({first_fitted + 3}-{params.end_year - 2} for these parameters)"
        )
    if len(params.suppliers) < 2 or len(set(params.suppliers)) != len(params.suppliers):
        raise UsageError(f"suppliers={list(params.suppliers)}: give at least two different suppliers, leader first")
    rows = tiv[(tiv["vintage"] == params.vintage) & (tiv["recipient"] == params.recipient)]
    if rows.empty:
        raise UsageError(f"recipient={params.recipient!r}: no deliveries to it in vintage {params.vintage}")
    supplier_gap = coverage_gap(
        params.vintage, list(params.suppliers), params.start_year, params.end_year, recipient=params.recipient
    )
    if supplier_gap:
        raise UsageError(
            f"vintage={params.vintage!r}: {supplier_gap}; it cannot give shares for {', '.join(params.suppliers)}"
        )
    window = rows[rows["year"].between(params.start_year, params.end_year)]
    volumes = window.groupby("supplier")["tiv"].sum()
    idle = [s for s in params.suppliers if float(volumes.get(s, 0.0)) <= 0]
    if idle:
        busiest = ", ".join(f"{s} ({snap(v):.0f})" for s, v in volumes.sort_values(ascending=False).head(4).items())
        raise UsageError(
            f"suppliers: {' and '.join(idle)} delivered nothing to {params.recipient} in "
            f"{params.start_year}-{params.end_year} (vintage {params.vintage}), so there is no share to fit; "
            f"its largest suppliers then, in millions of TIV: {busiest}"
        )
    return denominator_text(params.vintage, params.recipient, params.start_year, params.end_year)


def share_table(tiv: pd.DataFrame, params: TrendParameters) -> pd.DataFrame:
    """The shares the models are fitted to: :func:`sinoiran.analysis.shares.supplier_shares` over rolling
    ``window``-year sums (``year`` is each window's last year), with the denominator :func:`validate` reports."""
    return supplier_shares(
        tiv,
        vintage=params.vintage,
        recipient=params.recipient,
        suppliers=params.suppliers,
        start=params.start_year,
        end=params.end_year,
        window=params.window,
        rolling=True,
        partial=True,
    )


def run(params: TrendParameters, tiv: pd.DataFrame, *, n_boot: int = 2000) -> TrendRun:
    """Resolve the names, validate, then compute shares and fit every model for every supplier.

    :attr:`TrendRun.parameters` holds the parameters with the names as the
    release spells them ("USA" becomes "United States")."""
    params = resolve_names(params, tiv)
    denominator = validate(params, tiv)
    shares = share_table(tiv, params)
    result = TrendRun(parameters=params, denominator=denominator, shares=shares)
    for supplier in params.suppliers:
        series = shares[shares["supplier"] == supplier]
        result.linear[supplier] = models.linear_trend(series)
        result.segmented[supplier] = models.segmented_trend(series, break_year=params.break_year)
        result.fractional[supplier] = models.fractional_logit(series)
    leader, follower = params.suppliers[0], params.suppliers[1]
    result.overtaking = models.overtaking_year(
        shares[shares["supplier"] == leader],
        shares[shares["supplier"] == follower],
        start=int(shares["year"].min()),
        end=params.end_year,
        n_boot=n_boot,
    )
    return result


def coefficient_table(result: TrendRun) -> pd.DataFrame:
    """All models' coefficients in one long table: supplier, model, term, estimate, SE, CI, p."""
    frames = []
    for label, fits in [
        ("linear", result.linear),
        ("segmented", result.segmented),
        ("fractional logit", result.fractional),
    ]:
        for supplier, fit in fits.items():
            frames.append(fit.coefficients.assign(supplier=supplier, model=label))
    table = pd.concat(frames, ignore_index=True)
    return table[["supplier", "model", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]]


def fit_table(result: TrendRun) -> pd.DataFrame:
    """Fit statistics per supplier and model (n, R squared, AIC, Chow test, ...)."""
    rows = []
    for label, fits in [
        ("linear", result.linear),
        ("segmented", result.segmented),
        ("fractional logit", result.fractional),
    ]:
        for supplier, fit in fits.items():
            rows.append(
                {
                    "supplier": supplier,
                    "model": label,
                    **{k: v for k, v in fit.fit.items() if k not in ("center_year", "start_year")},
                }
            )
    return pd.DataFrame(rows)


def key_results(result: TrendRun) -> dict:
    """One row of the sensitivity grid: parameters and the headline numbers."""
    leader, follower = result.parameters.suppliers[:2]
    params = asdict(result.parameters)
    params["suppliers"] = "/".join(params["suppliers"])
    seg_l, seg_f = result.segmented[leader], result.segmented[follower]
    return {
        **params,
        "denominator": result.denominator,
        f"trend_{leader}": result.linear[leader].estimate("trend"),
        f"trend_{follower}": result.linear[follower].estimate("trend"),
        f"slope_change_{follower}": seg_f.estimate("slope_change"),
        f"level_shift_{follower}": seg_f.estimate("level_shift"),
        f"chow_p_{follower}": seg_f.fit["chow_p"],
        f"chow_p_{leader}": seg_l.fit["chow_p"],
        f"hac_wald_p_{follower}": seg_f.fit["hac_wald_p"],
        "overtaking_year": result.overtaking["year"],
        "overtaking_ci_low": result.overtaking["ci_low"],
        "overtaking_ci_high": result.overtaking["ci_high"],
        "overtaking_ci_high_beyond_window": bool(result.overtaking.get("ci_high_beyond_window", False)),
        "share_of_draws_crossing": result.overtaking["share_crossing"],
    }


def findings(result: TrendRun, alpha: float = 0.05) -> dict[str, str]:
    """Plain-language statements of what this run found (so the prose never asserts what the numbers do not show).

    Keys: ``direction`` (do the linear and fractional models agree on the leader's
    trend?), ``break_test`` (is the break detected for the follower?), ``overtaking``.
    """
    leader_key, follower_key = result.parameters.suppliers[:2]
    leader, follower = in_prose(leader_key), in_prose(follower_key)
    linear = result.linear[leader_key].coefficients.set_index("term").loc["trend"]
    logit = result.fractional[leader_key].coefficients.set_index("term").loc["trend"]

    def sign(row) -> str:
        if row["p_value"] >= alpha:
            return "no clear trend"
        return "a rising share" if row["estimate"] > 0 else "a falling share"

    lin, frac = sign(linear), sign(logit)
    if lin == frac:
        direction = f"The unweighted linear trend and the volume-weighted fractional logit agree: {lin} for {leader}."
    else:
        direction = (
            f"The models disagree: the unweighted linear trend shows {lin} for {leader}, the volume-weighted "
            f"fractional logit {frac}. Weighting by volume gives the heavy delivery years most say, so the two "
            "answers part when the shares of big and small years move differently."
        )
    chow_p = result.segmented[follower_key].statistic("chow_p")
    break_year = result.parameters.break_year
    break_test = (
        f"The Chow test detects a break in {possessive(follower)} share at {break_year} (p = {snap(chow_p):.3f})."
        if chow_p < alpha
        else f"The Chow test does not detect a break in {possessive(follower)} share at {break_year} (p = {snap(chow_p):.3f})."
    )
    year = result.overtaking["year"]
    if np.isnan(year):
        overtaking = f"The fitted gap does not turn in {possessive(leader)} favour within the window."
    elif year == result.shares["year"].min():
        overtaking = (
            f"{possessive(leader)} fitted share is above {possessive(follower)} from the first year of the window."
        )
    else:
        overtaking = f"{possessive(leader)} fitted share first exceeds {possessive(follower)} in {snap(year):.0f}."
    return {"direction": direction, "break_test": break_test, "overtaking": overtaking}


def observed_overtaking(result: TrendRun) -> dict[str, float]:
    """When the leader's *observed* share (not the fitted line) first exceeds the follower's.

    Returns ``first_year`` (the first window in which it does; NaN if never),
    ``ahead_for_good`` (the first year from which it stays ahead to the end of
    the window; NaN if it does not end ahead), and ``years_ahead`` (how many
    windows it is ahead). Years are the last years of the windows. A fitted
    crossing is not an observed one: the two can be years apart.
    """
    leader, follower = result.parameters.suppliers[:2]
    wide = result.shares.pivot(index="year", columns="supplier", values="share")[[leader, follower]].dropna()
    ahead = wide[leader] > wide[follower]
    first = float(ahead.idxmax()) if ahead.any() else float("nan")
    for_good = float("nan")
    if ahead.any() and bool(ahead.iloc[-1]):
        behind = ahead[~ahead]
        for_good = float(ahead.index[0]) if behind.empty else float(ahead.index[ahead.index > behind.index[-1]][0])
    return {"first_year": first, "ahead_for_good": for_good, "years_ahead": float(ahead.sum())}


def question(result: TrendRun) -> str:
    """The chapter's question in words, from the parameters (no sentence is about a fixed country)."""
    p = result.parameters
    leader, follower = (in_prose(s) for s in p.suppliers[:2])
    return (
        f"Is {leader} replacing {follower} as a supplier of {possessive(in_prose(p.recipient))} major arms? Release {p.vintage}, "
        f"{p.start_year}-{p.end_year}, shares of {result.denominator} from {p.window}-year sums."
    )


def observed_sentence(result: TrendRun) -> str:
    """What the observed shares show about the overtaking, beside the fitted answer."""
    leader, follower = (in_prose(s) for s in result.parameters.suppliers[:2])
    seen = observed_overtaking(result)
    if seen["first_year"] != seen["first_year"]:
        return f"In the observed shares, {leader} is never ahead of {follower} in this window."
    text = f"In the observed shares, {leader} is first ahead of {follower} in {seen['first_year']:.0f}"
    if seen["ahead_for_good"] == seen["ahead_for_good"]:
        if seen["ahead_for_good"] == seen["first_year"]:
            return text + " and stays ahead to the end of the window."
        return text + f", and stays ahead from {seen['ahead_for_good']:.0f} on."
    return text + f", but is behind again at the end of the window ({seen['years_ahead']:.0f} years ahead in all)."


def interval_text(overtaking: dict) -> str:
    """The bootstrap interval of the fitted overtaking year in words, saying when it is not pinned down."""
    low, high = overtaking["ci_low"], overtaking["ci_high"]
    if low != low:
        return "not pinned down: most draws find no crossing in the window"
    if overtaking.get("ci_high_beyond_window") or high != high:
        return f"from {low:.0f} to beyond the end of the window (its upper end is not pinned down)"
    return f"between {low:.0f} and {high:.0f}"


def block_shares(tiv: pd.DataFrame, params: TrendParameters, width: int = 5) -> pd.DataFrame:
    """The two suppliers' shares over consecutive ``width``-year blocks from the start year (SIPRI reports
    five-year blocks because single years are lumpy). Columns: ``period``, one column per supplier (fractions)."""
    blocks = supplier_shares(
        tiv,
        vintage=params.vintage,
        recipient=params.recipient,
        suppliers=params.suppliers[:2],
        start=params.start_year,
        end=params.end_year,
        window=width,
        partial=True,
    )
    wide = blocks.pivot(index="period", columns="supplier", values="share")[list(params.suppliers[:2])]
    return wide.reset_index()


def block_sentence(blocks: pd.DataFrame, params: TrendParameters) -> str:
    """In which block the leader's observed share first exceeds the follower's, in words."""
    leader, follower = params.suppliers[:2]
    ahead = blocks[blocks[leader] > blocks[follower]]
    first, last = (int(y) for y in blocks["period"].iloc[0].split("-"))
    width = last - first + 1
    if ahead.empty:
        return f"Over {width}-year blocks, {in_prose(leader)} is never ahead of {in_prose(follower)}."
    return (
        f"Over {width}-year blocks, as SIPRI reports them, {in_prose(leader)} is first ahead of {in_prose(follower)} "
        f"in {ahead['period'].iloc[0]}."
    )
