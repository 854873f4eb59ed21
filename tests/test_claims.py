"""The claims ledger: check kinds on hand-made tables, completeness, and properties."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinoiran import claims
from sinoiran.analysis import deals, series, shares, trade
from sinoiran.claims.checks import Context
from sinoiran.data import events as events_module
from sinoiran.data import tables, vintages
from sinoiran.data.paper import CLAIM_IDS, catalogue, claims_table, read_catalogue
from sinoiran.data.vintages import VINTAGES, current_coverage

from conftest import ROOT


def tiv_frame(records):
    """A sipri_tiv-shaped frame from (vintage, supplier, recipient, year, tiv) tuples."""
    return pd.DataFrame(records, columns=["vintage", "supplier", "recipient", "year", "tiv"])


@pytest.fixture
def toy():
    # 2016 covers all suppliers; China delivers 10, 20, 30 in 2005-2007, Russia 60, 0 (empty), 30.
    return tiv_frame(
        [
            ("2016", "China", "Iran", 2005, 10.0),
            ("2016", "China", "Iran", 2006, 20.0),
            ("2016", "China", "Iran", 2007, 30.0),
            ("2016", "Russia", "Iran", 2005, 60.0),
            ("2016", "Russia", "Iran", 2007, 30.0),
            ("2016", "Belarus", "Iran", 2006, 0.0),
            ("2022", "China", "Iran", 2005, 11.0),
        ]
    )


# --- verdict rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed, step, value, slack, expected",
    [
        (470, 1, 470.4, 0, "reproduced"),  # inside the printed figure's rounding interval (469.5-470.5)
        (470, 1, 469.5, 0, "reproduced"),  # on its edge
        (470, 1, 466.0, 3.5, "reproduced"),  # a sum of seven whole-million cells can be off by 3.5
        (470, 1, 460, 0, "close"),  # 2% below the interval, within the tolerance
        (470, 1, 355, 3.5, "differs"),
        (1600, 100, 1683, 3.5, "close"),  # "$1.6 billion" stands for 1,550-1,650: 1.8% above its interval
        (4900, 100, 4849, 3.5, "reproduced"),  # 4,849 + 3.5 reaches 4,850
        (4900, 100, 4812, 3.5, "close"),
        (67.1, 0.1, 67.14, 0, "reproduced"),
        (67.1, 0.1, 67.2, 0, "close"),
    ],
)
def test_the_amount_rule_measures_from_the_printed_interval(printed, step, value, slack, expected):
    assert claims.amount_verdict(printed, step, value, slack, 0.083).verdict == expected


def test_the_amount_rule_says_how_far_and_which_way():
    judged = claims.amount_verdict(1600, 100, 1683, 3.5, 0.083)
    assert judged.direction == "above" and judged.distance == pytest.approx((1679.5 - 1650) / 1600)
    assert claims.amount_verdict(470, 1, 355, 3.5, 0.083).direction == "below"


def test_printed_step_is_read_from_the_printed_text():
    from sinoiran.data.paper import BY_ID

    assert BY_ID["MAIN-CHN-SUM"].printed_step == 1  # "$470 million"
    assert BY_ID["MAIN-CHN-MEAN"].printed_step == pytest.approx(0.1)  # "$67.1 million/year"
    assert BY_ID["MAIN-NEIGHBOURS-UAE"].printed_step == pytest.approx(100)  # "$4.9 billion", in millions
    assert BY_ID["MAIN-2011-SHARE"].printed_step == pytest.approx(0.01)  # "0.53 percent"


def test_relative_verdict_boundaries():
    assert claims.relative_verdict(100, 105, 0.05) == "reproduced"
    assert claims.relative_verdict(100, 94.9, 0.05) == "differs"
    with pytest.raises(ValueError):
        claims.relative_verdict(100, math.nan, 0.05)


@pytest.mark.parametrize(
    "printed, computed, decimals, expected",
    [
        (67.1, 470 / 7, 1, "arithmetic-consistent"),
        (67.1, 470 / 8, 1, "arithmetic-inconsistent"),
        (94, 100 * (1 - 15 / 248), 0, "arithmetic-consistent"),
        (0.53, 100 * 79 / 14800, 2, "arithmetic-consistent"),
        (0.54, 100 * 79 / 14800, 2, "arithmetic-inconsistent"),
        (2.5, 2.45, 1, "arithmetic-consistent"),  # half away from zero, not banker's rounding
    ],
)
def test_arithmetic_verdict(printed, computed, decimals, expected):
    assert claims.arithmetic_verdict(printed, computed, decimals) == expected


# --- check kinds on hand-made tables ---------------------------------------------------------


def test_sum_and_mean(toy):
    assert series.period_sum(toy, "2016", "China", "Iran", 2005, 2007, coverage=current_coverage()) == 60
    assert (
        series.period_mean(toy, "2016", "Russia", "Iran", 2005, 2007, coverage=current_coverage()) == 30
    )  # empty 2006 counts as zero
    assert math.isnan(
        series.period_sum(toy, "2007", "China", "Iran", 2005, 2007, coverage=current_coverage())
    )  # 2007 release ends in 2006


def test_ranking_and_share(toy):
    ranking = series.supplier_ranking(toy, "2016", "Iran", 2005, 2007)
    assert list(ranking.index) == ["Russia", "China", "Belarus"]
    block = shares.supplier_shares(
        toy,
        vintage="2016",
        recipient="Iran",
        suppliers=["China"],
        start=2005,
        end=2007,
        window=3,
        coverage=current_coverage(),
    )
    assert block["share"].iloc[0] == pytest.approx(0.40)  # a fraction: 60 of 150
    empty = shares.supplier_shares(
        toy,
        vintage="2016",
        recipient="Iran",
        suppliers=["China"],
        start=1990,
        end=1991,
        window=2,
        coverage=current_coverage(),
    )
    assert bool(empty["zero_total"].iloc[0]) and math.isnan(empty["share"].iloc[0])  # undefined, never a made-up zero


def test_coverage_gap_messages():
    assert vintages.coverage_gap("2016", None, 2005, 2011, recipient="Iran") is None
    assert "covers 1950-2006 only" in vintages.coverage_gap("2007", ["China"], 2005, 2011, recipient="Iran")
    assert "no total over all suppliers" in vintages.coverage_gap("2022", None, 2005, 2011, recipient="Iran")
    assert "does not hold Russia's deliveries to Iran" in vintages.coverage_gap(
        "2026", ["Russia"], 2005, 2011, recipient="Iran"
    )
    # Coverage is per recipient: the 2016 release holds every supplier of Iran, only the United States for Turkey.
    assert "only United States as suppliers of Turkey" in vintages.coverage_gap(
        "2016", None, 2005, 2011, recipient="Turkey"
    )
    assert vintages.coverage_gap("2016", ["United States"], 2005, 2011, recipient="Turkey") is None
    assert "holds nothing for Venezuela" in vintages.coverage_gap("2016", ["Russia"], 2005, 2011, recipient="Venezuela")


def test_coefficient_of_variation():
    assert series.coefficient_of_variation(pd.Series([10.0, 10.0, 10.0])) == 0
    assert series.coefficient_of_variation(pd.Series([0.0, 20.0])) == pytest.approx(1.0)
    assert math.isnan(series.coefficient_of_variation(pd.Series([0.0, 0.0])))


def test_event_month_and_register_lookup():
    events = pd.DataFrame({"event_id": ["x"], "date": pd.to_datetime(["2010-09-22"])})
    assert events_module.event_month(events, "x") == (2010, 9)
    with pytest.raises(KeyError):
        events_module.event_month(events, "y")
    register = pd.DataFrame(
        {
            "vintage": ["2024", "2024"],
            "supplier": ["China", "Russia"],
            "designation": ["C-802", "S-300PMU2"],
            "description": ["anti-ship missile", "SAM system"],
        }
    )
    assert list(deals.register_records(register, "2024", "China", r"c-80\d").designation) == ["C-802"]
    assert deals.register_records(register, "2024", "China", r"S-300").empty


def test_dots_value():
    dots = pd.DataFrame(
        {
            "reporter": ["China"],
            "partner": ["Iran"],
            "flow": ["exports_fob"],
            "year": [2011],
            "value_usd_m": [14797.1],
            "estimated": [False],
        }
    )
    assert trade.dots_value(dots, "China", "Iran", "exports_fob", 2011) == (14797.1, False)


def test_a_check_on_hand_made_inputs(toy):
    empty = pd.DataFrame()
    inputs = tables.Inputs(tiv=toy, register=empty, dots=empty, events=empty, deliveries=empty)
    spread = pd.DataFrame({"supplier": ["Russia"], "recipient": ["Iran"], "spread": [0.05]})
    ctx = Context(inputs=inputs, releases=["2007", "2016", "2022"], spread=spread)
    claim = claims.BY_ID["MAIN-CHN-SUM"]
    # A hypothetical claim over the toy years, through the same check.
    toy_claim = type(claim)(
        **{
            **claim.__dict__,
            "value": 63.0,
            "paper_value": "$63 million",
            "params": {**claim.params, "years": [2005, 2007]},
        }
    )
    rows = {r.vintage: r for r in claims.CHECKS["flow-sum"](toy_claim, ctx)}
    assert rows["2016"].recomputed_value == 60 and rows["2016"].verdict == "close"  # 60±1.5 misses 62.5-63.5
    exact = type(claim)(**{**toy_claim.__dict__, "value": 61.0, "paper_value": "$61 million"})
    assert {r.vintage: r for r in claims.CHECKS["flow-sum"](exact, ctx)}["2016"].verdict == "reproduced"
    assert rows["2007"].verdict == "not-testable" and "1950-2006" in rows["2007"].note
    assert rows["2022"].recomputed_value == 11 and rows["2022"].verdict == "differs"
    assert "5.0%" in rows["2016"].reason and "Russia to Iran" in rows["2016"].tolerance


# --- the ledger on the project's data ------------------------------------------------------


@pytest.fixture(scope="module")
def ledger():
    return claims.ledger(tables.load_inputs())


#: The claims of the first catalogue, and those the referee's audit added, in the paper's order.
FIRST_IDS = [
    "INTRO-GALLUP", "INTRO-NIE-GAP", "INTRO-NIE-CONTENT", "INTRO-NIE-AGENCIES", "CTX-WAR-LENGTH",
    "CTX-POSTCW-SUPPLIERS", "CTX-HASHEMI-KHATAMI", "MAIN-STEADY", "MAIN-CHN-SUM", "MAIN-CHN-MEAN", "MAIN-PERIOD",
    "MAIN-RUS-SUM", "MAIN-RUS-POSITION", "MAIN-RUS-MAJOR", "MAIN-RUS-DECLINE", "MAIN-CHN-LARGEST",
    "MAIN-RUS-MEAN-0507", "MAIN-RUS-MEAN-0811", "MAIN-RUS-DROP", "MAIN-UNSC-DATES", "MAIN-EU-EMBARGO", "MAIN-S300",
    "MAIN-RUS-PARTNERS", "MAIN-ITEMS", "MAIN-SILKWORM", "MAIN-BOATS", "MAIN-HQ9", "MAIN-2011-ARMS", "MAIN-2011-TOTAL",
    "MAIN-2011-SHARE", "MAIN-NEIGHBOURS-PAK", "MAIN-NEIGHBOURS-TUR", "MAIN-NEIGHBOURS-SAU", "MAIN-NEIGHBOURS-UAE",
    "MAIN-NEIGHBOURS-LESS", "MAIN-MISSILE-FORCE", "CONC-BOLSTER", "CONC-CONTINUITY",
]  # fmt: skip
ADDED_IDS = [
    "INTRO-MISSILE-ARSENAL", "CTX-WARMER", "MAIN-SANCTIONS-CAUSE", "MAIN-UNSC-CONTENT", "MAIN-DOD-2008",
    "MAIN-SECDEF-2009", "MAIN-UNSC-CHINA", "MAIN-CIA-2009", "MAIN-AP-2010", "MAIN-INTERNAL-BALANCING",
    "MAIN-FILL-VACUUM", "MAIN-BOJNOURD", "MAIN-S300-TEST", "MAIN-VAHIDI", "MAIN-LUKYANOV",
]  # fmt: skip


def test_the_catalogue_is_data_and_matches_the_table():
    assert set(CLAIM_IDS) == set(FIRST_IDS) | set(ADDED_IDS)
    # The catalogue follows the paper: its sections in order, and paragraphs in order within a section.
    import re

    places = [(c.section, int(re.search(r"paragraph (\d+)", c.location)[1])) for c in catalogue()]
    order = {"Introduction": 0, "International context": 1, "Main section": 2, "Conclusion": 3}
    assert places == sorted(places, key=lambda p: (order[p[0]], p[1]))
    assert {c.kind for c in catalogue()} <= set(claims.CHECKS)
    committed = pd.read_csv(ROOT / "data" / "paper_claims.csv")
    assert list(committed.claim_id) == list(CLAIM_IDS)
    assert claims_table().shape == committed.shape
    derived = {c.claim_id: c.derived_from for c in catalogue() if c.derived_from}
    assert derived["MAIN-CHN-MEAN"] == ("MAIN-CHN-SUM",)
    assert derived["MAIN-RUS-DROP"] == ("MAIN-RUS-MEAN-0507", "MAIN-RUS-MEAN-0811")


def test_no_check_parameter_is_written_in_code():
    import inspect

    from sinoiran.claims import checks

    source = inspect.getsource(checks)
    for literal in ("2005, 2011", "2008, 2011", "(2005, 2007)", '"Iran"', "0.5 * before"):
        assert literal not in source, literal


def test_a_damaged_catalogue_is_refused_by_entry(tmp_path):
    broken = tmp_path / "claims.toml"
    broken.write_text('[[claim]]\nid = "MAIN-X"\nsection = "Main section"\n')
    with pytest.raises(ValueError, match="entry 1: missing where"):
        read_catalogue(broken)


def test_every_claim_has_a_verdict_in_every_vintage_where_it_applies(ledger):
    assert set(ledger.claim_id) == set(CLAIM_IDS)
    assert ledger.verdict.isin(claims.VERDICTS).all()
    tiv_claims = set(ledger[ledger.vintage.isin(VINTAGES)].claim_id)
    for claim_id in tiv_claims:
        vintages = set(ledger[ledger.claim_id == claim_id].vintage) & set(VINTAGES)
        assert vintages == set(VINTAGES), f"{claim_id} lacks a row for {set(VINTAGES) - vintages}"
    register_claims = {"MAIN-ITEMS", "MAIN-BOATS", "MAIN-SILKWORM"}
    for claim_id in register_claims:
        assert set(ledger[ledger.claim_id == claim_id].vintage) == set(claims.REGISTER_LABELS)
    # not-testable rows always say why
    assert ledger[ledger.verdict == "not-testable"].note.str.len().gt(20).all()


def test_known_results(ledger):
    row = ledger.set_index(["claim_id", "vintage"])
    assert row.loc[("MAIN-CHN-SUM", "2016"), "recomputed_value"] == 355
    assert row.loc[("MAIN-CHN-SUM", "2016"), "verdict"] == "differs"
    assert row.loc[("MAIN-RUS-SUM", "2022"), "verdict"] == "close"  # the total is near, its parts are not
    assert "its parts, which the paper also prints, are not" in row.loc[("MAIN-RUS-SUM", "2022"), "reason"]
    assert row.loc[("MAIN-2011-ARMS", "2016"), "verdict"] == "not-testable"  # customs dollars against TIV
    assert row.loc[("MAIN-2011-SHARE", "2016"), "verdict"] == "not-testable"  # TIV over current-dollar trade
    assert set(ledger[ledger.claim_id == "MAIN-PERIOD"].vintage) == {"-"}  # the paper fixes the period itself
    assert row.loc[("MAIN-2011-TOTAL", "dots-2022/China"), "verdict"] == "reproduced"
    assert row.loc[("MAIN-2011-TOTAL", "dots-2022/Iran"), "verdict"] == "differs"
    assert row.loc[("MAIN-PERIOD", "-"), "verdict"] == "arithmetic-inconsistent"
    assert row.loc[("MAIN-RUS-SUM", "2016"), "reproduced_in"] == ""


def test_the_rule_allows_for_the_source_rounding_and_the_printed_interval(ledger):
    row = ledger.set_index(["claim_id", "vintage"])
    # Saudi Arabia's 1,683 against a printed $1.6 billion (1,550-1,650): close, no longer "differs".
    assert row.loc[("MAIN-NEIGHBOURS-SAU", "2016"), "verdict"] == "close"
    # The UAE's 4,849 in seven whole-million cells (±3.5) reaches the printed $4.9 billion: reproduced.
    assert row.loc[("MAIN-NEIGHBOURS-UAE", "2022"), "verdict"] == "reproduced"


def test_the_tolerance_is_the_flows_own_revision_between_releases(ledger):
    from sinoiran.analysis.review import release_spread, tolerance_for

    spread = release_spread(
        tables.tiv_deliveries(),
        flows=[("China", "Iran"), ("United States", "Pakistan"), ("Russia", "Iran")],
        start=2005,
        end=2011,
        coverage=current_coverage(),
    )
    pakistan = spread.set_index("recipient").loc["Pakistan"]
    assert pakistan["2016"] == 2246 and pakistan["2022"] == 2430  # US-to-Pakistan moved 8.2% between them
    tolerance, source = tolerance_for(spread, "United States", "Pakistan")
    assert source == "its own revision between the releases held"
    assert tolerance == pytest.approx(2431.59 / 2246 - 1, abs=1e-4)
    china, _ = tolerance_for(spread, "China", "Iran")
    assert china == pytest.approx(355 / 309 - 1, abs=1e-4)  # the 2016 release against the 2026 table
    # a flow held in one release only borrows the largest revision of another
    lone = spread[spread["supplier"] != "Russia"].assign(**{"spread": lambda f: f["spread"]})
    lone.loc[lone["supplier"] == "China", "spread"] = float("nan")
    borrowed, why = tolerance_for(lone, "China", "Iran")
    assert borrowed == pytest.approx(tolerance) and "United States to Pakistan" in why
    entry = ledger.set_index(["claim_id", "vintage"]).loc[("MAIN-NEIGHBOURS-PAK", "2016")]
    assert entry["verdict"] == "differs"  # 11.6% below: more than Pakistan's own 8.3% revision
    assert entry["tolerance"].endswith("its own revision between the releases held")


def test_vintage_filter_keeps_vintage_independent_rows(ledger):
    only = claims.ledger(tables.load_inputs(), vintage="2022")
    assert set(only.vintage) == {"2022", "-"}
    assert set(only.claim_id) >= set(ledger[ledger.vintage == "-"].claim_id)
    with pytest.raises(ValueError, match="unknown vintage"):
        claims.ledger(tables.load_inputs(), vintage="1999")


def test_vintage_matrix_and_counts(ledger):
    matrix = claims.vintage_matrix(ledger)
    assert list(matrix.columns) == list(VINTAGES)
    assert matrix.loc["MAIN-CHN-SUM", "2007"] == "not-testable"
    counts = claims.verdict_counts(ledger)
    assert counts.values.sum() == len(ledger)


@pytest.mark.slow
def test_claims_command_formats():
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "sinoiran", "claims", *args], capture_output=True, text=True, cwd=ROOT
        )

    csv = run("--vintage", "all", "--format", "csv")
    assert csv.returncode == 0
    header = csv.stdout.splitlines()[0].split(",")
    for column in ["claim_id", "vintage", "paper_value", "recomputed_value", "unit", "verdict", "tolerance", "note"]:
        assert column in header
    records = json.loads(run("--format", "json").stdout)
    assert {r["claim_id"] for r in records} == set(CLAIM_IDS)
    bad = run("--vintage", "1999")
    assert bad.returncode == 2 and "unknown vintage '1999'" in bad.stderr


# --- properties ------------------------------------------------------------------------------

#: Volumes as SIPRI prints them: zero, or at least a thousandth of a million TIV (no subnormal floats, whose
#: sums underflow to zero in any float arithmetic).
volume = st.one_of(st.just(0.0), st.floats(min_value=0.001, max_value=5000, allow_nan=False))
values = st.lists(volume, min_size=3, max_size=3)


@settings(max_examples=60, deadline=None)
@given(china=values, russia=values, scale=st.floats(min_value=0.01, max_value=100), seed=st.randoms())
def test_sums_means_shares_under_reordering_and_scaling(china, russia, scale, seed):
    records = [("2016", "China", "Iran", 2005 + i, v) for i, v in enumerate(china)]
    records += [("2016", "Russia", "Iran", 2005 + i, v) for i, v in enumerate(russia)]
    frame = tiv_frame(records)
    shuffled = frame.sample(frac=1, random_state=seed.randint(0, 10**6))
    scaled = frame.assign(tiv=frame.tiv * scale)
    total = series.period_sum(frame, "2016", "China", "Iran", 2005, 2007, coverage=current_coverage())
    assert series.period_sum(
        shuffled, "2016", "China", "Iran", 2005, 2007, coverage=current_coverage()
    ) == pytest.approx(total)
    assert series.period_sum(scaled, "2016", "China", "Iran", 2005, 2007, coverage=current_coverage()) == pytest.approx(
        total * scale
    )
    assert series.period_mean(frame, "2016", "China", "Iran", 2005, 2007, coverage=current_coverage()) == pytest.approx(
        total / 3
    )
    if sum(china) + sum(russia) > 0:

        def block_share(tiv, suppliers):
            block = shares.supplier_shares(
                tiv,
                vintage="2016",
                recipient="Iran",
                suppliers=suppliers,
                start=2005,
                end=2007,
                window=3,
                coverage=current_coverage(),
            )
            return float(block["share"].sum())

        share = block_share(frame, ["China"])
        assert 0 <= share <= 1
        assert block_share(scaled, ["China"]) == pytest.approx(share)
        assert block_share(shuffled, ["China"]) == pytest.approx(share)
        assert block_share(frame, ["China", "Russia"]) == pytest.approx(1)


def test_the_claims_the_fidelity_review_added(ledger):
    row = ledger.set_index(["claim_id", "vintage"])
    assert len(set(ledger.claim_id)) >= 38
    assert row.loc[("MAIN-SILKWORM", "register-2024"), "verdict"] == "not-supported"  # C-802 and HY-2 are two systems
    assert row.loc[("MAIN-SILKWORM", "register-2013"), "verdict"] == "not-testable"  # no HY-2 record in its years
    assert row.loc[("MAIN-RUS-PARTNERS", "2022"), "verdict"] == "supported"
    assert (
        row.loc[("MAIN-RUS-PARTNERS", "2016"), "verdict"] == "not-testable"
    )  # the 2016 copy holds importer tables only
    assert row.loc[("MAIN-RUS-POSITION", "2016"), "verdict"] == "supported"
    assert row.loc[("MAIN-EU-EMBARGO", "-"), "recomputed_text"] == "04/2007"
    assert row.loc[("CONC-BOLSTER", "2016"), "verdict"] == "not-supported"  # deliveries fell in the second term


def test_every_row_says_why_in_one_sentence(ledger):
    assert ledger["reason"].str.len().gt(20).all() and ledger["reason"].str.endswith(".").all()
    row = ledger.set_index(["claim_id", "vintage"])
    assert row.loc[("MAIN-CHN-SUM", "2016"), "reason"] == (
        "355 (±3.5 for the table's whole-million cells) is 23.6% below the printed $470 million, more than the "
        "14.9% by which the releases held revise this flow."
    )


# --- the verdicts the referee's audit corrected, and the claims it added ------------------------------


def test_corrected_verdicts(ledger):
    row = ledger.set_index(["claim_id", "vintage"])
    # Continuity after 2010 rests on deals SIPRI marks as of uncertain status since the UN embargo.
    assert row.loc[("CONC-CONTINUITY", "2016"), "verdict"] == "partly-supported"
    assert "SIPRI's assumption" in row.loc[("CONC-CONTINUITY", "2016"), "reason"]
    # 'Crucial' overstates a steady second place.
    assert row.loc[("CTX-HASHEMI-KHATAMI", "2016"), "verdict"] == "partly-supported"
    assert "ranks second under both presidents" in row.loc[("CTX-HASHEMI-KHATAMI", "2016"), "reason"]
    # The QW-11 is not the HN-5: one of the three covered items, not two.
    assert row.loc[("MAIN-ITEMS", "register-2024"), "recomputed_text"].startswith("1 of 3")
    # The NIE counted covert enrichment-related work in the halted programme: imprecise, not unsupported.
    assert row.loc[("INTRO-NIE-CONTENT", "-"), "verdict"] == "partly-supported"
    # The paper reports a rumour about the HQ-9, and asserts no delivery: nothing to grade.
    assert set(ledger.loc[ledger.claim_id == "MAIN-HQ9", "verdict"]) == {"not-testable"}
    # A register names the 2007 S-300 order (as the order the 2015 deal replaced, cancelled 2010).
    assert row.loc[("MAIN-S300", "-"), "verdict"] == "supported"
    assert "replaces a 2007 order, cancelled 2010" in row.loc[("MAIN-S300", "-"), "note"]
    # Ahmadinejad's terms by the majority-of-year rule: 2006-2009 and 2010-2013.
    assert "(2006-2009)" in row.loc[("CONC-BOLSTER", "2016"), "reason"]
    # SIPRI's yearly figures are not spread evenly: the steadiness is partly its estimated schedule.
    assert "79%" in row.loc[("MAIN-STEADY", "2025"), "reason"]


def test_added_claims(ledger):
    row = ledger.set_index(["claim_id", "vintage"])
    # China helped fill the vacuum after Sep 2010: no Chinese order after 2005, deliveries fall every year.
    assert row.loc[("MAIN-FILL-VACUUM", "2025"), "verdict"] == "not-supported"
    assert "fell every year 2010-2013" in row.loc[("MAIN-FILL-VACUUM", "2025"), "reason"]
    # Sanctions as the main cause: the fall came before any measure binding Russia, and 3 of 17 clients fell as much.
    cause = row.loc[("MAIN-SANCTIONS-CAUSE", "2025")]
    assert cause["verdict"] == "not-supported" and "before the first measure binding Russia" in cause["reason"]
    # Rafsanjani to Khatami: China's deliveries fell, so arms show no warming.
    assert row.loc[("CTX-WARMER", "2016"), "verdict"] == "not-supported"
    assert row.loc[("MAIN-UNSC-CHINA", "-"), "verdict"] == "supported"  # China voted for all four
    assert row.loc[("MAIN-UNSC-CONTENT", "-"), "verdict"] == "supported"
    assert row.loc[("MAIN-INTERNAL-BALANCING", "2016"), "verdict"] == "partly-supported"
    for cited in ("INTRO-MISSILE-ARSENAL", "MAIN-DOD-2008", "MAIN-SECDEF-2009", "MAIN-CIA-2009", "MAIN-AP-2010",
                  "MAIN-BOJNOURD", "MAIN-S300-TEST", "MAIN-VAHIDI", "MAIN-LUKYANOV"):  # fmt: skip
        assert row.loc[(cited, "-"), "verdict"] == "not-testable"


def test_tallies_count_independent_claims_once(ledger):
    tally = claims.independent_tally(ledger)
    verdicts = claims.claim_verdicts(ledger)
    assert tally["independent"] + tally["derived"] == len(verdicts) == len(CLAIM_IDS)
    assert (
        sum(tally[k] for k in ("borne out", "borne out in part", "not borne out", "not testable"))
        == tally["independent"]
    )
    assert not verdicts.set_index("claim_id").loc["MAIN-CHN-MEAN", "independent"]
    assert verdicts.set_index("claim_id").loc["MAIN-CHN-SUM", "overall"] == "not borne out"
