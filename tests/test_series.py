"""Yearly series: SIPRI's empty cells as zeros inside coverage, unknown outside it."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sinoiran.analysis.series import annual_deliveries, period_totals
from sinoiran.data.vintages import current_coverage


@pytest.fixture
def tiv():
    return pd.DataFrame(
        {
            "vintage": ["2016", "2016", "2007", "2026"],
            "supplier": ["China", "China", "China", "China"],
            "recipient": ["Iran", "Iran", "Iran", "Iran"],
            "year": [2005, 2007, 2006, 2005],
            "tiv": [43.0, 47.0, 74.0, 38.0],
        }
    )


def test_missing_years_are_zero_inside_coverage_and_nan_outside(tiv):
    grid = annual_deliveries(
        tiv, recipient="Iran", suppliers=["China", "Russia"], start=2005, end=2007, coverage=current_coverage()
    )
    value = grid.set_index(["vintage", "supplier", "year"])["tiv"]
    assert value[("2016", "China", 2006)] == 0.0  # covered, nothing delivered
    assert math.isnan(value[("2007", "China", 2007)])  # after the 2007 release's last year
    assert math.isnan(value[("2026", "Russia", 2005)])  # the 2026 table covers China only
    assert value[("2016", "Russia", 2005)] == 0.0


def test_period_totals_never_report_a_partial_sum(tiv):
    totals = period_totals(
        tiv, supplier="China", recipient="Iran", start=2005, end=2007, coverage=current_coverage()
    ).set_index("vintage")
    assert totals.loc["2016", "total"] == 90.0 and totals.loc["2016", "mean"] == 30.0
    assert bool(totals.loc["2016", "complete"])
    assert math.isnan(totals.loc["2007", "total"]) and totals.loc["2007", "years_covered"] == 2


def test_start_after_end_is_refused(tiv):
    with pytest.raises(ValueError, match="start year 2008 is after end year 2005"):
        annual_deliveries(tiv, recipient="Iran", suppliers=["China"], start=2008, end=2005, coverage=current_coverage())
