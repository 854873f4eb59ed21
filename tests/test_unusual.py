"""The "Is Iran unusual?" chapter's words, tables and figure, from hand-made baselines: what the prose may say
follows from the numbers (a largest fall is called the largest, a shared rank is not)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sinoiran.analysis.panel import Baseline, _ranked
from sinoiran.book import plots
from sinoiran.book import unusual_text as unusual
from sinoiran.book.glue import figure_content


def baseline(values: dict[str, float], *, focus: str = "Iran", after: dict[str, float] | None = None, years=None):
    clients = pd.DataFrame({"recipient": list(values), "value": list(values.values())})
    clients["mean_before"] = 50.0
    clients["mean_after"] = [(after or {}).get(r, 10.0) for r in values]
    clients["delivery_years_before"] = [(years or {}).get(r, 3) for r in values]
    clients["share_before"], clients["share_after"] = 0.1, 0.2
    ranked, value, rank = _ranked(clients, focus)
    return Baseline(
        release="R",
        measure="fall",
        supplier="Russia",
        before=(2005, 2007),
        after=(2008, 2011),
        min_volume=10.0,
        rule="test",
        focus=focus,
        clients=ranked,
        larger_is="larger fall",
        focus_value=value,
        focus_rank=rank,
    )


def test_ranks_share_ties_and_count_the_focus():
    b = baseline({"A": 100.0, "B": 100.0, "Iran": 85.0, "C": 20.0, "D": -50.0})
    assert b.focus_rank == 3 and b.n == 5 and b.at_least_as_extreme == 3
    assert b.share_at_least_as_extreme == pytest.approx(0.6)
    assert list(b.clients["rank"]) == [1, 1, 3, 4, 5]
    assert unusual.rank_text(b) == "the third largest"
    assert unusual.names_text(unusual.ahead_of_focus(b)["recipient"]) == "A and B"


def test_the_words_follow_the_numbers():
    alone = baseline({"Iran": 90.0, "A": 50.0})
    assert unusual.rank_text(alone) == "the largest" and unusual.fall_verdict(alone).startswith("the largest")
    shared = baseline({"A": 95.0, "Iran": 90.0}, after={"A": 0.0}, years={"A": 1})
    assert unusual.fall_verdict(shared).startswith("large, but not without precedent")
    assert unusual.ahead_text(shared) == "received nothing from Russia in 2008-2011"
    assert unusual.part_text(len(unusual.lumpy(shared)), 1) == "all 1"
    later = baseline({"A": 95.0, "Iran": 90.0}, after={"A": 2.5})
    assert unusual.ahead_text(later).startswith("fell further") and unusual.lumpy(later).empty
    missing = baseline({"A": 95.0}, focus="Iran")
    assert missing.focus_rank is None and missing.at_least_as_extreme == 0 and "not among" in unusual.rank_text(missing)
    assert unusual.volume_text("China", 42.8, 45.3).endswith("about as much in both windows")
    assert unusual.volume_text("Russia", 222.5, 32.5).endswith("less in the second window")
    assert unusual.too_few_text([2, 3]).startswith("rests on too few")
    assert unusual.embargo_china_text(baseline({"Iran": 39.0, "Sudan": -27.0}), ["Iran", "Sudan"]) == "for Iran only"


@pytest.mark.parametrize("n, word", [(1, "first"), (4, "fourth"), (10, "tenth"), (11, "11th"), (12, "12th"),
                                     (21, "21st"), (22, "22nd"), (23, "23rd"), (111, "111th")])  # fmt: skip
def test_ordinals(n, word):
    assert unusual.ordinal(n) == word


def test_names_in_a_sentence():
    assert unusual.names_text([]) == "none"
    assert unusual.names_text(["UAE"]) == "the UAE"
    assert unusual.names_text(["Iran", "United States", "Sudan"]) == "Iran, the United States and Sudan"


def test_the_placement_figure_shows_every_client_the_focus_and_clipped_rises():
    fall = baseline({"A": 100.0, "Iran": 85.0, "C": -600.0})
    rise = baseline({"Iran": 39.0, "B": 2.0, "C": -10.0})
    figure = plots.placement(fall, rise, embargoed=["Iran"])
    content = figure_content(figure)
    assert "Russia's deliveries to its sizeable clients, release R" in content
    assert " -600" in content  # a rise beyond the axis is written beside its bar
    assert content.count(",bar,") >= 3 and "legend,Iran" in content and "UN arms embargo, 2008-2011" in content
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert labels == ["C", "Iran", "A"]  # largest fall at the top
    assert next(t for t in figure.axes[0].get_yticklabels() if t.get_text() == "Iran").get_fontweight() == "bold"
    assert math.isclose(figure.get_size_inches()[0], 7.0)  # the book's width: readable at phone width
    assert figure.alt_text.startswith("Above, bars of the percent fall in Russia's deliveries to each of its 3")
    assert "Iran's fall of 85 percent ranked 2" in figure.alt_text and figure.alt_text.endswith("of 3.")
