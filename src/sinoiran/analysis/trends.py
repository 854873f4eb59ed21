"""The supplier-share trend analysis behind the "Trends in supplier shares" chapter.

:class:`TrendParameters` holds the chapter's papermill parameters;
:func:`validate` checks them against the data before anything is computed;
:func:`run` fits every model; :func:`key_results` reduces a run to one row of
the sensitivity grid.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import pandas as pd

from sinoiran.analysis import models
from sinoiran.analysis.shares import OTHERS, denominator_text, supplier_shares
from sinoiran.base.errors import UsageError
from sinoiran.base.names import UnknownName, resolve
from sinoiran.base.precision import snap
from sinoiran.base.releases import Coverage


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
    """Everything one analysis produced.

    ``shares`` holds the named suppliers' shares (long: ``year``, ``supplier``,
    ``tiv``, ``total``, ``share``); ``joint_shares`` the same years wide, with
    one column per named supplier and ``Others`` (fractions summing to one) and
    ``total`` (millions of TIV), as the joint model is fitted to them.
    """

    parameters: TrendParameters
    denominator: str
    shares: pd.DataFrame
    joint_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    linear: dict[str, models.ModelResult] = field(default_factory=dict)
    segmented: dict[str, models.ModelResult] = field(default_factory=dict)
    joint: models.ModelResult | None = None
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    searched_breaks: pd.DataFrame = field(default_factory=pd.DataFrame)
    overtaking: dict = field(default_factory=dict)
    block_sensitivity: pd.DataFrame = field(default_factory=pd.DataFrame)


def resolve_names(params: TrendParameters, tiv: pd.DataFrame, coverage: Coverage) -> TrendParameters:
    """The parameters with the recipient and suppliers spelt as the tables spell them.

    Names go through the alias table (``USA``, ``Turkiye``, ``UAE``, ``PRC`` ...)
    and are looked up in every release the tables hold: whether *this* release
    holds a pair is the coverage check's question, answered in its own words. A
    name no release holds is refused in one line listing the closest names.
    """
    coverage.check(params.vintage)
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


def validate(params: TrendParameters, tiv: pd.DataFrame, coverage: Coverage) -> str:
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
    :meth:`sinoiran.base.releases.Coverage.gap`, of the ``coverage`` given.
    """
    coverage.check(params.vintage)
    if params.start_year > params.end_year:
        raise UsageError(f"start_year={params.start_year} is after end_year={params.end_year}")
    years_gap = coverage.gap(params.vintage, [], params.start_year, params.end_year, recipient=params.recipient)
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
        raise UsageError(
            f"recipient={params.recipient!r}: no deliveries to it in vintage {params.vintage}"
            + _other_releases(params, tiv, coverage)
        )
    supplier_gap = coverage.gap(
        params.vintage, list(params.suppliers), params.start_year, params.end_year, recipient=params.recipient
    )
    if supplier_gap:
        raise UsageError(
            f"vintage={params.vintage!r}: {supplier_gap}; it cannot give shares for {', '.join(params.suppliers)}"
            + _other_releases(params, tiv, coverage)
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
    return denominator_text(params.vintage, params.recipient, params.start_year, params.end_year, coverage=coverage)


def _other_releases(params: TrendParameters, tiv: pd.DataFrame, coverage: Coverage) -> str:
    """The releases that could answer instead (they hold the suppliers' deliveries to the recipient in the
    parameters' years, or in some years), as the end of an error line; empty when none can."""
    fitting, partly = [], []
    for label in coverage.labels:
        if label == params.vintage or tiv[(tiv["vintage"] == label) & (tiv["recipient"] == params.recipient)].empty:
            continue
        suppliers = list(params.suppliers)
        if coverage.gap(label, suppliers, params.start_year, params.end_year, recipient=params.recipient) is None:
            fitting.append(label)
        else:
            info = coverage.releases[label]
            if coverage.gap(label, suppliers, info.data_start, info.data_end, recipient=params.recipient) is None:
                partly.append(f"{label} ({info.data_start}-{info.data_end})")
    if fitting:
        return f"; releases that can: {', '.join(fitting)} (-p vintage {fitting[0]})"
    if partly:
        return f"; releases that hold these suppliers in other years: {', '.join(partly)}"
    return ""


def share_table(
    tiv: pd.DataFrame, params: TrendParameters, coverage: Coverage, *, others: bool = False
) -> pd.DataFrame:
    """The shares the models are fitted to: :func:`sinoiran.analysis.shares.supplier_shares` over rolling
    ``window``-year sums (``year`` is each window's last year), with the denominator :func:`validate` reports;
    ``others`` adds every other supplier as one row per year (``Others``)."""
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
        others=others,
        coverage=coverage,
    )


