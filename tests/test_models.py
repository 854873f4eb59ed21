"""Trend models on synthetic data with known answers, the parameter checks, papermill, and the grid."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sinoiran.analysis import models, shares, trends
from sinoiran.base.precision import stored
from sinoiran.book import sensitivity, trend_text
from sinoiran.data import tables
from sinoiran.data.vintages import current_coverage
from sinoiran.make import grid

from conftest import ROOT

RNG_SEED = 12345


def synthetic(years, share, total=None):
    return pd.DataFrame(
        {"year": list(years), "share": share, "total": total if total is not None else np.ones(len(share))}
    )


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


def test_linear_trend_recovers_slope_with_har_inference(rng):
    years = np.arange(1990, 2016)
    share = 0.2 + 0.01 * (years - 1990) + rng.normal(0, 0.02, len(years))
    fit = models.linear_trend(synthetic(years, share))
    row = fit.coefficients.set_index("term").loc["trend"]
    assert row["ci_low"] < 0.01 < row["ci_high"]
    assert fit.estimate("trend") == pytest.approx(0.01, abs=0.003)
    assert fit.fit["nu"] == models.ewc_degrees(len(years)) == 3 and fit.fit["n"] == len(years)
    # the interval uses t(nu), not the normal: wider than estimate +/- 1.96 SE
    assert row["ci_high"] - row["estimate"] > 1.96 * row["std_error"]


def test_ewc_variance_of_white_noise_is_its_variance(rng):
    """On independent draws the EWC long-run variance estimates the variance (here averaged over many series)."""
    estimates = [models.ewc_long_run_variance(rng.normal(0, 2, (400, 1)), 20)[0, 0] for _ in range(200)]
    assert np.mean(estimates) == pytest.approx(4.0, rel=0.05)


def test_segmented_trend_finds_a_true_break_and_not_a_false_one(rng):
    years = np.arange(1992, 2016)
    flat = 0.6 + rng.normal(0, 0.03, len(years))
    broken = flat - 0.4 * (years >= 2008)
    with_break = models.segmented_trend(synthetic(years, broken), break_year=2008)
    assert with_break.fit["chow_p"] < 0.001 and with_break.fit["har_wald_p"] < 0.05
    assert with_break.estimate("level_shift") == pytest.approx(-0.4, abs=0.08)
    without = models.segmented_trend(synthetic(years, flat), break_year=2008)
    assert without.fit["chow_p"] > 0.05


def test_years_of_no_deliveries_before_a_break_give_zero_errors_not_a_warning(rng):
    """Turkey's share of Chinese arms, 2000-2024 (release 2025), is 0 in every year before 2008: the pre-break
    segment is fitted exactly, and its variances come out as -1e-17 (rounding of 0). No warning, SE 0, and the
    break's own estimates keep their errors."""
    import warnings

    years = np.arange(2000, 2025)
    share = np.where(years >= 2008, np.clip(rng.normal(0.08, 0.1, len(years)), 0, 1), 0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = models.segmented_trend(synthetic(years, share), break_year=2008)
    table = fit.coefficients.set_index("term")
    assert table.loc["intercept", "std_error"] == pytest.approx(0.0, abs=1e-8)
    assert table.loc["slope_change", "std_error"] > 0


def test_segmented_trend_refuses_a_break_at_the_edge():
    years = np.arange(2000, 2010)
    with pytest.raises(ValueError, match="break year 2009 leaves 9 year"):
        models.segmented_trend(synthetic(years, np.linspace(0.1, 0.9, 10)), break_year=2009)


def test_sup_f_finds_a_large_break_where_it_is_and_none_in_noise(rng):
    years = np.arange(1992, 2016)
    noise = rng.normal(0, 0.03, len(years))
    found = models.sup_f_break(synthetic(years, 0.6 + noise - 0.4 * (years >= 2006)))
    assert found["break_found"] and found["year"] == 2006 and found["critical_5pct"] == 11.79
    assert not models.sup_f_break(synthetic(years, 0.6 + noise))["break_found"]


def test_multinomial_logit_recovers_known_trends_and_its_contrast(rng):
    years = np.arange(1990, 2016)
    t = years - 1990
    eta = np.column_stack([-0.5 + 0.10 * t, 0.8 - 0.05 * t, np.zeros(len(t))])
    p = np.exp(eta) / np.exp(eta).sum(axis=1, keepdims=True)
    noisy = np.clip(p + rng.normal(0, 0.005, p.shape), 1e-6, None)
    noisy /= noisy.sum(axis=1, keepdims=True)
    wide = pd.DataFrame({"year": years, "A": noisy[:, 0], "B": noisy[:, 1], "Others": noisy[:, 2]})
    wide["total"] = rng.uniform(50, 500, len(years))
    fit = models.multinomial_logit(wide, ["A", "B", "Others"])
    assert fit.estimate("A: trend") == pytest.approx(0.10, abs=0.01)
    assert fit.estimate("B: trend") == pytest.approx(-0.05, abs=0.01)
    contrast = models.multinomial_contrast(fit, "A", "B")
    assert contrast["estimate"] == pytest.approx(0.15, abs=0.015) and contrast["p_value"] < 0.05
    assert models.multinomial_contrast(fit, "A", "Others")["estimate"] == pytest.approx(fit.estimate("A: trend"))
    fitted = models.predict_multinomial(fit, years)
    assert np.allclose(fitted[["A", "B", "Others"]].sum(axis=1), 1.0)


def test_har_p_value_is_not_below_the_ols_one_on_iran(tiv):
    """On China's yearly share of Iran's imports (release 2016, 1992-2015), the trend the paper's question
    rests on, HAR inference is more cautious than plain OLS: significant at 5% with OLS errors only. (For
    Russia's trend, far from significance either way, the HAR p-value, 0.45, is a little below OLS's 0.51:
    a HAR test is not always more conservative, which is why this is a test on data, not a property.)"""
    run = trends.run(trends.TrendParameters(), tiv, n_boot=200, coverage=current_coverage())
    china = run.linear["China"]
    har_p = china.coefficients.set_index("term").loc["trend", "p_value"]
    assert har_p >= china.statistic("p_ols")
    assert china.statistic("p_ols") < 0.05 <= har_p
    assert china.statistic("p_newey_west") < china.statistic("p_ols")  # what normal-critical-value Newey-West gives


def test_overtaking_year_recovers_a_known_crossing(rng):
    years = np.arange(1995, 2016)
    leader = 0.2 + 0.03 * (years - 1995) + rng.normal(0, 0.01, len(years))
    follower = 0.8 - 0.03 * (years - 1995) + rng.normal(0, 0.01, len(years))
    # gap = -0.6 + 0.06 t  -> zero at t = 10, i.e. 2005; the first positive fitted year is 2005 or 2006
    result = models.overtaking_year(
        synthetic(years, leader), synthetic(years, follower), start=1995, end=2015, n_boot=400
    )
    assert result["kind"] == models.CROSSING and result["year"] in (2005.0, 2006.0)
    assert result["identified"] and result["ci_low"] <= result["year"] <= result["ci_high"]
    assert result["ci_high"] - result["ci_low"] <= 2
    assert result["share_crossing"] == 1.0
    again = models.overtaking_year(
        synthetic(years, leader), synthetic(years, follower), start=1995, end=2015, n_boot=400
    )
    assert again == result  # fixed seed: identical


def test_censored_draws_are_not_crossings():
    years = np.arange(2000, 2012)
    low, high = synthetic(years, np.full(12, 0.2)), synthetic(years, np.full(12, 0.7))
    never = models.overtaking_year(low, high, start=2000, end=2011, n_boot=50)
    assert never["kind"] == models.NEVER and math.isnan(never["year"]) and never["share_never"] == 1.0
    assert not never["identified"] and not never["high_pinned"] and math.isnan(never["ci_high"])
    assert trend_text.interval_text(never).startswith("not given: the fitted lines do not cross")
    always = models.overtaking_year(high, low, start=2000, end=2011, n_boot=50)
    assert always["kind"] == models.AHEAD_FROM_START and math.isnan(always["year"])
    assert always["share_ahead_from_start"] == 1.0 and not always["low_pinned"]


def test_pakistan_is_left_censored_and_says_so(tiv):
    """China is ahead of the United States in Pakistan's imports from 1992 on (release 2016): the fitted
    overtaking is 'ahead from the start', few draws cross, and no year is reported."""
    run = trends.run(
        trends.TrendParameters(recipient="Pakistan", suppliers=("PRC", "USA")),
        tiv,
        n_boot=2000,
        coverage=current_coverage(),
    )
    o = run.overtaking
    assert o["kind"] == models.AHEAD_FROM_START and not o["identified"] and not o["low_pinned"]
    assert 0 < o["share_crossing"] < 0.1 and o["share_ahead_from_start"] > 0.9
    assert "from the first year of the window" in trend_text.findings(run)["overtaking"]


def test_iran_crossing_is_not_identified_and_the_chapter_does_not_print_a_year(tiv):
    run = trends.run(trends.TrendParameters(), tiv, n_boot=2000, coverage=current_coverage())
    o = run.overtaking
    assert o["kind"] == models.CROSSING and not o["identified"]
    assert o["share_ahead_from_start"] > 0.025 and o["share_never"] > 0.025  # censored on both sides
    assert "not identified" in trend_text.findings(run)["overtaking"]


def test_block_length_sensitivity_keeps_the_point_and_moves_the_interval(tiv):
    run = trends.run(trends.TrendParameters(), tiv, n_boot=500, coverage=current_coverage())
    table = run.block_sensitivity
    assert list(table["block"]) == [2, 3, 4, 5]
    assert table["year"].nunique() == 1 and table["kind"].nunique() == 1  # the point is the fit's, not the draws'
    assert table["share_crossing"].nunique() > 1  # the draws are not
    assert ((table["share_crossing"] + table["share_ahead_from_start"] + table["share_never"]).round(9) == 1).all()


def test_sipri_blocks_end_in_the_last_year_with_data():
    assert shares.sipri_blocks(1992, 2015) == [(1992, 1995), (1996, 2000), (2001, 2005), (2006, 2010), (2011, 2015)]
    assert shares.sipri_blocks(1995, 2024) == [
        (1995, 1999),
        (2000, 2004),
        (2005, 2009),
        (2010, 2014),
        (2015, 2019),
        (2020, 2024),
    ]
    assert shares.sipri_blocks(2003, 2007) == [(2003, 2007)] and shares.sipri_blocks(2006, 2007) == [(2006, 2007)]


def test_block_table_sums_before_dividing_and_shows_volumes(tiv):
    params = trends.TrendParameters()
    blocks = trends.block_table(tiv, params, coverage=current_coverage())
    late = blocks[blocks["period"] == "2011-2015"].set_index("supplier")
    rows = tiv[(tiv.vintage == "2016") & (tiv.recipient == "Iran") & tiv.year.between(2011, 2015)]
    assert late.loc["China", "tiv"] == pytest.approx(rows.loc[rows.supplier == "China", "tiv"].sum())
    assert late["share"].sum() == pytest.approx(1.0)
    assert late.loc["China", "share"] == pytest.approx(late.loc["China", "tiv"] / rows["tiv"].sum())
    assert not blocks.loc[blocks["period"] == "1992-1995", "complete"].any()


def test_break_year_after_a_dated_event():
    assert trends.break_year_after("2007-03-24") == 2008 and trends.break_year_after("2010-06-09") == 2011
    assert trends.break_year_after("2011-01-01") == 2011


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
    annual = shares.supplier_shares(tiv, **args, others=True, coverage=current_coverage())
    china = annual[annual.supplier == "China"].set_index("year")
    assert china.loc[2000, "share"] == 0.25 and china.loc[2002, "share"] == 1.0
    assert math.isnan(china.loc[2001, "share"]) and bool(china.loc[2001, "zero_total"])
    block = shares.supplier_shares(tiv, **args, window=3, coverage=current_coverage())
    assert block.set_index("supplier").loc["China", "share"] == pytest.approx(15 / 45)  # sums first, then divides
    rolling = shares.supplier_shares(tiv, **args, window=2, rolling=True, coverage=current_coverage()).set_index(
        ["supplier", "year"]
    )
    assert rolling.loc[("China", 2001), "share"] == 0.25 and rolling.loc[("China", 2002), "share"] == 1.0
    with pytest.raises(ValueError, match="shares need every supplier"):
        shares.supplier_shares(
            tiv,
            vintage="2022",
            recipient="Iran",
            suppliers=["China"],
            start=2000,
            end=2002,
            coverage=current_coverage(),
        )


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
        trends.run(params, tiv, coverage=current_coverage())


def test_partial_vintage_says_its_denominator(tiv):
    assert trends.validate(trends.TrendParameters(vintage="2022"), tiv, coverage=current_coverage()) == (
        "suppliers held in vintage 2022 (China, Russia, United States)"
    )


def test_names_people_type_are_resolved_before_the_run(tiv):
    params = trends.resolve_names(
        trends.TrendParameters(recipient="Islamic Republic of Iran", suppliers=("PRC", "Russian Federation")),
        tiv,
        coverage=current_coverage(),
    )
    assert (params.recipient, params.suppliers) == ("Iran", ("China", "Russia"))


@pytest.mark.slow
def test_papermill_run_with_non_default_parameters(tiv, tmp_path):
    params = trends.TrendParameters(vintage="2026-mirror", start_year=1995, break_year=2010, window=3)
    from_notebook = grid.execute_one(params, str(tmp_path))
    in_process = trends.key_results(trends.run(params, tiv, coverage=current_coverage()))
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
    runnable, skipped = grid.plan(grid.parameter_grid(coverage=current_coverage()), tiv, coverage=current_coverage())
    fresh = grid.assemble(
        pd.DataFrame([trends.key_results(trends.run(p, tiv, coverage=current_coverage())) for p in runnable]), skipped
    )
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
    assert seen == {
        "first_year": 2001.0,
        "ahead_for_good": 2003.0,
        "years_ahead": 3.0,
        "last_ahead": 2004.0,
        "level_at_end": False,
        "share_at_end": 0.7,
    }
    assert trend_text.observed_sentence(run) == (
        "In the observed shares, China is first ahead of the United States in 2001, and stays ahead from 2003 to 2004 "
        "(window 2000-2004)."
    )
    assert trend_text.observed_sentence(run, data_end=2004).endswith(
        "(window 2000-2004, the last year release 2016 covers)."
    )
    never = trends.observed_overtaking(_run_with_shares([0.1, 0.1], [0.4, 0.3]))
    assert math.isnan(never["first_year"]) and math.isnan(never["ahead_for_good"])
    back_behind = _run_with_shares([0.5, 0.1], [0.4, 0.3])
    assert "but is behind again in 2001 (1 year ahead in 2000-2001)" in trend_text.observed_sentence(back_behind)
    # Turkey, release 2025: China ahead of Russia in some years, neither delivering in the last ones: level, not behind.
    level = _run_with_shares([0.0, 0.3, 0.0, 0.0], [0.2, 0.1, 0.0, 0.0])
    assert trend_text.observed_sentence(level) == (
        "In the observed shares, China is first ahead of the United States in 2001, is last ahead in 2001, and is "
        "level with it in 2003 (both 0%; 1 year ahead in 2000-2003)."
    )
    assert trend_text.question(run).startswith(
        "Is China replacing the United States as a supplier of Pakistan's major arms?"
    )


@pytest.mark.parametrize(
    "kind, share, words",
    [
        (models.AHEAD_FROM_START, 0.0, "(none of the bootstrap draws has one)"),
        (models.AHEAD_FROM_START, 0.004, "(fewer than 1% of bootstrap draws have one)"),
        (models.AHEAD_FROM_START, 0.05, "(only 5% of bootstrap draws have one)"),
        (models.NEVER, 0.0, "(none of the bootstrap draws has a crossing inside the window)"),
    ],
)
def test_the_overtaking_sentence_counts_the_draws_in_words(kind, share, words):
    """'only 0% of bootstrap draws have one' (a rerun for Pakistan) reads as a slip: none is said as none."""
    run = _run_with_shares([0.5, 0.6], [0.4, 0.3])
    run.overtaking = {"kind": kind, "share_crossing": share, "end": 2001, "identified": False}
    assert trend_text.overtaking_sentence(run).endswith(words + ".")
