"""The computed explanations: deal-by-deal rebuilds, order years, and the older-release test, on hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from sinoiran.analysis import deals, review
from sinoiran.data.vintages import current_coverage


def register(rows):
    columns = [
        "vintage",
        "supplier",
        "recipient",
        "designation",
        "description",
        "order_year",
        "number_delivered",
        "delivery_first",
        "delivery_last",
        "delivery_years",
        "tiv_per_unit",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(number_delivered_uncertain=frame["designation"].eq("QW-11"), order_year_uncertain=False)


def test_rebuild_spreads_the_number_delivered_over_the_listed_years():
    reg = register(
        [
            ("2024", "China", "Iran", "C-802", "anti-ship missile", 1992, 40, 2004, 2007, "2004;2005;2006;2007", 0.9),
            ("2024", "China", "Iran", "QW-11", "portable SAM", 2005, 30, 2006, 2008, "", 0.1),  # range only
            ("2013", "China", "Iran", "C-802", "anti-ship missile", 1992, 40, 2004, 2007, "", None),  # no TIV per unit
        ]
    )
    rebuilt = deals.rebuild_deliveries(reg, vintage="2024", supplier="China", recipient="Iran")
    c802 = rebuilt[rebuilt.designation == "C-802"].set_index("year")["tiv"]
    assert c802.to_dict() == pytest.approx({2004: 9.0, 2005: 9.0, 2006: 9.0, 2007: 9.0})
    assert rebuilt[rebuilt.designation == "QW-11"]["tiv"].sum() == pytest.approx(3.0)
    assert deals.rebuild_deliveries(reg, vintage="2013", supplier="China", recipient="Iran").empty
    ordered = deals.by_order_year(rebuilt, start=2005, end=2007, before=2005).set_index("designation")
    assert bool(ordered.loc["C-802", "ordered_before"]) and not bool(ordered.loc["QW-11", "ordered_before"])
    assert ordered["share"].sum() == pytest.approx(1.0)
    assert ordered.loc["C-802", "tiv"] == pytest.approx(27.0)
    assert bool(ordered.loc["QW-11", "estimated"]) and not bool(ordered.loc["C-802", "estimated"])


def test_older_release_test_scales_by_the_overlap():
    tiv = pd.DataFrame(
        [("2007", "China", "Iran", 2005, 15.0), ("2007", "China", "Iran", 2006, 15.0)]
        + [("2016", "China", "Iran", y, 10.0) for y in range(2005, 2012)],
        columns=["vintage", "supplier", "recipient", "year", "tiv"],
    )
    test = review.older_release_test(
        tiv,
        supplier="China",
        recipient="Iran",
        start=2005,
        end=2011,
        overlap=(2005, 2006),
        reference="2007",
        printed=105.0,
        coverage=current_coverage(),
    )
    row = test.set_index("release").loc["2016"]
    assert row["sum 2005-2011"] == 70 and row["implied older-release total"] == pytest.approx(105.0)
    assert row["printed vs implied (%)"] == pytest.approx(0.0)
