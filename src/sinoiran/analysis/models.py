"""Trend models of suppliers' shares (statsmodels), each returning a tidy result.

The input is a yearly share series: ``year`` and ``share`` (a fraction in
[0, 1]) and, for the weighted model, ``total`` (the recipient's total imports
that year, millions of TIV). Years with zero total have no share and are
dropped before fitting, never set to zero.

Models:

1. :func:`linear_trend` - OLS of share on year with Newey-West (HAC) standard errors,
   small-sample corrected, with t-based inference (the series are short);
2. :func:`segmented_trend` - a level and slope change at a break year, with a
   Chow test of the break and a HAC Wald test of the same restriction;
3. :func:`fractional_logit` - a fractional-response GLM (binomial family, logit
   link, Papke-Wooldridge) weighted by total volume, with Newey-West errors;
4. :func:`overtaking_year` - the year in which one supplier's fitted share first
   exceeds another's, with a moving-block bootstrap interval that keeps the draws
   finding no crossing.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import statsmodels.api as sm


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


def _coefficients(result, names: list[str], alpha: float = 0.05) -> pd.DataFrame:
    ci = np.asarray(result.conf_int(alpha=alpha))
    return pd.DataFrame(
        {
            "term": names,
            "estimate": np.asarray(result.params, dtype=float),
            "std_error": np.asarray(result.bse, dtype=float),
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "p_value": np.asarray(result.pvalues, dtype=float),
        }
    )


def hac_lags(n: int) -> int:
    """Newey-West lag length: floor(4 (n/100)^(2/9)), at least 1."""
    return max(1, int(math.floor(4 * (n / 100) ** (2 / 9))))


def linear_trend(series: pd.DataFrame, *, center: int | None = None, maxlags: int | None = None) -> ModelResult:
    """OLS ``share = a + b (year - center)`` with HAC standard errors.

    ``b`` is the change in share per year (fraction of total imports per year);
    ``a`` the share at ``center`` (default: the first year).
    """
    frame = _usable(series)
    center = int(frame["year"].min()) if center is None else center
    x = sm.add_constant((frame["year"] - center).to_numpy(dtype=float))
    lags = hac_lags(len(frame)) if maxlags is None else maxlags
    result = sm.OLS(frame["share"].to_numpy(dtype=float), x).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    return ModelResult(
        name="linear trend (OLS, Newey-West SE with small-sample correction, t inference)",
        coefficients=_coefficients(result, ["intercept", "trend"]),
        fit={
            "n": int(result.nobs),
            "r_squared": float(result.rsquared),
            "aic": float(result.aic),
            "hac_lags": lags,
            "center_year": center,
        },
        extra={"result": result},
    )


def segmented_trend(
    series: pd.DataFrame, *, break_year: int, maxlags: int | None = None, min_side: int = 3
) -> ModelResult:
    """Broken trend: ``share = a + b t + c D + d (year - break) D``, D = 1 from ``break_year`` on.

    ``c`` is the jump in level at the break, ``d`` the change in slope. The Chow
    test compares this model with one line for all years (F test of c = d = 0
    with classical errors); a HAC Wald test of the same restriction is also
    reported. Each side of the break needs ``min_side`` years.
    """
    frame = _usable(series)
    before = int((frame["year"] < break_year).sum())
    after = int((frame["year"] >= break_year).sum())
    if before < min_side or after < min_side:
        raise ValueError(
            f"break year {break_year} leaves {before} year(s) before and {after} after; need {min_side} on each side"
        )
    start = int(frame["year"].min())
    t = (frame["year"] - start).to_numpy(dtype=float)
    post = (frame["year"] >= break_year).to_numpy(dtype=float)
    x = np.column_stack([np.ones_like(t), t, post, (frame["year"].to_numpy(dtype=float) - break_year) * post])
    y = frame["share"].to_numpy(dtype=float)
    classical = sm.OLS(y, x).fit()
    lags = hac_lags(len(frame)) if maxlags is None else maxlags
    robust = sm.OLS(y, x).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True)
    restriction = np.array([[0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)
    chow = classical.f_test(restriction)
    wald = robust.wald_test(restriction, scalar=True, use_f=True)
    return ModelResult(
        name=f"segmented trend, break {break_year} (OLS, Newey-West SE with small-sample correction, t inference)",
        coefficients=_coefficients(robust, ["intercept", "trend", "level_shift", "slope_change"]),
        fit={
            "n": int(robust.nobs),
            "r_squared": float(robust.rsquared),
            "aic": float(robust.aic),
            "break_year": break_year,
            "chow_F": float(np.squeeze(chow.fvalue)),
            "chow_p": float(np.squeeze(chow.pvalue)),
            "hac_wald_F": float(np.squeeze(wald.statistic)),
            "hac_wald_p": float(np.squeeze(wald.pvalue)),
            "years_before": before,
            "years_after": after,
            "start_year": start,
        },
        extra={"result": robust},
    )


def fractional_logit(series: pd.DataFrame, *, center: int | None = None) -> ModelResult:
    """Fractional-response logit: GLM binomial family, logit link, weighted by total volume.

    Papke and Wooldridge's quasi-likelihood estimator: the mean share is
    ``logistic(a + b (year - center))``; ``var_weights`` are each year's total
    imports relative to their mean (so big years count more without changing the
    scale), and standard errors are Newey-West (HAC, small-sample corrected,
    t inference), which allow for autocorrelation between years as well as
    heteroskedasticity. ``b`` is on the log-odds scale per year;
    ``odds_ratio`` = exp(b).
    """
    frame = _usable(series)
    if "total" not in frame:
        raise ValueError("fractional_logit needs a 'total' column (volume weights)")
    center = int(frame["year"].min()) if center is None else center
    x = sm.add_constant((frame["year"] - center).to_numpy(dtype=float))
    weights = frame["total"].to_numpy(dtype=float)
    weights = weights / weights.mean()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels warns that a binomial endog is not integer: intended here
        result = sm.GLM(
            frame["share"].to_numpy(dtype=float), x, family=sm.families.Binomial(), var_weights=weights
        ).fit(cov_type="HAC", cov_kwds={"maxlags": hac_lags(len(frame)), "use_correction": True}, use_t=True)
    coefficients = _coefficients(result, ["intercept", "trend"])
    return ModelResult(
        name="fractional logit (GLM binomial, logit link, volume weights, Newey-West SE)",
        coefficients=coefficients,
        fit={
            "n": int(result.nobs),
            "deviance": float(result.deviance),
            "center_year": center,
            "odds_ratio_per_year": float(math.exp(coefficients.loc[1, "estimate"])),
        },
        extra={"result": result},
    )


def predict_fractional(model: ModelResult, years: np.ndarray) -> np.ndarray:
    """Fitted shares of a :func:`fractional_logit` model for the given years."""
    center = model.fit["center_year"]
    eta = model.estimate("intercept") + model.estimate("trend") * (np.asarray(years, dtype=float) - center)
    return 1 / (1 + np.exp(-eta))


def fitted_line(model: ModelResult, years: np.ndarray, alpha: float = 0.05) -> pd.DataFrame:
    """Fitted values and a (1 - alpha) confidence band of a :func:`linear_trend` model."""
    result = model.extra["result"]
    x = sm.add_constant(np.asarray(years, dtype=float) - model.fit["center_year"], has_constant="add")
    prediction = result.get_prediction(x).summary_frame(alpha=alpha)
    return pd.DataFrame(
        {
            "year": years,
            "fitted": prediction["mean"].to_numpy(),
            "low": prediction["mean_ci_lower"].to_numpy(),
            "high": prediction["mean_ci_upper"].to_numpy(),
        }
    )


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
) -> dict[str, float | int]:
    """When does ``leader``'s fitted share first exceed ``follower``'s?

    Both frames hold ``year`` and ``share`` over the same years. The gap
    (leader minus follower) is fitted with a linear trend; the crossing year is
    where the fitted gap turns positive. If the fitted gap is already positive at
    ``start`` the answer is ``start`` (the leader was ahead from the first year);
    if it never turns positive within the window the answer is NaN. The interval
    comes from a bootstrap (fixed ``seed``); ``share_crossing`` is the fraction
    of draws with a crossing inside the window.

    The bootstrap resamples *blocks* of consecutive years (moving blocks of
    ``block`` years, default about n^(1/3)), so that it keeps the
    autocorrelation of yearly shares. Draws with no crossing inside the window
    are kept, as "later than the window": when more than ``alpha / 2`` of the
    draws have none, the upper bound is not pinned down (``ci_high`` NaN,
    ``ci_high_beyond_window`` True) rather than computed from the other draws.
    """
    merged = leader[["year", "share"]].merge(follower[["year", "share"]], on="year", suffixes=("_l", "_f")).dropna()
    merged = merged[merged["year"].between(start, end)].sort_values("year")
    if len(merged) < 4:
        raise ValueError(f"too few years ({len(merged)}) with both shares defined in {start}-{end}")
    years = merged["year"].to_numpy(dtype=float)
    gap = (merged["share_l"] - merged["share_f"]).to_numpy(dtype=float)

    def first_year(ys: np.ndarray, gs: np.ndarray) -> float:
        slope, intercept = np.polyfit(ys, gs, 1) if np.ptp(ys) > 0 else (0.0, float(np.mean(gs)))
        fitted_start = intercept + slope * start
        if fitted_start > 0:
            return float(start)
        if slope <= 0:
            return math.nan
        year = math.ceil(-intercept / slope)
        return float(year) if year <= end else math.nan

    point = first_year(years, gap)
    n = len(years)
    block = block or max(2, round(n ** (1 / 3)))
    starts = np.arange(n - block + 1)
    rng = np.random.default_rng(seed)
    draws = np.empty(n_boot)
    for i in range(n_boot):
        picks = rng.choice(starts, size=math.ceil(n / block))
        idx = np.concatenate([np.arange(b, b + block) for b in picks])[:n]
        draws[i] = first_year(years[idx], gap[idx])
    later = np.where(np.isnan(draws), np.inf, draws)  # no crossing in the window: later than its end
    low, high = np.quantile(later, [alpha / 2, 1 - alpha / 2], method="inverted_cdf")  # draws, not interpolations
    slope, intercept = np.polyfit(years, gap, 1)
    return {
        "year": point,
        "ci_low": float(low) if math.isfinite(low) else math.nan,
        "ci_high": float(high) if math.isfinite(high) else math.nan,
        "ci_high_beyond_window": bool(not math.isfinite(high)),
        "share_crossing": float(np.isfinite(later).mean()),
        "gap_slope_per_year": float(slope),
        "n_years": int(n),
        "n_boot": n_boot,
        "block": int(block),
        "seed": seed,
    }


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
