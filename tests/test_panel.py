"""The panel of every recipient at once: hand-made frames, the committed data against the one-recipient code,
the UN embargo table, and ``python -m sinoiran panel`` (good runs, bad names, bad windows, an added export)."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sinoiran.analysis import panel, series, trends
from sinoiran.analysis.shares import supplier_shares
from sinoiran.base.errors import UsageError
from sinoiran.base.names import actor_kind
from sinoiran.base.precision import PRECISION
from sinoiran.base.releases import Coverage, Holding, Vintage
from sinoiran.data import tables
from sinoiran.data.embargoes import ON_STATE_SCOPES, SCOPES
from sinoiran.data.vintages import current_coverage

from conftest import REAL, ROOT


def vintage(label: str, start: int, end: int) -> Vintage:
    return Vintage(label, "2020-01-01", start, end, None, "sipri-transfers", "")


#: Release R holds every pair 1995-2004; release P holds only supplier A's deliveries to X.
COVERAGE = Coverage(
    {"R": vintage("R", 1995, 2004), "P": vintage("P", 1995, 2004)},
    {
        "R": (Holding(None, None, 1995, 2004),),
        "P": (Holding(frozenset({"A"}), frozenset({"X"}), 1995, 2004),),
    },
)


def toy() -> pd.DataFrame:
    rows = [
        # X: A leads 1995-1999, B leads 2000-2004; the Soviet Union delivers in 1995
        ("R", "A", "X", 1995, 10.0),
        ("R", "Soviet Union", "X", 1995, 10.0),
        ("R", "A", "X", 1997, 20.0),
        ("R", "B", "X", 1999, 5.0),
        ("R", "B", "X", 2001, 30.0),
        ("R", "A", "X", 2002, 10.0),
        ("R", "unknown supplier(s)", "X", 2003, 0.0),
        # Y: a tie in 1995-1999, nothing from 2000
        ("R", "A", "Y", 1996, 4.0),
        ("R", "B", "Y", 1998, 4.0),
        # kept apart: a rebel group, an organisation, an unknown recipient
        ("R", "A", "Rebels (X)*", 1996, 1.0),
        ("R", "B", "NATO**", 1997, 2.0),
        ("R", "A", "unknown recipient(s)", 1998, 3.0),
        ("R", "Russia", "X", 2000, 6.0),
        ("P", "A", "X", 1996, 7.0),
    ]
    return pd.DataFrame(rows, columns=["vintage", "supplier", "recipient", "year", "tiv"])


@pytest.fixture
def small() -> panel.Panel:
    return panel.build_panel(toy(), COVERAGE)


def test_non_state_recipients_are_kept_apart_and_counted(small):
    assert set(small.deliveries["recipient"]) == {"X", "Y"}
    apart = small.kept_apart.set_index("recipient")
    assert apart.loc["Rebels (X)*", "kind"] == "non-state actor" and apart.loc["NATO**", "tiv"] == 2.0
    assert apart.loc["unknown recipient(s)", "kind"] == "unknown" and len(apart) == 3
    everyone = panel.build_panel(
        toy(), COVERAGE, kinds=("state", "non-state actor", "international organisation", "unknown")
    )
    assert len(everyone.kept_apart) == 0 and "NATO**" in set(everyone.deliveries["recipient"])


def test_predecessors_stay_apart_unless_asked(small):
    blocks = panel.panel_shares(small, kind="block")
    x = blocks[(blocks.release == "R") & (blocks.recipient == "X") & (blocks.period == "1995-1999")]
    assert set(x.supplier) == {"A", "B", "Soviet Union"}
    merged = panel.panel_shares(panel.build_panel(toy(), COVERAGE, merge_predecessors=True), kind="block")
    m = merged[(merged.recipient == "X")].set_index(["period", "supplier"])["tiv"]
    assert m[("1995-1999", "Russia")] == 10.0 and m[("2000-2004", "Russia")] == 6.0


def test_shares_only_where_the_release_holds_every_supplier(small):
    shares = panel.panel_shares(small)
    assert set(shares.release) == {"R"}  # release P holds one supplier of X only: no share
    cover = panel.coverage_table(small).set_index(["release", "recipient"])["complete"]
    assert cover[("R", "X")] and not cover[("P", "X")]
    sums = shares[~shares.zero_total].groupby(["recipient", "year"])["share"].sum()
    assert np.allclose(sums, 1.0)


def test_blocks_are_sipris_five_year_blocks_and_the_hhi_is_the_sum_of_squared_shares(small):
    assert panel.periods(1995, 2004) == [(1995, 1999), (2000, 2004)]
    # SIPRI's blocks end in the last year with data; the first is cut at the first year
    assert panel.periods(1993, 2011) == [(1993, 1996), (1997, 2001), (2002, 2006), (2007, 2011)]
    assert panel.periods(2000, 2003, "rolling", width=3) == [(2000, 2002), (2001, 2003)]
    hhi = panel.concentration(small).set_index(["recipient", "period"])
    # X 1995-1999: A 30, Soviet Union 10, B 5 of 45
    assert hhi.loc[("X", "1995-1999"), "hhi"] == pytest.approx((30 / 45) ** 2 + (10 / 45) ** 2 + (5 / 45) ** 2)
    assert hhi.loc[("X", "1995-1999"), "suppliers"] == 3
    assert hhi.loc[("Y", "1995-1999"), "hhi"] == pytest.approx(0.5)
    assert ("Y", "2000-2004") not in hhi.index  # nothing imported: no HHI rather than a made-up one


def test_leaders_ties_and_lead_changes(small):
    lead = panel.leaders(small).set_index(["recipient", "period"])
    assert lead.loc[("X", "1995-1999"), "leader"] == "A" and lead.loc[("X", "2000-2004"), "leader"] == "B"
    assert lead.loc[("Y", "1995-1999"), "tied"] and lead.loc[("Y", "1995-1999"), "leader"] == "A"
    changes = panel.lead_changes(panel.leaders(small))
    assert changes[["recipient", "year", "previous", "leader"]].values.tolist() == [["X", 2000, "A", "B"]]
    assert panel.moves(changes, source="A", target="B")["recipient"].tolist() == ["X"]


def test_rolling_windows_count_a_year_in_every_window_that_holds_it(small):
    rolling = panel.panel_shares(small, kind="rolling", width=3, suppliers=["A"])
    x = rolling[rolling.recipient == "X"].set_index("period")
    assert x.loc["1995-1997", "tiv"] == 30.0 and x.loc["1996-1998", "tiv"] == 20.0
    assert x.loc["1996-1998", "total"] == 20.0 and x.loc["1997-1999", "share"] == pytest.approx(20 / 25)


def test_window_change(small):
    change = panel.window_change(small, (1995, 1999), (2000, 2004))
    a = change[(change.release == "R") & (change.recipient == "X") & (change.supplier == "A")].iloc[0]
    assert (a.mean_before, a.mean_after) == (6.0, 2.0) and a.drop_pct == pytest.approx(100 * (1 - 2 / 6))
    assert a.complete and a.covered and a.share_before == pytest.approx(30 / 45)
    b = change[(change.release == "R") & (change.recipient == "X") & (change.supplier == "B")].iloc[0]
    assert b.share_change_pp == pytest.approx(100 * (30 / 46 - 5 / 45))
    p = change[change.release == "P"].iloc[0]
    assert p.covered and not p.complete and np.isnan(p.share_before)
    with pytest.raises(UsageError, match="must end before"):
        panel.window_change(small, (1995, 2000), (2000, 2004))


def test_the_coverage_masks_are_the_coverage_check_vectorised():
    holdings = (
        Holding(None, frozenset({"Iran"}), 1950, 2015),
        Holding(frozenset({"China"}), frozenset({"Iran", "Pakistan"}), 1960, 2010),
        Holding(None, None, 2000, 2005),
    )
    coverage = Coverage({"V": vintage("V", 1950, 2015)}, {"V": holdings})
    cases = [
        (s, r, a, b)
        for s in ("China", "Russia")
        for r in ("Iran", "Pakistan", "Egypt")
        for a, b in ((1950, 1960), (1999, 2003), (2000, 2005), (2001, 2004), (2010, 2016), (1945, 1955))
    ]
    s, r, a, b = (list(x) for x in zip(*cases, strict=True))
    expected_complete = [coverage.gap("V", None, a_, b_, recipient=r_) is None for _, r_, a_, b_ in cases]
    expected_pair = [coverage.gap("V", [s_], a_, b_, recipient=r_) is None for s_, r_, a_, b_ in cases]
    assert panel.complete_mask(coverage, "V", r, a, b).tolist() == expected_complete
    assert panel.pair_mask(coverage, "V", s, r, a, b).tolist() == expected_pair


@pytest.mark.parametrize(
    "text, message",
    [
        ("2005-2007", "give two windows"),
        ("2005-2007:2007-2011", "overlap"),
        ("2008-2011:2005-2007", "out of order"),
        ("2007-2005:2008-2011", "starts after it ends"),
        ("05-07:08-11", "not a window"),
        ("2005-2007;2008-2011", "not a window"),
    ],
)
def test_bad_windows_are_refused_in_one_line(text, message):
    with pytest.raises(UsageError, match=message):
        panel.parse_windows(text)


def test_windows_parse():
    assert panel.parse_windows("2005-2007:2008-2011") == [(2005, 2007), (2008, 2011)]
    assert panel.parse_windows("2005:2008-2011") == [(2005, 2005), (2008, 2011)]


# --- the committed data, against the one-recipient code ---------------------------------------


@pytest.fixture(scope="module")
def committed():
    tiv = tables.tiv_deliveries()
    coverage = current_coverage()
    return tiv, coverage, panel.build_panel(tiv, coverage)


CASES = [
    ("2025", "Iran"),
    ("2025", "Pakistan"),
    ("2025", "Myanmar"),
    ("2025", "Venezuela"),
    ("2026-mirror", "Algeria"),
    ("2026-mirror", "Iran"),
    ("2016", "Iran"),
    ("2016", "Pakistan"),
]
SUPPLIERS = ["China", "Russia", "Soviet Union", "United States", "France"]


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.astype({"supplier": str, "period": str})
    ours = ours.sort_values(["first_year", "supplier"]).reset_index(drop=True)
    theirs = theirs.sort_values(["first_year", "supplier"]).reset_index(drop=True)
    assert ours["period"].tolist() == theirs["period"].tolist()
    assert ours["supplier"].tolist() == theirs["supplier"].tolist()
    np.testing.assert_allclose(ours["tiv"], theirs["tiv"], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(ours["total"], theirs["total"], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(ours["share"], theirs["share"], rtol=1e-12, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("release, recipient", CASES)
@pytest.mark.parametrize(
    "kind, options", [("year", {}), ("block", {"window": 5}), ("rolling", {"window": 3, "rolling": True})]
)
def test_the_panels_shares_equal_supplier_shares(committed, release, recipient, kind, options):
    tiv, _, data = committed
    first, last = data.years(release)
    theirs = supplier_shares(
        tiv,
        vintage=release,
        recipient=recipient,
        suppliers=SUPPLIERS,
        start=first,
        end=last,
        merge_soviet=False,
        **options,
        coverage=current_coverage(),
    )
    ours = panel.panel_shares(data, kind=kind, width=options.get("window", 5), suppliers=SUPPLIERS)
    _same(ours[(ours.release == release) & (ours.recipient == recipient)], theirs)


@pytest.mark.parametrize("release, recipient", [("2016", "Iran"), ("2026-mirror", "Iran")])
def test_merged_predecessors_equal_supplier_shares_merging_the_soviet_union(committed, release, recipient):
    tiv, coverage, _ = committed
    merged = panel.build_panel(tiv, coverage, merge_predecessors=True, releases=[release])
    first, last = merged.years(release)
    theirs = supplier_shares(
        tiv,
        vintage=release,
        recipient=recipient,
        suppliers=["China", "Russia"],
        start=first,
        end=last,
        coverage=current_coverage(),
    )
    ours = panel.panel_shares(merged, suppliers=["China", "Russia"])
    _same(ours[ours.recipient == recipient], theirs)


@pytest.mark.parametrize(
    "values",
    [
        {"vintage": "2025", "recipient": "Pakistan", "suppliers": ("China", "United States"), "start_year": 1995,
         "end_year": 2024, "break_year": 2010, "window": 3},
        {"vintage": "2016", "recipient": "Iran", "suppliers": ("China", "Russia"), "window": 1},
        {"vintage": "2025", "recipient": "Myanmar", "suppliers": ("China", "Russia"), "start_year": 1995,
         "end_year": 2024, "break_year": 2010, "window": 5},
    ],
)  # fmt: skip
def test_the_panels_shares_equal_the_trends_code(committed, values):
    tiv, coverage, _ = committed
    params = trends.TrendParameters(**values)
    theirs = trends.share_table(tiv, params, coverage=current_coverage())
    years = tiv[tiv["year"].between(params.start_year, params.end_year)]
    cut = panel.build_panel(years, coverage, releases=[params.vintage], merge_predecessors=True)
    ours = panel.panel_shares(
        cut, kind="rolling" if params.window > 1 else "year", width=params.window, suppliers=list(params.suppliers)
    )
    ours = ours[(ours.recipient == params.recipient) & (ours.first_year >= params.start_year)]
    _same(ours, theirs)
    table = trends.block_table(tiv, params, coverage=current_coverage())
    blocks = table[table["complete"]].pivot(index="period", columns="supplier", values="share")
    ours_blocks = panel.panel_shares(cut, kind="block", suppliers=list(params.suppliers))
    ours_blocks = ours_blocks[
        (ours_blocks.recipient == params.recipient)
        & (ours_blocks.first_year >= params.start_year)
        & (ours_blocks.last_year - ours_blocks.first_year == 4)
    ].pivot(index="period", columns="supplier", values="share")
    # one block function for both (the last block ends in the last year), so the blocks are the same
    assert list(ours_blocks.index.astype(str)) == list(blocks.index.astype(str))
    np.testing.assert_allclose(
        ours_blocks[list(params.suppliers)].to_numpy(), blocks[list(params.suppliers)].to_numpy(), rtol=1e-12
    )


def test_every_recipient_in_the_distributions_is_a_state(committed):
    _, _, data = committed
    assert {actor_kind(r) for r in data.deliveries["recipient"].unique()} == {"state"}
    assert set(data.kept_apart["kind"]) <= {"non-state actor", "international organisation", "unknown"}
    assert len(data.kept_apart) > 0


def test_russias_fall_baseline_equals_the_one_recipient_period_change(committed):
    tiv, coverage, data = committed
    baseline = panel.russia_fall_baseline(tiv, coverage, "2025")
    assert baseline.n > 10 and baseline.focus_rank is not None
    for row in baseline.clients.itertuples():
        mean_before, mean_after, drop = series.period_change(
            tiv, "2025", "Russia", row.recipient, (2005, 2007), (2008, 2011), coverage=current_coverage()
        )
        assert row.mean_before == pytest.approx(mean_before) and row.value == pytest.approx(drop)
        assert mean_before >= panel.SIZEABLE_TIV_PER_YEAR
    # no sizeable client of Russia is left out: every state with at least the threshold is compared
    rows = tiv[(tiv.vintage == "2025") & (tiv.supplier == "Russia") & tiv.year.between(2005, 2007)]
    means = rows.groupby("recipient")["tiv"].sum() / 3
    sizeable = {r for r, v in means.items() if v >= panel.SIZEABLE_TIV_PER_YEAR and actor_kind(r) == "state"}
    assert set(baseline.clients["recipient"]) == sizeable
    # ranks: 1 = largest fall; the focus's rank counts the clients that fell more, plus one
    iran = baseline.clients.set_index("recipient").loc["Iran"]
    assert baseline.focus_rank == 1 + int((baseline.clients["value"] > iran["value"] + 1e-9).sum())
    same = panel.russia_fall_baseline(data, None, "2025")
    assert same.focus_rank == baseline.focus_rank and same.n == baseline.n


def test_chinas_share_shift_and_leader_switches(committed):
    _, _, data = committed
    shift = panel.share_shift_baseline(data, release="2025")
    iran = shift.clients.set_index("recipient").loc["Iran"]
    blocks = panel.panel_shares(data, windows=[(2005, 2007), (2008, 2011)], suppliers=["China"])
    mine = blocks[(blocks.release == "2025") & (blocks.recipient == "Iran")].set_index("first_year")["share"]
    assert iran["value"] == pytest.approx(100 * (mine[2008] - mine[2005]))
    switches = panel.leader_switches(data, release="2025").set_index("recipient")
    assert tuple(switches.loc["Iran", ["leader_before", "leader_after"]]) == ("Russia", "China")
    assert set(switches.index) == set(shift.clients["recipient"])


def test_embargoed_in_a_window():
    table = tables.un_embargoes()
    during = panel.embargoed(table, 2008, 2011)
    assert "Iran" in during and "Libya" in during and "North Korea" in during
    assert "Sierra Leone" not in during  # only non-governmental forces then
    assert "South Sudan" not in during and "Liberia" in during  # Liberia's government until December 2009
    assert "Iran" not in panel.embargoed(table, 2005, 2007)  # resolution 1747 bans exports from Iran only
    assert "Iran" in panel.embargoed(table, 2005, 2007, scopes=("exports-from",))
    assert set(ON_STATE_SCOPES) < set(SCOPES)


# --- the command line ------------------------------------------------------------------------


def run_panel(*args: str, data: os.PathLike | None = None, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, **({"SINOIRAN_DATA": str(data)} if data else {})}
    return subprocess.run(
        [sys.executable, "-m", "sinoiran", "panel", *args], capture_output=True, text=True, env=env, cwd=cwd or ROOT
    )


@pytest.mark.slow
def test_the_panel_command_writes_the_changes_and_the_blocks(tmp_path):
    out = tmp_path / "changes.csv"
    done = run_panel("--output", str(out), "--release", "2025", "--suppliers", "Russian Federation, PRC")
    assert done.returncode == 0, done.stderr
    assert "windows 2005-2007 and 2008-2011" in done.stderr and "kept apart" in done.stderr
    frame = pd.read_csv(out)
    assert set(frame["supplier"]) == {"Russia", "China"} and set(frame["release"].astype(str)) == {"2025"}
    iran = frame[(frame.recipient == "Iran") & (frame.supplier == "Russia")].iloc[0]
    assert iran["drop_pct"] == pytest.approx(85.4, abs=0.05)
    blocks = tmp_path / "blocks.csv"
    done = run_panel(
        "--output", str(blocks), "--table", "blocks", "--release", "2025,2026-mirror", "--recipients", "Burma"
    )
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(blocks)
    assert set(frame["recipient"]) == {"Myanmar"} and "2010-2014" in set(frame["period"])
    assert "kept apart" not in done.stderr  # the output is the recipient asked for; the others are not news
    done = run_panel("--output", str(blocks), "--table", "blocks", "--release", "2025", "--recipients", "Hezbollah")
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "error: --recipients: Hezbollah (Lebanon)* (non-state actor) is kept apart from the panel of states; "
        "add --all-recipients to include it"
    ]
    done = run_panel(
        "--output", str(blocks), "--table", "blocks", "--release", "2025", "--recipients", "Hezbollah",
        "--all-recipients",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert set(pd.read_csv(blocks)["recipient"]) == {"Hezbollah (Lebanon)*"}
    # A filter that matches nothing is an error saying why, not a header-only file with exit 0.
    empty = tmp_path / "empty.csv"
    done = run_panel("--output", str(empty), "--release", "2025", "--recipients", "Hezbollah", "--all-recipients")
    assert done.returncode == 2 and not empty.exists()
    assert "no rows for --recipients Hezbollah (Lebanon)*; their suppliers held: Syria, Iran" in done.stderr
    # The summary names the releases that hold the recipient asked for, not every release searched.
    done = run_panel("--output", str(blocks), "--table", "blocks", "--recipients", "Burma")
    assert done.returncode == 0 and "releases 2025, 2026-mirror;" in done.stderr, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    "args, message",
    [
        (["--release", "2025", "--suppliers", "Rusia"], "unknown supplier 'Rusia' in release 2025; closest: Russia"),
        (["--release", "2025", "--recipients", "Persia"], "unknown recipient 'Persia' in release 2025"),
        (["--windows", "2005-2007"], "give two windows"),
        (["--windows", "2008-2011:2005-2007"], "out of order"),
        (["--release", "2025", "--windows", "1980-1984:1985-1989"], "no release chosen covers 1980-1989"),
        (["--release", "1999"], "unknown release '1999'"),
        (["--output", "OUT/panel.parquet"], "Parquet needs pyarrow"),
        (["--output", "OUT/panel.xlsx"], "give a .csv"),
    ],
)
def test_the_panel_command_refuses_bad_names_and_windows_in_one_line(tmp_path, args, message):
    args = [a.replace("OUT", str(tmp_path)) for a in args]
    if "--output" not in args:
        args += ["--output", str(tmp_path / "out.csv")]
    done = run_panel(*args)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], done.stderr
    assert not any(tmp_path.iterdir())  # nothing written


@pytest.mark.slow
@pytest.mark.parametrize("export, recipients, release, windows", [
    ("transfers_2022rel_myanmar.txt", "Burma", "2022", "2011-2015:2016-2021"),
    ("transfers_2025rel_all_pairs.csv", None, "2025-check", None),
])  # fmt: skip
def test_the_panel_command_works_on_an_all_pairs_export_added_with_data_add(
    data_copy, tmp_path, monkeypatch, export, recipients, release, windows
):
    """A real all-pairs export added to a copy of data/ with `data add`: the panel runs on its release, and its
    shares equal supplier_shares' on the same data."""
    command = [sys.executable, "-m", "sinoiran", "data", "add", str(REAL / export), "--output", str(data_copy)]
    command += ["--recipients", recipients] if recipients else ["--vintage", release]
    env = {**os.environ, "SINOIRAN_DATA": str(data_copy)}
    added = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    assert added.returncode == 0, added.stderr
    out = tmp_path / "shares.csv"
    done = run_panel("--output", str(out), "--table", "shares", "--release", release, data=data_copy)
    assert done.returncode == 0, done.stderr
    frame = pd.read_csv(out, dtype={"release": str})
    assert set(frame["release"]) == {release} and len(frame) > 0
    monkeypatch.setenv("SINOIRAN_DATA", str(data_copy))  # the copy's manifest declares the added release
    tiv = tables.tiv_deliveries(directory=data_copy)
    held = current_coverage().holdings[release]
    for recipient in sorted(set(frame["recipient"]))[:3]:
        rows = frame[frame.recipient == recipient]
        span = next(h for h in held if h.suppliers is None and (h.recipients is None or recipient in h.recipients))
        theirs = supplier_shares(
            tiv,
            vintage=release,
            recipient=recipient,
            suppliers=sorted(set(rows["supplier"])),
            start=span.first,
            end=span.last,
            merge_soviet=False,
            coverage=current_coverage(),
        )
        theirs = theirs[theirs["tiv"] > 0].set_index(["year", "supplier"])["share"]
        ours = rows[rows["tiv"] > 0].set_index(["year", "supplier"])["share"]
        assert span.first <= rows["year"].min() and rows["year"].max() <= span.last
        # The command stores its tables by the precision policy (six significant digits): compare at that rule.
        stored = theirs.reindex(ours.index).sort_index().map(PRECISION["number"].round)
        np.testing.assert_array_equal(ours.sort_index().to_numpy(), stored.to_numpy())
    if windows:
        changes = tmp_path / "changes.csv"
        done = run_panel("--output", str(changes), "--release", release, "--windows", windows, data=data_copy)
        assert done.returncode == 0, done.stderr
        frame = pd.read_csv(changes, dtype={"release": str})
        assert "Myanmar" in set(frame[frame.complete]["recipient"])