def joint_share_table(shares_with_others: pd.DataFrame, suppliers: tuple[str, ...]) -> pd.DataFrame:
    """The named suppliers' and all others' shares wide, one row per year: ``year``, one column per named
    supplier, ``Others`` (fractions; they sum to one where the year has imports) and ``total`` (millions of
    TIV). Years with no imports keep NaN shares."""
    wide = shares_with_others.pivot(index="year", columns="supplier", values="share")
    wide = wide[[*suppliers, OTHERS]]
    wide["total"] = shares_with_others.groupby("year")["total"].first()
    return wide.reset_index().rename_axis(columns=None)


def break_year_after(date: str) -> int:
    """The first whole calendar year after an event dated ``date`` (ISO): a resolution of March 2007 can
    shape deliveries from 2008 on, while 2007's were partly made before it."""
    year, month, day = (int(part) for part in date.split("-"))
    return year if (month, day) == (1, 1) else year + 1


def break_table(
    shares: pd.DataFrame, suppliers: tuple[str, ...], break_years: dict[str, int], *, first_fitted: int, end: int
) -> pd.DataFrame:
    """Tests of a break in each supplier's share at each pre-specified year (label -> year).

    One row per supplier and break: the classical Chow F test and the HAR Wald test (EWC errors,
    F(2, nu - 1)) of a change in level and slope, the estimated level shift (fraction of imports) and slope
    change (fraction per year); ``tested`` is False, with the reason, where the year leaves fewer than three
    fitted years on a side.
    """
    rows = []
    for label, year in break_years.items():
        for supplier in suppliers:
            row = {"supplier": supplier, "event": label, "break_year": int(year)}
            if not (first_fitted + 3 <= year <= end - 2):
                rows.append({**row, "tested": False, "reason": f"{year} leaves fewer than three years on a side"})
                continue
            fit = models.segmented_trend(shares[shares["supplier"] == supplier], break_year=int(year))
            rows.append(
                {
                    **row,
                    "tested": True,
                    "reason": "",
                    "level_shift": fit.estimate("level_shift"),
                    "slope_change": fit.estimate("slope_change"),
                    "chow_p": fit.statistic("chow_p"),
                    "har_wald_p": fit.statistic("har_wald_p"),
                    "nu": int(fit.fit["nu"]),
                }
            )
    return pd.DataFrame(rows)


def run(
    params: TrendParameters,
    tiv: pd.DataFrame,
    coverage: Coverage,
    *,
    n_boot: int = 2000,
    break_events: dict[str, int] | None = None,
) -> TrendRun:
    """Resolve the names, validate, then compute shares and fit every model.

    Per named supplier: a linear trend with HAR inference and a segmented trend
    at ``params.break_year``; the break tests at every year of ``break_events``
    (label -> year, chosen in advance from named events; default: the
    parameter's year alone) and Andrews' sup-F search; jointly: a multinomial
    fractional logit of the named suppliers and all others; and the overtaking
    of ``suppliers[1]`` by ``suppliers[0]`` with its block-length sensitivity.
    :attr:`TrendRun.parameters` holds the parameters with the names as the
    release spells them ("USA" becomes "United States").
    """
    params = resolve_names(params, tiv, coverage)
    denominator = validate(params, tiv, coverage)
    with_others = share_table(tiv, params, coverage, others=True)
    shares = with_others[with_others["supplier"] != OTHERS].reset_index(drop=True)
    result = TrendRun(parameters=params, denominator=denominator, shares=shares)
    for supplier in params.suppliers:
        series = shares[shares["supplier"] == supplier]
        result.linear[supplier] = models.linear_trend(series)
        result.segmented[supplier] = models.segmented_trend(series, break_year=params.break_year)
    first_fitted = int(shares["year"].min())
    events = break_events or {f"break year {params.break_year}": params.break_year}
    result.breaks = break_table(shares, params.suppliers, events, first_fitted=first_fitted, end=params.end_year)
    result.searched_breaks = pd.DataFrame(
        [{"supplier": s, **models.sup_f_break(shares[shares["supplier"] == s])} for s in params.suppliers]
    )
    result.joint_shares = joint_share_table(with_others, params.suppliers)
    categories = [*params.suppliers, OTHERS]
    if not (result.joint_shares[OTHERS].fillna(0) > 0).any():  # the named suppliers are all there is
        categories = list(params.suppliers)
    result.joint = models.multinomial_logit(result.joint_shares, categories)
    leader, follower = params.suppliers[0], params.suppliers[1]
    pair = dict(
        leader=shares[shares["supplier"] == leader],
        follower=shares[shares["supplier"] == follower],
        start=first_fitted,
        end=params.end_year,
        n_boot=n_boot,
    )
    result.overtaking = models.overtaking_year(**pair)
    result.block_sensitivity = models.overtaking_block_sensitivity(**pair)
    return result


