"""The comparisons of the "Is Iran unusual?" chapter, as tables and words, from the panel's results.

Every function here takes results of :mod:`sinoiran.analysis.panel` (a
:class:`~sinoiran.analysis.panel.Baseline`, leader switches, lead changes, the
embargo table) and returns a frame for the chapter's tables or a short text for
its prose; nothing is computed twice and no number is fixed in the text. Units
are those of the panel: millions of SIPRI TIV a year, percent, percentage
points.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from sinoiran.analysis.panel import Baseline, Panel, leader_switches, russia_fall_baseline, share_shift_baseline
from sinoiran.base.names import in_prose, possessive
from sinoiran.base.precision import snap

#: Ordinals written as words in the prose (beyond these, "11th", "12th", ...).
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def ordinal(n: int) -> str:
    """'first', 'second', ... 'tenth', then '11th', '12th', '21st', ..."""
    if 1 <= n <= len(_ORDINALS):
        return _ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def names_text(names: Iterable[str], *, empty: str = "none") -> str:
    """'A', 'A and B', 'A, B and C' (names as they read in a sentence), or ``empty``."""
    names = [in_prose(str(n)) for n in names]
    if not names:
        return empty
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def rank_text(baseline: Baseline) -> str:
    """Where the focus stands, in words: 'the largest', 'the fourth largest (with ties above it)', 'not compared'."""
    if baseline.focus_rank is None:
        return f"not among the recipients compared ({baseline.rule})"
    word = baseline.larger_is.split()[0]  # "larger"
    superlative = {"larger": "largest"}.get(word, word)
    if baseline.focus_rank == 1:
        return f"the {superlative}"
    return f"the {ordinal(baseline.focus_rank)} {superlative}"


def ahead_of_focus(baseline: Baseline) -> pd.DataFrame:
    """The recipients ranked above the focus (more extreme), in rank order."""
    if baseline.focus_rank is None:
        return baseline.clients.iloc[0:0]
    return baseline.clients[baseline.clients["rank"] < baseline.focus_rank]


def lumpy(baseline: Baseline, *, max_years: int = 2) -> pd.DataFrame:
    """Clients ranked above the focus whose first-window deliveries came in at most ``max_years`` years (a deal or
    two: one contract can make a whole window); needs ``delivery_years_before`` (a supplier's fall baseline)."""
    ahead = ahead_of_focus(baseline)
    return ahead[ahead["delivery_years_before"] <= max_years]


def client_table(fall: Baseline, embargoed: Sequence[str]) -> pd.DataFrame:
    """The supplier's sizeable clients for display: yearly means in each window, the fall, its rank, in how many
    years of the first window deliveries came, and whether a UN arms embargo was in force (see the chapter)."""
    before, after = fall.before, fall.after
    clients = fall.clients
    return pd.DataFrame(
        {
            "Recipient": clients["recipient"],
            f"Mean {before[0]}-{before[1]} (TIV millions a year)": clients["mean_before"],
            f"Mean {after[0]}-{after[1]} (TIV millions a year)": clients["mean_after"],
            "Fall (%)": clients["value"],
            "Rank": clients["rank"],
            f"Years with deliveries, {before[0]}-{before[1]}": clients["delivery_years_before"],
            "UN arms embargo": clients["recipient"].isin(list(embargoed)),
        }
    )


def share_table(rise: Baseline, embargoed: Sequence[str], *, top: int = 10) -> pd.DataFrame:
    """The ``top`` largest changes in the supplier's share, plus the focus and every embargoed importer, for display
    (shares in percent, the change in percentage points)."""
    clients = rise.clients
    keep = (clients["rank"] <= top) | (clients["recipient"] == rise.focus) | clients["recipient"].isin(list(embargoed))
    shown = clients[keep]
    before, after = rise.before, rise.after
    return pd.DataFrame(
        {
            "Recipient": shown["recipient"],
            f"{rise.supplier}'s share {before[0]}-{before[1]} (%)": 100 * shown["share_before"],
            f"{rise.supplier}'s share {after[0]}-{after[1]} (%)": 100 * shown["share_after"],
            "Change (points)": shown["value"],
            "Rank": shown["rank"],
            "UN arms embargo": shown["recipient"].isin(list(embargoed)),
        }
    )


def switches_from(switches: pd.DataFrame, source: str) -> pd.DataFrame:
    """The importers led by ``source`` in the first window, with their leader in the second (from
    :func:`~sinoiran.analysis.panel.leader_switches`)."""
    return switches[switches["leader_before"] == source].reset_index(drop=True)


def moves_table(moves: pd.DataFrame) -> pd.DataFrame:
    """Lead changes (:func:`~sinoiran.analysis.panel.moves`) for display: recipient, release, the block in which
    the new leader first led, and the block before."""
    ordered = moves.astype({"release": str, "recipient": str, "period": str}).sort_values(
        ["year", "recipient", "release"], kind="stable"
    )
    return pd.DataFrame(
        {
            "Recipient": ordered["recipient"],
            "Release": ordered["release"],
            "First block led by the new supplier": ordered["period"],
            "Block before": ordered["previous_period"].astype(str),
        }
    )


def moves_text(moves: pd.DataFrame, release: str) -> str:
    """'Ghana (2005-2009); Iran and Myanmar (2010-2014); ...': who passed from one leader to the other, by block."""
    rows = moves[moves["release"].astype(str) == release].astype({"recipient": str, "period": str})
    if rows.empty:
        return "no recipient"
    parts = []
    for period, group in rows.sort_values(["year", "recipient"], kind="stable").groupby("period", sort=False):
        parts.append(f"{names_text(group['recipient'])} ({period})")
    return "; ".join(parts)


def embargo_rows(embargoes: pd.DataFrame) -> pd.DataFrame:
    """The UN embargo table for display: target, resolution, adoption date, scope, and how it ended."""
    ended = embargoes["ended"]
    return pd.DataFrame(
        {
            "Target": embargoes["target"],
            "Resolution": embargoes["resolution"].map(lambda n: f"S/RES/{n}"),
            "Adopted": pd.to_datetime(embargoes["adopted"]).dt.strftime("%d %b %Y"),
            "Scope": embargoes["scope"],
            "Ended or narrowed": [
                "in force" if pd.isna(day) else f"{pd.Timestamp(day):%d %b %Y} (S/RES/{by})"
                for day, by in zip(ended, embargoes["ended_by"], strict=True)
            ],
        }
    )


def by_release(data: Panel, releases: Sequence[str], *, focus: str = "Iran", min_volume: float) -> pd.DataFrame:
    """The focus's place on each comparison in each release: value, rank, recipients compared, and how many were
    at least as extreme (the focus included). Comparisons: Russia's fall among its sizeable clients, the change
    in China's share of sizeable importers' imports, and the share of those importers whose leading supplier
    changed between the windows."""
    rows = []
    for release in releases:
        fall = russia_fall_baseline(data, release=release, min_volume=min_volume, focus=focus)
        rise = share_shift_baseline(data, release=release, min_volume=min_volume, focus=focus)
        switches = leader_switches(data, release=release, min_volume=min_volume)
        for name, baseline in (("Fall in Russia's deliveries (%)", fall), ("Change in China's share (points)", rise)):
            rows.append(
                {
                    "Comparison": name,
                    "Release": release,
                    focus: f"{snap(baseline.focus_value):.1f}",  # shown as text beside 'yes'/'no': rounded here
                    "Rank": baseline.focus_rank,
                    "Compared": baseline.n,
                    "At least as extreme": baseline.at_least_as_extreme,
                }
            )
        row = switches[switches["recipient"] == focus]
        moved = switches[(switches["leader_before"] == "Russia") & (switches["leader_after"] == "China")]
        rows.append(
            {
                "Comparison": "Leader changed from Russia to China",
                "Release": release,
                focus: "yes" if len(row) and bool(row["switched"].iloc[0]) else "no",
                "Rank": None,
                "Compared": len(switches),
                "At least as extreme": len(moved),
            }
        )
    out = pd.DataFrame(rows)
    out["Rank"] = out["Rank"].astype("Int64")
    return out


def switch_text(frame: pd.DataFrame) -> str:
    """'Iran (to China), Libya (to Italy) and ...' for the importers whose leader changed; 'none' if none did."""
    moved = frame[frame["switched"]]
    pairs = zip(moved["recipient"].astype(str), moved["leader_after"].astype(str), strict=True)
    return names_text([f"{in_prose(recipient)} (to {in_prose(leader)})" for recipient, leader in pairs])


def leader_table(frame: pd.DataFrame, before: tuple[int, int], after: tuple[int, int]) -> pd.DataFrame:
    """Leader switches (:func:`~sinoiran.analysis.panel.leader_switches`) for display, shares in percent."""
    return pd.DataFrame(
        {
            "Recipient": frame["recipient"].astype(str),
            f"Leader {before[0]}-{before[1]}": frame["leader_before"].astype(str),
            "Its share (%)": 100 * frame["share_before"],
            f"Leader {after[0]}-{after[1]}": frame["leader_after"].astype(str),
            "Its share (%) ": 100 * frame["share_after"],
        }
    )


def embargo_comparison(fall: Baseline, rise: Baseline, members: Sequence[str]) -> pd.DataFrame:
    """Both measures summarised for recipients under a UN arms embargo against the rest (medians and ranges)."""
    from sinoiran.analysis.panel import group_comparison

    parts = []
    for name, baseline in (
        (f"Fall in {fall.supplier}'s deliveries (%)", fall),
        (f"Change in {rise.supplier}'s share (points)", rise),
    ):
        summary = group_comparison(baseline, members)
        summary.insert(0, "measure", name)
        parts.append(summary)
    table = pd.concat(parts, ignore_index=True)
    table.loc[table["group"] != "under a UN arms embargo", "names"] = "the other recipients compared"
    return table.rename(
        columns={
            "measure": "Measure",
            "group": "Recipients",
            "recipients": "Number",
            "median": "Median",
            "lowest": "Lowest",
            "highest": "Highest",
            "names": "Who",
        }
    ).drop(columns="mean")


def returned(back: pd.DataFrame, focus: str, release: str, *, after_year: int) -> str:
    """The first block after ``after_year`` in which the lead passed back (``back`` from
    :func:`~sinoiran.analysis.panel.moves` in the other direction), or '' if it never did."""
    rows = back[(back["recipient"].astype(str) == focus) & (back["release"].astype(str) == release)]
    rows = rows[rows["year"] > after_year]
    return str(rows.sort_values("year")["period"].iloc[0]) if len(rows) else ""


# --- verdicts in words: what the numbers allow the prose to say ------------------------------------------


def ahead_text(fall: Baseline) -> str:
    """What happened to the clients ranked above the focus, in words ('received nothing from Russia in 2008-2011')."""
    ahead = ahead_of_focus(fall)
    window = f"{fall.after[0]}-{fall.after[1]}"
    if ahead.empty:
        return "none fell further"
    if (ahead["mean_after"] == 0).all():
        return f"received nothing from {in_prose(fall.supplier)} in {window}"
    return f"fell further, to a yearly mean of at most {snap(ahead['mean_after'].max()):.0f} million TIV in {window}"


def fall_verdict(fall: Baseline) -> str:
    """Whether the focus's fall stands alone: 'the largest ...' or 'large, but not without precedent ...'."""
    clients = f"{possessive(in_prose(fall.supplier))} clients over the same years"
    if fall.focus_rank is None:
        return f"not comparable with {clients}"
    if fall.at_least_as_extreme <= 1:
        return f"the largest among {clients}"
    return f"large, but not without precedent among {clients}"


def rise_verdict(rise: Baseline, *, top_share: float = 0.1) -> str:
    """'near the top of the distribution' when the focus ranks in the top ``top_share`` of importers, else where."""
    if rise.focus_rank is None:
        return "not comparable"
    if rise.focus_rank == 1:
        return "the largest in the distribution"
    if rise.focus_rank <= max(1, round(top_share * rise.n)):
        return "near the top of the distribution"
    return "within the body of the distribution"


def volume_text(supplier: str, mean_before: float, mean_after: float, *, band: float = 0.25) -> str:
    """Whether a supplier's yearly deliveries held ('about as much in both windows') or moved, in words."""
    if mean_before <= 0:
        return f"{in_prose(supplier)} delivered nothing in the first window"
    ratio = mean_after / mean_before
    if abs(ratio - 1) <= band:
        return f"{in_prose(supplier)} delivered about as much in both windows"
    return f"{in_prose(supplier)} delivered {'more' if ratio > 1 else 'less'} in the second window"


def too_few_text(counts: Sequence[int], *, minimum: int = 5) -> str:
    """A caution when a group compared has fewer than ``minimum`` recipients."""
    if min(counts, default=0) < minimum:
        return "rests on too few recipients to carry weight"
    return "rests on groups large enough to describe, though not to explain"


def embargo_china_text(rise: Baseline, members: Sequence[str]) -> str:
    """For which embargoed importers the supplier's share rose: 'for Iran only', 'for Iran and Libya', 'for none'."""
    under = rise.clients[rise.clients["recipient"].isin(list(members))]
    rising = list(under.loc[under["value"] > 0, "recipient"])
    if not rising:
        return "for none"
    if len(rising) == 1:
        return f"for {in_prose(rising[0])} only"
    return f"for {names_text(rising)}"


def part_text(part: int, whole: int) -> str:
    """'all 3' when the part is the whole, else '2 of the 3'."""
    return f"all {whole}" if part == whole else f"{part} of the {whole}"
