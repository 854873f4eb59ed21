"""Trend models of suppliers' shares (statsmodels), each returning a tidy result.

The input is a yearly share series: ``year`` and ``share`` (a fraction in
[0, 1]) and, for the weighted model, ``total`` (the recipient's total imports
that year, millions of TIV). Years with zero total have no share and are
dropped before fitting, never set to zero.

**Inference on 20-odd yearly points.** Newey-West errors on so few points can
be smaller than plain OLS ones and their normal critical values too narrow. The
models here use small-sample heteroskedasticity- and autocorrelation-robust
(HAR) inference: the equal-weighted cosine (EWC) estimator of the long-run
variance with ``nu`` = floor(0.4 n^(2/3)) cosine terms and Student-t critical
values with ``nu`` degrees of freedom (Lazarus, Lewis, Stock and Watson 2018,
"HAR inference: recommendations for practice"). ``nu`` is reported as the
effective degrees of freedom; plain OLS and Newey-West p-values are kept beside
it for comparison.

Models:

1. :func:`linear_trend` - OLS of a share on year, HAR inference;
2. :func:`segmented_trend` - a level and slope change at a break year chosen in
   advance (from a named event), with a Chow test and a HAR Wald test of it;
   :func:`sup_f_break` searches every year for a break (Andrews' sup-F, with his
   critical values), for when a break year is not given in advance;
3. :func:`multinomial_logit` - the shares of the named suppliers and of all
   others modelled jointly (they sum to one): a fractional multinomial logit,
   weighted by total volume, HAR sandwich errors;
4. :func:`overtaking_year` - the year one supplier's fitted share passes
   another's, with a residual moving-block bootstrap that tells crossings from
   draws where the leader is ahead from the start or never ahead (censored
   draws are not crossings), and its sensitivity to the block length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats as scistats


@dataclass
class ModelResult:
    """A fitted model as tables: coefficient estimates and fit statistics."""

    name: str
    coefficients: pd.DataFrame  # term, estimate, std_error, ci_low, ci_high, p_value
    fit: dict[str, float | int | str]
    extra: dict = field(default_factory=dict)

    def estimate(self, term: str) -> float:
        """The estimate of one term."""
        return float(self.coefficients.set_index("term").loc[term, "estimate"])

    def statistic(self, name: str) -> float:
        """A numeric fit statistic (``chow_p``, ``r_squared``, ...) as a float."""
        value = self.fit[name]
        if isinstance(value, str):
            raise TypeError(f"{self.name}: fit statistic {name!r} is text, not a number")
        return float(value)


def _usable(series: pd.DataFrame) -> pd.DataFrame:
    frame = series.dropna(subset=["share"]).sort_values("year")
    if len(frame) < 4:
        raise ValueError(f"too few years with a defined share to fit a trend ({len(frame)}; need at least 4)")
    return frame


def hac_lags(n: int) -> int:
    """Newey-West lag length: floor(4 (n/100)^(2/9)), at least 1 (for the comparison column only)."""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))


def ewc_degrees(n: int) -> int:
    """Cosine terms (= degrees of freedom) of the EWC long-run variance: floor(0.4 n^(2/3)), at least 2."""
    return max(2, int(math.floor(0.4 * n ** (2 / 3))))


def ewc_long_run_variance(scores: np.ndarray, nu: int) -> np.ndarray:
    """The EWC estimate of the long-run variance of ``scores`` (n x k): the mean of ``nu`` cosine-weighted
    outer products, Lambda_j = sqrt(2/n) sum_t z_t cos(pi j (t - 1/2) / n)."""
    scores = np.atleast_2d(np.asarray(scores, dtype=float))
    n = scores.shape[0]
    t = np.arange(1, n + 1)
    total = np.zeros((scores.shape[1], scores.shape[1]))
    for j in range(1, nu + 1):
        weights = math.sqrt(2 / n) * np.cos(math.pi * j * (t - 0.5) / n)
        lam = weights @ scores
        total += np.outer(lam, lam)
    return total / nu


def har_ols(x: np.ndarray, y: np.ndarray, alpha: float = 0.05) -> dict:
    """OLS with EWC HAR standard errors and t(nu) inference: estimates, SEs, p-values, CIs, nu, and the
    covariance matrix."""
    n = len(y)
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    resid = y - x @ beta
    nu = ewc_degrees(n)
    omega = ewc_long_run_variance(x * resid[:, None], nu)
    cov = xtx_inv @ (n * omega) @ xtx_inv
    # The sandwich is positive semi-definite by construction; a negative diagonal entry is the rounding of a true
    # zero (a segment of the series fitted exactly, such as years of no deliveries before a break), so its
    # standard error is 0, and a coefficient of 0 with it has no t statistic (NaN, said as "not available").
    variances = np.diag(cov)
    if variances.min(initial=0.0) < -1e-9 * max(1.0, float(np.abs(variances).max())):
        raise ArithmeticError(f"HAR covariance with a negative variance beyond rounding: {variances.min()!r}")
    se = np.sqrt(np.clip(variances, 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = beta / se
    p = 2 * scistats.t.sf(np.abs(tstat), df=nu)
    crit = scistats.t.ppf(1 - alpha / 2, df=nu)
    return {
        "beta": beta,
        "se": se,
        "p": p,
        "low": beta - crit * se,
        "high": beta + crit * se,
        "nu": nu,
        "cov": cov,
        "resid": resid,
    }


def _table(names: list[str], har: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": names,
            "estimate": har["beta"],
            "std_error": har["se"],
            "ci_low": har["low"],
            "ci_high": har["high"],
            "p_value": har["p"],
        }
    )


def linear_trend(series: pd.DataFrame, *, center: int | None = None) -> ModelResult:
    """OLS ``share = a + b (year - center)`` with HAR (EWC) standard errors and t(nu) inference.

    ``b`` is the change in share per year (fraction of total imports per year);
    ``a`` the share at ``center`` (default: the first year). The fit also holds
    the trend's p-value under plain OLS errors (``p_ols``) and under Newey-West
    errors with normal critical values (``p_newey_west``), for comparison.
    """
    frame = _usable(series)
    center = int(frame["year"].min()) if center is None else center
    x = sm.add_constant((frame["year"] - center).to_numpy(dtype=float))
    y = frame["share"].to_numpy(dtype=float)
    har = har_ols(x, y)
    classical = sm.OLS(y, x).fit()
    newey_west = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags(len(frame))})
    return ModelResult(
        name="linear trend (OLS; HAR inference: EWC errors, t with nu degrees of freedom)",
        coefficients=_table(["intercept", "trend"], har),
        fit={
            "n": int(len(frame)),
            "r_squared": float(classical.rsquared),
            "nu": int(har["nu"]),
            "p_ols": float(classical.pvalues[1]),
            "p_newey_west": float(newey_west.pvalues[1]),
            "center_year": center,
        },
        extra={"result": classical, "har": har},
    )


def _segmented_design(frame: pd.DataFrame, break_year: int) -> np.ndarray:
    start = int(frame["year"].min())
    t = (frame["year"] - start).to_numpy(dtype=float)
    post = (frame["year"] >= break_year).to_numpy(dtype=float)
    return np.column_stack([np.ones_like(t), t, post, (frame["year"].to_numpy(dtype=float) - break_year) * post])


def segmented_trend(series: pd.DataFrame, *, break_year: int, min_side: int = 3) -> ModelResult:
    """Broken trend: ``share = a + b t + c D + d (year - break) D``, D = 1 from ``break_year`` on.

    ``c`` is the jump in level at the break, ``d`` the change in slope. The Chow
    test compares this model with one line for all years (F test of c = d = 0
    with classical errors); the HAR Wald test of the same restriction uses the
    EWC covariance, scaled to F(2, nu - 1). Each side of the break needs
    ``min_side`` years. The break year should be chosen in advance (from a named
    event); searching for it needs :func:`sup_f_break`.
    """
    frame = _usable(series)
    before = int((frame["year"] < break_year).sum())
    after = int((frame["year"] >= break_year).sum())
    if before < min_side or after < min_side:
        raise ValueError(
            f"break year {break_year} leaves {before} year(s) before and {after} after; need {min_side} on each side"
        )
    x = _segmented_design(frame, break_year)
    y = frame["share"].to_numpy(dtype=float)
    classical = sm.OLS(y, x).fit()
    restriction = np.array([[0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)
    chow = classical.f_test(restriction)
    har = har_ols(x, y)
    q, nu = 2, har["nu"]
    r = restriction @ har["beta"]
    wald = float(r @ np.linalg.inv(restriction @ har["cov"] @ restriction.T) @ r)
    df2 = max(1, nu - q + 1)
    f_har = wald * df2 / (nu * q)
    return ModelResult(
        name=f"segmented trend, break {break_year} (OLS; HAR inference, t with nu degrees of freedom)",
        coefficients=_table(["intercept", "trend", "level_shift", "slope_change"], har),
        fit={
            "n": int(len(frame)),
            "r_squared": float(classical.rsquared),
            "break_year": break_year,
            "chow_F": float(np.squeeze(chow.fvalue)),
            "chow_p": float(np.squeeze(chow.pvalue)),
            "har_wald_F": f_har,
            "har_wald_p": float(scistats.f.sf(f_har, q, df2)),
            "nu": int(nu),
            "years_before": before,
            "years_after": after,
            "start_year": int(frame["year"].min()),
        },
        extra={"result": classical, "har": har},
    )


#: Andrews (1993), Table 1: asymptotic critical values of the sup-Wald statistic for a break in two
#: coefficients, trimming 15% at each end: 10%, 5% and 1%.
ANDREWS_SUP_WALD_2 = {0.10: 10.01, 0.05: 11.79, 0.01: 15.65}


def sup_f_break(series: pd.DataFrame, *, trim: float = 0.15) -> dict[str, float | int | bool]:
    """Andrews' sup-F search for one break in level and slope at an unknown year.

    The Chow F statistic is computed at every year between the trimmed ends; the
    largest, times 2 (a Wald statistic in two restrictions), is compared with
    Andrews' 5% critical value. Returns ``year`` (where the statistic peaks),
    ``sup_wald``, ``critical_5pct`` and ``break_found``. With classical errors:
    on autocorrelated shares it finds breaks too often, which is one more reason
    to take break years from named events instead.
    """
    frame = _usable(series)
    years = frame["year"].to_numpy()
    n = len(years)
    low, high = int(math.ceil(trim * n)), int(math.floor((1 - trim) * n))
    best, at = -math.inf, None
    y = frame["share"].to_numpy(dtype=float)
    restriction = np.array([[0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)
    for k in range(max(low, 3), min(high, n - 3) + 1):
        year = int(years[k])
        fitted = sm.OLS(y, _segmented_design(frame, year)).fit()
        f = float(np.squeeze(fitted.f_test(restriction).fvalue))
        if f > best:
            best, at = f, year
    if at is None:
        raise ValueError(f"too few years ({n}) to search for a break")
    sup_wald = 2 * best
    return {
        "year": int(at),
        "sup_wald": float(sup_wald),
        "critical_5pct": ANDREWS_SUP_WALD_2[0.05],
        "break_found": bool(sup_wald > ANDREWS_SUP_WALD_2[0.05]),
    }


def multinomial_logit(shares: pd.DataFrame, categories: list[str], *, center: int | None = None) -> ModelResult:
    """The shares of ``categories`` (the last is the base, e.g. "Others") modelled jointly.

    ``shares`` is wide: ``year``, one column per category (fractions summing to one) and ``total`` (the
    recipient's imports, millions of TIV). The quasi-likelihood of a fractional multinomial logit,
    weighted by each year's total relative to the mean, gives for each non-base category an intercept
    and a trend on the log-odds scale against the base, per year; errors are a sandwich whose middle is
    the EWC long-run variance of the scores (HAR), with t(nu) inference. Years with no imports are dropped.
    """
    frame = shares.dropna(subset=categories).sort_values("year")
    frame = frame[frame["total"] > 0]
    if len(frame) < 6:
        raise ValueError(f"too few years with imports to fit the joint model ({len(frame)}; need at least 6)")
    center = int(frame["year"].min()) if center is None else center
    t = (frame["year"] - center).to_numpy(dtype=float)
    x = np.column_stack([np.ones_like(t), t])
    y = frame[categories].to_numpy(dtype=float)
    y = y / y.sum(axis=1, keepdims=True)
    w = frame["total"].to_numpy(dtype=float)
    w = w / w.mean()
    k = len(categories) - 1

    def probabilities(theta: np.ndarray) -> np.ndarray:
        eta = np.column_stack([x @ theta.reshape(k, 2).T, np.zeros(len(t))])
        eta -= eta.max(axis=1, keepdims=True)
        e = np.exp(eta)
        return e / e.sum(axis=1, keepdims=True)

    def objective(theta: np.ndarray) -> float:
        p = np.clip(probabilities(theta), 1e-300, None)
        return -float(np.sum(w[:, None] * y * np.log(p)))

    def gradient(theta: np.ndarray) -> np.ndarray:
        p = probabilities(theta)
        resid = (y - p)[:, :k] * w[:, None]
        return -np.concatenate([resid[:, j] @ x for j in range(k)])

    def information(theta: np.ndarray) -> np.ndarray:
        p = probabilities(theta)
        total = np.zeros((2 * k, 2 * k))
        for i in range(len(t)):
            cov = np.diag(p[i, :k]) - np.outer(p[i, :k], p[i, :k])
            total += w[i] * np.kron(cov, np.outer(x[i], x[i]))
        return total

    # Newton's method on a concave quasi-log-likelihood, halving steps that do not improve it.
    theta = np.zeros(2 * k)
    converged = False
    for _ in range(200):
        step = np.linalg.solve(information(theta), -gradient(theta))
        size = 1.0
        while objective(theta + size * step) > objective(theta) + 1e-12 and size > 1e-8:
            size /= 2
        theta = theta + size * step
        if np.max(np.abs(gradient(theta))) < 1e-10 * len(t):
            converged = True
            break
    if not converged:
        raise ValueError("the joint share model did not converge (a category may be zero in every year)")
    p = probabilities(theta)
    scores = np.column_stack([((y - p)[:, j] * w)[:, None] * x for j in range(k)])
    hessian = information(theta)
    nu = ewc_degrees(len(t))
    bread = np.linalg.inv(hessian)
    cov_theta = bread @ (len(t) * ewc_long_run_variance(scores, nu)) @ bread
    se = np.sqrt(np.diag(cov_theta))
    tstat = theta / se
    crit = scistats.t.ppf(0.975, df=nu)
    names = [f"{c}: {term}" for c in categories[:k] for term in ("intercept", "trend")]
    coefficients = pd.DataFrame(
        {
            "term": names,
            "estimate": theta,
            "std_error": se,
            "ci_low": theta - crit * se,
            "ci_high": theta + crit * se,
            "p_value": 2 * scistats.t.sf(np.abs(tstat), df=nu),
        }
    )
    return ModelResult(
        name=f"multinomial fractional logit of {', '.join(categories)} (base {categories[-1]}; volume weights; HAR)",
        coefficients=coefficients,
        fit={"n": int(len(t)), "nu": int(nu), "center_year": center, "base": categories[-1]},
        extra={
            "theta": theta,
            "cov": cov_theta,
            "categories": categories,
            "years": frame["year"].to_numpy(),
            "fitted": p,
        },
    )


def multinomial_contrast(model: ModelResult, first: str, second: str, alpha: float = 0.05) -> dict[str, float]:
    """The trend of ``first``'s log-odds against ``second`` in a :func:`multinomial_logit` model (per year):
    positive when ``first`` gains on ``second``, whatever the others do. Estimate, HAR standard error,
    (1 - alpha) interval and p-value with t(nu); ``odds_ratio_per_year`` is exp(estimate)."""
    categories = model.extra["categories"]
    k = len(categories) - 1
    weights = np.zeros(2 * k)
    for name, sign in ((first, 1.0), (second, -1.0)):
        index = categories.index(name)
        if index < k:  # the base category's coefficients are zero
            weights[2 * index + 1] += sign
    estimate = float(weights @ model.extra["theta"])
    se = float(np.sqrt(weights @ model.extra["cov"] @ weights))
    nu = int(model.fit["nu"])
    crit = scistats.t.ppf(1 - alpha / 2, df=nu)
    return {
        "estimate": estimate,
        "std_error": se,
        "ci_low": float(estimate - crit * se),
        "ci_high": float(estimate + crit * se),
        "p_value": float(2 * scistats.t.sf(abs(estimate / se), df=nu)),
        "odds_ratio_per_year": math.exp(estimate),
        "nu": nu,
    }


def predict_multinomial(model: ModelResult, years: np.ndarray) -> pd.DataFrame:
    """Fitted shares of every category of a :func:`multinomial_logit` model for the given years."""
    categories = model.extra["categories"]
    k = len(categories) - 1
    t = np.asarray(years, dtype=float) - model.fit["center_year"]
    x = np.column_stack([np.ones_like(t), t])
    eta = np.column_stack([x @ model.extra["theta"].reshape(k, 2).T, np.zeros(len(t))])
    e = np.exp(eta - eta.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return pd.DataFrame({"year": years, **{c: p[:, i] for i, c in enumerate(categories)}})


def fitted_line(model: ModelResult, years: np.ndarray, alpha: float = 0.05) -> pd.DataFrame:
    """Fitted values and a (1 - alpha) HAR confidence band (t with nu degrees of freedom) of a
    :func:`linear_trend` model."""
    har = model.extra["har"]
    x = sm.add_constant(np.asarray(years, dtype=float) - model.fit["center_year"], has_constant="add")
    fitted = x @ har["beta"]
    se = np.sqrt(np.einsum("ij,jk,ik->i", x, har["cov"], x))
    crit = scistats.t.ppf(1 - alpha / 2, df=har["nu"])
    return pd.DataFrame({"year": years, "fitted": fitted, "low": fitted - crit * se, "high": fitted + crit * se})


#: How a fitted gap between two shares resolves inside a window.
CROSSING, AHEAD_FROM_START, NEVER = "crossing", "ahead from the start", "never ahead"


def _first_positive_year(intercept: float, slope: float, start: int, end: int) -> tuple[str, float]:
    """Classify a fitted gap ``intercept + slope (year - start)``: ahead from ``start``, a crossing in
    ``(start, end]`` (the first whole year with a positive fitted gap), or never ahead by ``end``."""
    if intercept > 0:
        return AHEAD_FROM_START, math.nan
    if slope <= 0:
        return NEVER, math.nan
    year = start + math.floor(-intercept / slope) + 1
    return (CROSSING, float(year)) if year <= end else (NEVER, math.nan)


def overtaking_year(
    leader: pd.DataFrame,
    follower: pd.DataFrame,
    *,
    start: int,
    end: int,
    n_boot: int = 2000,
    seed: int = 20051,
    alpha: float = 0.05,
    block: int | None = None,
) -> dict[str, float | int | str | bool]:
    """When does ``leader``'s fitted share first exceed ``follower``'s, and is that year identified?

    Both frames hold ``year`` and ``share`` (fractions). The gap (leader minus
    follower) is fitted with a straight line over ``start``-``end``; the
    answer is one of three kinds: ``crossing`` (the first whole year in which the
    fitted gap is positive, after a non-positive start), ``ahead from the start``
    (left-censored: the fitted leader is ahead in the first year, so the window
    holds no crossing) or ``never ahead`` (right-censored: no crossing by
    ``end``). A crossing year is -a/b and heavy-tailed when the slope b is near
    zero, so its uncertainty comes from a residual moving-block bootstrap: blocks
    of ``block`` consecutive residuals (default about n^(1/3), at least 2) are
    added back to the fitted line, in order, keeping the years fixed, and the
    line refitted (fixed ``seed``). Each draw is classified like the point.

    Censored draws are not crossings: they sit below the window's start or above
    its end. The (1 - alpha) interval is read from the draws' quantiles with
    those draws at -inf and +inf, so an end is *pinned* only when fewer than
    alpha/2 of the draws are censored on that side; otherwise it is NaN and
    ``low_pinned`` / ``high_pinned`` say so. ``identified`` is True only when the
    point is a crossing and both ends are pinned.
    """
    merged = leader[["year", "share"]].merge(follower[["year", "share"]], on="year", suffixes=("_l", "_f")).dropna()
    merged = merged[merged["year"].between(start, end)].sort_values("year")
    n = len(merged)
    if n < 4:
        raise ValueError(f"too few years ({n}) with both shares defined in {start}-{end}")
    t = merged["year"].to_numpy(dtype=float) - start
    x = np.column_stack([np.ones(n), t])
    gap = (merged["share_l"] - merged["share_f"]).to_numpy(dtype=float)
    solve = np.linalg.pinv(x)
    intercept, slope = solve @ gap
    kind, year = _first_positive_year(intercept, slope, start, end)
    fitted = x @ np.array([intercept, slope])
    resid = gap - fitted
    block = block or max(2, round(n ** (1 / 3)))
    if not 1 <= block <= n:
        raise ValueError(f"block length {block} must be between 1 and the number of years ({n})")
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n - block + 1, size=(n_boot, math.ceil(n / block)))
    idx = (picks[:, :, None] + np.arange(block)).reshape(n_boot, -1)[:, :n]
    draws_gap = fitted + resid[idx]
    coefs = draws_gap @ solve.T  # (n_boot, 2)
    kinds, years = zip(*(_first_positive_year(a, b, start, end) for a, b in coefs), strict=True)
    kinds_arr = np.array(kinds)
    placed = np.where(kinds_arr == AHEAD_FROM_START, -np.inf, np.where(kinds_arr == NEVER, np.inf, np.array(years)))
    low, high = np.quantile(placed, [alpha / 2, 1 - alpha / 2], method="inverted_cdf")  # draws, not interpolations
    low_pinned, high_pinned = bool(np.isfinite(low)), bool(np.isfinite(high))
    return {
        "kind": kind,
        "year": year,
        "ci_low": float(low) if low_pinned else math.nan,
        "ci_high": float(high) if high_pinned else math.nan,
        "low_pinned": low_pinned,
        "high_pinned": high_pinned,
        "identified": bool(kind == CROSSING and low_pinned and high_pinned),
        "share_crossing": float(np.mean(kinds_arr == CROSSING)),
        "share_ahead_from_start": float(np.mean(kinds_arr == AHEAD_FROM_START)),
        "share_never": float(np.mean(kinds_arr == NEVER)),
        "gap_slope_per_year": float(slope),
        "gap_at_start": float(intercept),
        "n_years": int(n),
        "n_boot": int(n_boot),
        "block": int(block),
        "seed": int(seed),
        "start": int(start),
        "end": int(end),
    }


def overtaking_block_sensitivity(
    leader: pd.DataFrame,
    follower: pd.DataFrame,
    *,
    start: int,
    end: int,
    blocks: tuple[int, ...] = (2, 3, 4, 5),
    n_boot: int = 2000,
    seed: int = 20051,
) -> pd.DataFrame:
    """:func:`overtaking_year` once per block length: one row per block with the interval, whether each end
    is pinned and the fractions of draws that cross, start ahead or never get ahead. The point estimate does
    not depend on the block length; the interval does, and a referee wants to see by how much."""
    rows = []
    for length in blocks:
        result = overtaking_year(leader, follower, start=start, end=end, n_boot=n_boot, seed=seed, block=length)
        rows.append(
            {
                k: result[k]
                for k in (
                    "block",
                    "kind",
                    "year",
                    "ci_low",
                    "ci_high",
                    "low_pinned",
                    "high_pinned",
                    "identified",
                    "share_crossing",
                    "share_ahead_from_start",
                    "share_never",
                )
            }
        )
    return pd.DataFrame(rows)


def fitted_segments(model: ModelResult, years: np.ndarray) -> pd.DataFrame:
    """Fitted values of a :func:`segmented_trend` model (point estimates) for the given years."""
    b = model.coefficients.set_index("term")["estimate"]
    years = np.asarray(years, dtype=float)
    post = (years >= model.fit["break_year"]).astype(float)
    fitted = (
        b["intercept"]
        + b["trend"] * (years - model.fit["start_year"])
        + b["level_shift"] * post
        + b["slope_change"] * (years - model.fit["break_year"]) * post
    )
    return pd.DataFrame({"year": years, "fitted": fitted})
