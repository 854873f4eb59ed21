"""Trend models on synthetic data with known answers, the parameter checks, papermill, and the grid."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sinoiran.analysis import models, shares, trends
from sinoiran.base.precision import stored
from sinoiran.book import sensitivity
from sinoiran.data import tables

from conftest import ROOT

RNG_SEED = 12345


def synthetic(years, share, total=None):
    return pd.DataFrame(
        {"year": list(years), "share": share, "total": total if total is not None else np.ones(len(share))}
    )


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


def test_linear_trend_recovers_slope(rng):
    years = np.arange(1990, 2016)
    share = 0.2 + 0.01 * (years - 1990) + rng.normal(0, 0.02, len(years))
    fit = models.linear_trend(synthetic(years, share))
    row = fit.coefficients.set_index("term").loc["trend"]
    assert row["ci_low"] < 0.01 < row["ci_high"]
    assert fit.estimate("trend") == pytest.approx(0.01, abs=0.003)
    assert fit.fit["hac_lags"] == models.hac_lags(len(years)) and fit.fit["n"] == len(years)


def test_segmented_trend_finds_a_true_break_and_not_a_false_one(rng):
    years = np.arange(1992, 2016)
    flat = 0.6 + rng.normal(0, 0.03, len(years))
    broken = flat - 0.4 * (years >= 2008)
    with_break = models.segmented_trend(synthetic(years, broken), break_year=2008)
    assert with_break.fit["chow_p"] < 0.001
    assert with_break.estimate("level_shift") == pytest.approx(-0.4, abs=0.08)
    without = models.segmented_trend(synthetic(years, flat), break_year=2008)
    assert without.fit["chow_p"] > 0.05


def test_segmented_trend_refuses_a_break_at_the_edge():
    years = np.arange(2000, 2010)
    with pytest.raises(ValueError, match="break year 2009 leaves 9 year"):
        models.segmented_trend(synthetic(years, np.linspace(0.1, 0.9, 10)), break_year=2009)


def test_fractional_logit_recovers_a_logistic_trend(rng):
    years = np.arange(1990, 2016)
    eta = -1.5 + 0.12 * (years - 1990)
    share = np.clip(1 / (1 + np.exp(-eta)) + rng.normal(0, 0.01, len(years)), 0, 1)
    fit = models.fractional_logit(synthetic(years, share, total=rng.uniform(50, 500, len(years))))
    assert fit.estimate("trend") == pytest.approx(0.12, abs=0.02)
    assert fit.estimate("intercept") == pytest.approx(-1.5, abs=0.2)
    fitted = models.predict_fractional(fit, years)
    assert ((fitted > 0) & (fitted < 1)).all()


def test_overtaking_year_recovers_a_known_crossing(rng):
    years = np.arange(1995, 2016)
    leader = 0.2 + 0.03 * (years - 1995) + rng.normal(0, 0.01, len(years))
    follower = 0.8 - 0.03 * (years - 1995) + rng.normal(0, 0.01, len(years))
    # gap = -0.6 + 0.06 t  -> zero at t = 10, i.e. 2005
    result = models.overtaking_year(
        synthetic(years, leader), synthetic(years, follower), start=1995, end=2015, n_boot=400
    )
    assert result["year"] in (2005.0, 2006.0)
    assert result["ci_low"] <= 2005 <= result["ci_high"] and result["ci_high"] - result["ci_low"] <= 3
    assert result["share_crossing"] == 1.0
    again = models.overtaking_year(
        synthetic(years, leader), synthetic(years, follower), start=1995, end=2015, n_boot=400
    )
    assert again == result  # fixed seed: identical


def test_overtaking_year_when_never_and_when_always():
    years = np.arange(2000, 2012)
    low, high = synthetic(years, np.full(12, 0.2)), synthetic(years, np.full(12, 0.7))
    never = models.overtaking_year(low, high, start=2000, end=2011, n_boot=50)
    assert math.isnan(never["year"]) and never["share_crossing"] == 0
    assert (
        math.isnan(never["ci_low"]) and never["ci_high_beyond_window"]
    )  # kept as 'later than the window', not dropped
    assert trends.interval_text(never).startswith("not pinned down")
    always = models.overtaking_year(high, low, start=2000, end=2011, n_boot=50)
    assert always["year"] == 2000


def test_shares_handle_years_with_no_imports():
    tiv = pd.DataFrame(
        {
            "vintage": ["2016"] * 3,
            "supplier": ["China", "Russia", "China"],
            "recipient": ["Iran"] * 3,
            "year": [2000, 2000, 2002],
            "tiv": [10.0, 30.0, 5.0],
        }
    )
    args = dict(vintage="2016", recipient="Iran", suppliers=["China", "Russia"], start=2000, end=2002)
    annual = shares.supplier_shares(tiv, **args, others=True)
    china = annual[annual.supplier == "China"].set_index("year")
    assert china.loc[2000, "share"] == 0.25 and china.loc[2002, "share"] == 1.0
    assert math.isnan(china.loc[2001, "share"]) and bool(china.loc[2001, "zero_total"])
    block = shares.supplier_shares(tiv, **args, window=3)
    assert block.set_index("supplier").loc["China", "share"] == pytest.approx(15 / 45)  # sums first, then divides
    rolling = shares.supplier_shares(tiv, **args, window=2, rolling=True).set_index(["supplier", "year"])
    assert rolling.loc[("China", 2001), "share"] == 0.25 and rolling.loc[("China", 2002), "share"] == 1.0
    with pytest.raises(ValueError, match="shares need every supplier"):
        shares.supplier_shares(tiv, vintage="2022", recipient="Iran", suppliers=["China"], start=2000, end=2002)


# --- parameters ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiv():
    return tables.tiv_deliveries()


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(vintage="1999"), "unknown vintage '1999'; known vintages: 2007"),
        (dict(start_year=2010, end_year=2000), "start_year=2010 is after end_year=2000"),
        (dict(break_year=2015), "break_year=2015 is outside the window"),
        (dict(break_year=1993), "break_year=1993 is outside the window"),
        (dict(recipient="Atlantis"), "recipient: unknown recipient 'Atlantis' in vintage 2016"),
        (
            dict(recipient="Turkiye"),
            "does not hold China, Russia's deliveries to Turkey in 1992-2015 (it holds only United States",
        ),
        (dict(vintage="2026", start_year=2000), "does not hold Russia's deliveries to Iran in 2000-2015"),
        (dict(suppliers=("Chna", "Russia")), "suppliers: unknown supplier 'Chna' in vintage 2016; closest: China"),
        (
            dict(suppliers=("China", "USA")),
            "United States delivered nothing to Iran in 1992-2015 (vintage 2016), so there is no share to fit",
        ),
        (dict(vintage="2007"), "vintage 2007 covers 1950-2006 only"),
        (dict(suppliers=("China",)), "at least two different suppliers"),
        (dict(window=40), "window=40"),
    ],
)
def test_invalid_parameters_stop_before_computing(tiv, change, message):
    params = trends.TrendParameters(**change)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        trends.run(params, tiv)


def test_partial_vintage_says_its_denominator(tiv):
    assert trends.validate(trends.TrendParameters(vintage="2022"), tiv) == (
        "suppliers held in vintage 2022 (China, Russia, United States)"
    )


def test_names_people_type_are_resolved_before_the_run(tiv):
    params = trends.resolve_names(
        trends.TrendParameters(recipient="Islamic Republic of Iran", suppliers=("PRC", "Russian Federation")), tiv
    )
    assert (params.recipient, params.suppliers) == ("Iran", ("China", "Russia"))


@pytest.mark.slow
def test_papermill_run_with_non_default_parameters(tiv, tmp_path):
    params = trends.TrendParameters(vintage="2026-mirror", start_year=1995, break_year=2010, window=3)
    from_notebook = sensitivity.execute_one(params, str(tmp_path))
    in_process = trends.key_results(trends.run(params, tiv))
    assert from_notebook["vintage"] == "2026-mirror" and from_notebook["window"] == 3
    for key, value in stored(in_process).items():  # the chapter glues its results by the precision policy
        if isinstance(value, float) and value != value:
            assert from_notebook[key] != from_notebook[key], key
        else:
            assert from_notebook[key] == value, key


@pytest.mark.slow
def test_committed_sensitivity_results_are_current(tiv):
    """The committed grid equals a fresh in-process recomputation (same seed), so it is never stale."""
    committed = sensitivity.load_results(ROOT / "results" / "sensitivity.csv")
    runnable, skipped = sensitivity.plan(sensitivity.parameter_grid(), tiv)
    fresh = sensitivity.assemble(pd.DataFrame([trends.key_results(trends.run(p, tiv)) for p in runnable]), skipped)
    assert len(committed) == len(fresh)
    pd.testing.assert_frame_equal(
        committed.drop(columns=["skipped"]).reset_index(drop=True),
        fresh.drop(columns=["skipped"]).reset_index(drop=True),
        check_dtype=False,
        check_exact=False,
        rtol=1e-6,
    )
    assert (committed["skipped"].fillna("") == fresh["skipped"].fillna("")).all()


def _run_with_shares(leader_shares, follower_shares, suppliers=("China", "United States")):
    years = list(range(2000, 2000 + len(leader_shares)))
    shares = pd.DataFrame(
        {
            "year": years * 2,
            "supplier": [suppliers[0]] * len(years) + [suppliers[1]] * len(years),
            "share": list(leader_shares) + list(follower_shares),
        }
    )
    params = trends.TrendParameters(
        vintage="2016", recipient="Pakistan", suppliers=suppliers, start_year=2000, end_year=years[-1]
    )
    return trends.TrendRun(parameters=params, denominator="all suppliers", shares=shares)


def test_observed_overtaking_first_year_and_for_good():
    run = _run_with_shares([0.1, 0.5, 0.2, 0.6, 0.7], [0.4, 0.3, 0.3, 0.2, 0.1])
    seen = trends.observed_overtaking(run)
    assert seen == {"first_year": 2001.0, "ahead_for_good": 2003.0, "years_ahead": 3.0}
    assert trends.observed_sentence(run) == (
        "In the observed shares, China is first ahead of the United States in 2001, and stays ahead from 2003 on."
    )
    never = trends.observed_overtaking(_run_with_shares([0.1, 0.1], [0.4, 0.3]))
    assert math.isnan(never["first_year"]) and math.isnan(never["ahead_for_good"])
    back_behind = _run_with_shares([0.5, 0.1], [0.4, 0.3])
    assert "behind again at the end" in trends.observed_sentence(back_behind)
    assert trends.question(run).startswith(
        "Is China replacing the United States as a supplier of Pakistan's major arms?"
    )
