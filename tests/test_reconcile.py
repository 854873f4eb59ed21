"""The 470 tested jointly: hypotheses about the paper's source against every SIPRI amount it prints, the
revision of China's deliveries across its clients, and the cost of spreading a deal evenly over its years."""

from __future__ import annotations

import pandas as pd
import pytest

from sinoiran.analysis import deals, review
from sinoiran.claims import checks, reconcile
from sinoiran.data import tables
from sinoiran.data.paper import catalogue
from sinoiran.data.vintages import current_coverage


@pytest.fixture(scope="module")
def inputs():
    return tables.load_inputs()


@pytest.fixture(scope="module")
def fit(inputs):
    claims = catalogue()
    return reconcile.joint_fit(claims, checks.context(inputs, claims))


@pytest.fixture(scope="module")
def summary(fit):
    return reconcile.fit_summary(fit)


def test_every_sipri_amount_the_paper_prints_is_in_the_table(fit):
    amounts = {c.claim_id for c in catalogue() if c.kind in reconcile.AMOUNT_KINDS}
    assert set(fit["claim_id"]) == amounts and len(amounts) == 9
    assert set(fit["family"]) == set(reconcile.FAMILIES)
    # 21 overlaps of 2001-2006 for the older valuation, eight shifts
    one = fit[(fit["release"] == "2016") & (fit["claim_id"] == "MAIN-CHN-SUM")]
    assert (one["family"] == "older valuation").sum() == 21 and (one["family"] == "years shifted").sum() == 8


def test_no_hypothesis_reproduces_every_amount(summary):
    assert reconcile.fits_everything(summary).empty
    full = summary[summary["testable"] == 8]
    assert full["reproduced"].max() <= 2  # of 8 independent amounts


def test_a_window_that_makes_470_appear_moves_the_other_amounts_away(fit):
    shifted = fit[(fit["hypothesis"] == "release 2016, every window -4 years")].set_index("claim_id")
    assert shifted.loc["MAIN-CHN-SUM", "value"] == pytest.approx(469.0)  # 2001-2007
    assert shifted.loc["MAIN-CHN-SUM", "verdict"] == "reproduced"
    assert abs(shifted.loc["MAIN-RUS-MEAN-0811", "distance"]) > 1  # more than 100% off
    assert (shifted["verdict"] == "differs").sum() >= 4


def test_the_older_valuation_fits_china_and_breaks_russia(fit):
    older = fit[fit["hypothesis"] == "release 2016 valued as release 2007 over 2001-2006"].set_index("claim_id")
    assert older.loc["MAIN-CHN-SUM", "verdict"] == "reproduced"
    assert older.loc["MAIN-RUS-SUM", "distance"] > 1  # the 2007 release also valued Russia's deliveries higher
    published = fit[fit["hypothesis"] == "release 2016"].set_index("claim_id")
    assert abs(published.loc["MAIN-RUS-SUM", "distance"]) < 0.05  # while the published value is near 802
    low, high = reconcile.headline_range(fit, "MAIN-CHN-SUM", "older valuation")
    assert low < 470 < high


def test_coarser_rounding_does_not_reach_470(fit):
    low, high = reconcile.headline_range(fit, "MAIN-CHN-SUM", "coarser rounding")
    assert high < 465
    rounded = fit[(fit["family"] == "coarser rounding") & (fit["claim_id"] == "MAIN-CHN-SUM")]
    assert (rounded["verdict"] != "reproduced").all()


def test_the_revision_of_iran_stands_out_among_chinas_clients(inputs):
    table = review.revision_by_recipient(
        inputs.tiv, supplier="China", reference="2007", release="2025", start=2001, end=2006
    )
    iran = table.set_index("recipient").loc["Iran"]
    assert iran["rank"] == 1 and len(table) >= 10
    assert iran["ratio"] > 1.3 > table["ratio"].iloc[1]
    assert table["ratio"].median() < 1  # China's other clients were, if anything, revised up


def test_a_ratio_of_small_numbers_is_left_out():
    tiv = pd.DataFrame(
        {
            "vintage": ["old", "new", "old", "new"],
            "supplier": ["A"] * 4,
            "recipient": ["X", "X", "Y", "Y"],
            "year": [2000] * 4,
            "tiv": [200.0, 100.0, 10.0, 1.0],
        }
    )
    table = review.revision_by_recipient(tiv, supplier="A", reference="old", release="new", start=2000, end=2000)
    assert list(table["recipient"]) == ["X"] and table["ratio"].iloc[0] == 2.0


def test_spreading_deals_evenly_understates_chinas_2005_2011_deliveries(inputs):
    args = dict(vintage="2025", supplier="China", recipient="Iran")
    actual = deals.yearly_from_deliveries(inputs.deliveries, **args)
    even = deals.even_spread(inputs.deliveries, **args)
    assert actual.sum() == pytest.approx(even.sum())  # the same deals, the same total
    window = slice(2005, 2011)
    bias = even.loc[window].sum() / actual.loc[window].sum() - 1
    assert -0.10 < bias < -0.07
    # SIPRI's yearly numbers add up to the release's yearly table
    table = inputs.tiv[
        (inputs.tiv.vintage == "2025") & (inputs.tiv.supplier == "China") & (inputs.tiv.recipient == "Iran")
    ]
    assert actual.loc[window].sum() == pytest.approx(table.set_index("year")["tiv"].loc[window].sum())


def test_a_release_that_starts_after_the_overlap_is_untestable_not_a_crash(inputs):
    """A user's added release covering 2003-2013 only (a real SIPRI exporter table can) cannot be valued like
    the 2007 release over 2001-2002: those hypotheses are untestable, and the rest of the table stands."""
    from dataclasses import replace

    from sinoiran.base.releases import Coverage, Holding, Vintage

    current = current_coverage()
    added = Vintage("2018", "2018-06-01", 2003, 2013, ("United States",), "sipri-tiv-table", "a user's export")
    rows = inputs.tiv[(inputs.tiv.vintage == "2016") & (inputs.tiv.supplier == "United States")]
    rows = rows[rows.year.between(2003, 2013)].assign(vintage="2018")
    coverage = Coverage(
        {**current.releases, "2018": added},
        {**current.holdings, "2018": (Holding(frozenset({"United States"}), None, 2003, 2013),)},
        current.registers,
    )
    claims = catalogue()
    ctx = replace(checks.context(inputs, claims), coverage=coverage)
    ctx = replace(ctx, inputs=replace(inputs, tiv=pd.concat([inputs.tiv, rows], ignore_index=True)))
    fit = reconcile.joint_fit(claims, ctx)
    early = fit[(fit.release == "2018") & (fit.hypothesis.str.endswith("over 2001-2002"))]
    assert len(early) and early["value"].isna().all() and early["why"].str.contains("does not hold").all()
    published = fit[(fit.release == "2018") & (fit.hypothesis == "release 2018")].set_index("claim_id")
    assert published.loc["MAIN-NEIGHBOURS-TUR", "verdict"] != ""