def coefficient_table(result: TrendRun) -> pd.DataFrame:
    """Every model's coefficients in one long table: supplier, model, term, estimate, SE, CI, p.

    Linear and segmented terms are fractions of imports (per year for trends);
    the joint model's are log-odds against its base category (per year for trends).
    """
    frames = []
    for label, fits in [("linear", result.linear), ("segmented", result.segmented)]:
        for supplier, fit in fits.items():
            frames.append(fit.coefficients.assign(supplier=supplier, model=label))
    if result.joint is not None:
        joint = result.joint.coefficients.copy()
        joint[["supplier", "term"]] = joint["term"].str.split(": ", n=1, expand=True)
        frames.append(joint.assign(model=f"joint (log-odds against {result.joint.fit['base']})"))
        leader, follower = result.parameters.suppliers[:2]
        contrast = models.multinomial_contrast(result.joint, leader, follower)
        frames.append(
            pd.DataFrame(
                [
                    {
                        "supplier": f"{leader} against {follower}",
                        "model": f"joint (log-odds of {leader} against {follower})",
                        "term": "trend",
                        **{k: contrast[k] for k in ("estimate", "std_error", "ci_low", "ci_high", "p_value")},
                    }
                ]
            )
        )
    table = pd.concat(frames, ignore_index=True)
    return table[["supplier", "model", "term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]]


def fit_table(result: TrendRun) -> pd.DataFrame:
    """Fit statistics per supplier and model: years fitted, R squared, HAR degrees of freedom, and the
    trend's p-value under HAR, plain OLS and Newey-West errors (linear); the break tests (segmented)."""
    rows = []
    for label, fits in [("linear", result.linear), ("segmented", result.segmented)]:
        for supplier, fit in fits.items():
            stats = {k: v for k, v in fit.fit.items() if k not in ("center_year", "start_year")}
            if label == "linear":
                stats["p_har"] = float(fit.coefficients.set_index("term").loc["trend", "p_value"])
            rows.append({"supplier": supplier, "model": label, **stats})
    return pd.DataFrame(rows)


def key_results(result: TrendRun) -> dict:
    """One row of the sensitivity grid: parameters and the headline numbers (shares are fractions, trends
    fractions per year, the joint trend log-odds per year against others)."""
    leader, follower = result.parameters.suppliers[:2]
    params = asdict(result.parameters)
    params["suppliers"] = "/".join(params["suppliers"])
    seg_l, seg_f = result.segmented[leader], result.segmented[follower]
    joint = result.joint.coefficients.set_index("term") if result.joint is not None else None
    row = {**params, "denominator": result.denominator}
    for supplier in (leader, follower):
        trend = result.linear[supplier].coefficients.set_index("term").loc["trend"]
        row[f"trend_{supplier}"] = float(trend["estimate"])
        row[f"trend_p_{supplier}"] = float(trend["p_value"])
        row[f"trend_p_ols_{supplier}"] = result.linear[supplier].statistic("p_ols")
        if joint is not None and f"{supplier}: trend" in joint.index:
            row[f"joint_trend_{supplier}"] = float(joint.loc[f"{supplier}: trend", "estimate"])
            row[f"joint_trend_p_{supplier}"] = float(joint.loc[f"{supplier}: trend", "p_value"])
    searched = result.searched_breaks.set_index("supplier")
    overtaking = result.overtaking
    seen = observed_overtaking(result)
    return {
        **row,
        "nu": int(result.linear[leader].fit["nu"]),
        f"slope_change_{follower}": seg_f.estimate("slope_change"),
        f"level_shift_{follower}": seg_f.estimate("level_shift"),
        f"chow_p_{follower}": seg_f.statistic("chow_p"),
        f"chow_p_{leader}": seg_l.statistic("chow_p"),
        f"har_wald_p_{follower}": seg_f.statistic("har_wald_p"),
        f"har_wald_p_{leader}": seg_l.statistic("har_wald_p"),
        f"sup_f_year_{follower}": int(searched.loc[follower, "year"]),
        f"sup_f_found_{follower}": bool(searched.loc[follower, "break_found"]),
        "overtaking_kind": overtaking["kind"],
        "overtaking_year": overtaking["year"],
        "overtaking_ci_low": overtaking["ci_low"],
        "overtaking_ci_high": overtaking["ci_high"],
        "overtaking_identified": bool(overtaking["identified"]),
        "share_of_draws_crossing": overtaking["share_crossing"],
        "share_of_draws_ahead_from_start": overtaking["share_ahead_from_start"],
        "share_of_draws_never": overtaking["share_never"],
        "observed_first_ahead": seen["first_year"],
        "observed_ahead_for_good": seen["ahead_for_good"],
    }


def observed_overtaking(result: TrendRun) -> dict[str, float]:
    """When the leader's *observed* share (not the fitted line) first exceeds the follower's.

    Returns ``first_year`` (the first window in which it does; NaN if never),
    ``ahead_for_good`` (the first year from which it stays ahead to the end of
    the window; NaN if it does not end ahead), ``years_ahead`` (how many
    windows it is ahead), ``last_ahead`` (the last window in which it is; NaN if
    never) and ``level_at_end`` / ``share_at_end``: whether the two shares are
    equal in the last window (often both 0: neither delivered), and the leader's
    share there (a fraction). Years are the last years of the windows. A fitted
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
    last = float(ahead[ahead].index[-1]) if ahead.any() else float("nan")
    at_end = wide.iloc[-1] if len(wide) else pd.Series({leader: float("nan"), follower: float("nan")})
    return {
        "first_year": first,
        "ahead_for_good": for_good,
        "years_ahead": float(ahead.sum()),
        "last_ahead": last,
        "level_at_end": bool(len(wide)) and abs(float(at_end[leader]) - float(at_end[follower])) <= 1e-12,
        "share_at_end": float(at_end[leader]),
    }


def block_table(tiv: pd.DataFrame, params: TrendParameters, coverage: Coverage, width: int = 5) -> pd.DataFrame:
    """Volumes beside shares over SIPRI's ``width``-year blocks (:func:`sinoiran.analysis.shares.sipri_blocks`,
    the last ending in the parameters' end year): one row per block and supplier (the named ones and
    ``Others``) with ``period``, ``years`` (how many years the block has inside the window), ``complete``
    (all ``width`` of them), ``tiv`` (the supplier's deliveries, millions of TIV), ``total`` (the recipient's
    imports from the suppliers the release holds, millions of TIV) and ``share`` (a fraction of ``total``;
    NaN when it is zero). Sums come first and shares after, as
    :func:`sinoiran.analysis.shares.supplier_shares` does."""
    table = supplier_shares(
        tiv,
        vintage=params.vintage,
        recipient=params.recipient,
        suppliers=params.suppliers,
        start=params.start_year,
        end=params.end_year,
        window=width,
        partial=True,
        others=True,
        coverage=coverage,
    )
    table["years"] = table["last_year"] - table["first_year"] + 1
    table["complete"] = table["years"] == width
    return table[["period", "first_year", "last_year", "years", "complete", "supplier", "tiv", "total", "share"]]
