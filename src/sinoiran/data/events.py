"""The dated events the analysis refers to, compiled by the project.

Each event has an ISO date, the precision the date is known to (``day`` or
``month``), a kind, a short description written for this project, and the
public document that fixes the date. Sanctions also carry what they did, as a
short code (``measure``: ``arms-to-iran`` ...), and Security Council
resolutions their vote and China's vote, from the UN's record of the meeting.
:func:`events_table` returns them as the ``events`` table written to
``data/events.csv``.
"""

from __future__ import annotations

import pandas as pd

EVENT_COLUMNS = ["event_id", "date", "precision", "kind", "description", "source", "measure", "vote", "china_vote"]

#: What each sanction did, as a code the claims compare with the paper's description:
#: nuclear-missile-items (supply of nuclear- and missile-related items banned), arms-from-iran (Iran's arms
#: exports banned), travel-assets-dual-use (travel bans and asset freezes widened, dual-use items added),
#: reaffirm (no new measures), major-arms-to-iran (supply of major conventional arms to Iran banned),
#: arms-to-iran (all arms to Iran banned), mtcr-items (missile-technology items banned).
MEASURES: dict[str, str] = {
    "unsc-1737": "nuclear-missile-items",
    "eu-2007-140": "mtcr-items",
    "unsc-1747": "arms-from-iran",
    "eu-2007-246": "arms-to-iran",
    "unsc-1803": "travel-assets-dual-use",
    "unsc-1835": "reaffirm",
    "unsc-1929": "major-arms-to-iran",
    "eu-2010-413": "arms-to-iran",
}

#: Security Council votes (for-against-abstaining) and China's vote, from the UN's press release of the meeting.
VOTES: dict[str, tuple[str, str, str]] = {
    "unsc-1737": ("15-0-0", "for", "UN press release SC/8928, 23 Dec 2006"),
    "unsc-1747": ("15-0-0", "for", "UN press release SC/8980, 24 Mar 2007"),
    "unsc-1803": ("14-0-1", "for", "UN press release SC/9268, 3 Mar 2008 (Indonesia abstained)"),
    "unsc-1835": ("15-0-0", "for", "UN press release SC/9459, 27 Sep 2008"),
    "unsc-1929": (
        "12-2-1",
        "for",
        "UN press release SC/9948, 9 Jun 2010 (Brazil and Turkey against, Lebanon abstained)",
    ),
}

# (event_id, date, precision, kind, description, source)
_EVENTS: list[tuple[str, str, str, str, str, str]] = [
    (
        "prc-reform",
        "1978-12-18",
        "month",
        "china",
        "Third Plenum of the CCP's 11th Central Committee opens China's reform and opening",
        "Communique of the Third Plenary Session of the 11th CPC Central Committee, Dec 1978",
    ),
    (
        "revolution",
        "1979-02-11",
        "day",
        "iran-domestic",
        "The monarchy falls and the Islamic Revolution takes power in Iran",
        "Standard chronology of the Iranian Revolution (fall of the Bakhtiar government, 11 Feb 1979)",
    ),
    (
        "war-start",
        "1980-09-22",
        "day",
        "war",
        "Iraq invades Iran; the Iran-Iraq war begins",
        "UN Security Council resolution 479 (28 Sep 1980) on the situation between Iran and Iraq",
    ),
    (
        "war-end",
        "1988-08-20",
        "day",
        "war",
        "Ceasefire under Security Council resolution 598 ends the Iran-Iraq war",
        "UN Security Council resolution 598 (1987); UNIIMOG ceasefire of 20 Aug 1988",
    ),
    (
        "rafsanjani",
        "1989-08-03",
        "day",
        "presidency",
        "Akbar Hashemi Rafsanjani takes office as president of Iran",
        "Official inauguration record, Aug 1989",
    ),
    (
        "ussr-end",
        "1991-12-26",
        "day",
        "international",
        "The Supreme Soviet dissolves the Soviet Union; Russia succeeds to its seat",
        "Declaration No. 142-N of the Soviet of the Republics, 26 Dec 1991",
    ),
    (
        "khatami",
        "1997-08-03",
        "day",
        "presidency",
        "Mohammad Khatami takes office as president of Iran",
        "Official inauguration record, Aug 1997",
    ),
    (
        "ahmadinejad-1",
        "2005-08-03",
        "day",
        "presidency",
        "Mahmoud Ahmadinejad takes office as president of Iran (first term)",
        "Official inauguration record, Aug 2005",
    ),
    (
        "unsc-1737",
        "2006-12-23",
        "day",
        "sanctions",
        "UN Security Council resolution 1737 bans supply of nuclear- and missile-related items to Iran",
        "UN Security Council resolution 1737 (S/RES/1737, 2006)",
    ),
    (
        "eu-2007-140",
        "2007-02-27",
        "day",
        "sanctions",
        "EU Common Position 2007/140/CFSP puts the UN measures against Iran into EU law",
        "Council Common Position 2007/140/CFSP, OJ L 61, 28.2.2007",
    ),
    (
        "eu-2007-246",
        "2007-04-23",
        "day",
        "sanctions",
        "EU Common Position 2007/246/CFSP bans the sale, supply or transfer to Iran of arms and related materiel "
        "of all types (the EU arms embargo)",
        "Council Common Position 2007/246/CFSP, OJ L 106, 24.4.2007",
    ),
    (
        "unsc-1747",
        "2007-03-24",
        "day",
        "sanctions",
        "UN Security Council resolution 1747 bans arms exports from Iran and urges restraint in arms sales to it",
        "UN Security Council resolution 1747 (S/RES/1747, 2007)",
    ),
    (
        "nie-2007",
        "2007-12-03",
        "day",
        "intelligence",
        "US National Intelligence Estimate judges that Iran halted its nuclear weapons programme in autumn 2003, "
        "defining the programme as design and weaponisation work and covert uranium conversion- and "
        "enrichment-related work; Iran's declared uranium enrichment went on",
        "Office of the DNI, 'Iran: Nuclear Intentions and Capabilities', NIE key judgments, Nov 2007, released 3 Dec 2007",
    ),
    (
        "unsc-1803",
        "2008-03-03",
        "day",
        "sanctions",
        "UN Security Council resolution 1803 widens travel bans and asset freezes and adds dual-use items",
        "UN Security Council resolution 1803 (S/RES/1803, 2008)",
    ),
    (
        "unsc-1835",
        "2008-09-27",
        "day",
        "sanctions",
        "UN Security Council resolution 1835 reaffirms the earlier resolutions without new measures",
        "UN Security Council resolution 1835 (S/RES/1835, 2008)",
    ),
    (
        "ahmadinejad-2",
        "2009-08-05",
        "day",
        "presidency",
        "Ahmadinejad is sworn in for a second term",
        "Official inauguration record, Aug 2009",
    ),
    (
        "unsc-1929",
        "2010-06-09",
        "day",
        "sanctions",
        "UN Security Council resolution 1929 bans supply to Iran of major conventional arms (tanks, combat aircraft, warships, missiles)",
        "UN Security Council resolution 1929 (S/RES/1929, 2010)",
    ),
    (
        "eu-2010-413",
        "2010-07-26",
        "day",
        "sanctions",
        "EU Council Decision 2010/413/CFSP replaces Common Position 2007/140 and extends the EU's restrictive "
        "measures on Iran; the arms embargo in force since April 2007 continues",
        "Council Decision 2010/413/CFSP, OJ L 195, 27.7.2010",
    ),
    (
        "s300-halt",
        "2010-09-22",
        "day",
        "russia",
        "Russian presidential decree bars deliveries of S-300 systems and other listed arms to Iran",
        "Decree of the President of the Russian Federation No. 1154, 22 Sep 2010",
    ),
    (
        "ahmadinejad-end",
        "2013-08-03",
        "day",
        "presidency",
        "Ahmadinejad's presidency ends; Hassan Rouhani takes office",
        "Official inauguration record, Aug 2013",
    ),
    (
        "s300-lift",
        "2015-04-13",
        "day",
        "russia",
        "Russian presidential decree lifts the ban on S-300 deliveries to Iran",
        "Decree of the President of the Russian Federation No. 194, 13 Apr 2015",
    ),
    (
        "jcpoa",
        "2015-07-14",
        "day",
        "international",
        "Iran and the E3/EU+3 conclude the Joint Comprehensive Plan of Action",
        "Joint Comprehensive Plan of Action, Vienna, 14 Jul 2015",
    ),
]


def events_table() -> pd.DataFrame:
    """The events as a table sorted by date (``date`` as an ISO string); ``measure``, ``vote`` and
    ``china_vote`` are missing where they do not apply. A vote's source is added to the event's source."""
    frame = pd.DataFrame.from_records(_EVENTS, columns=EVENT_COLUMNS[:6])
    frame["measure"] = frame["event_id"].map(MEASURES)
    frame["vote"] = frame["event_id"].map({k: v[0] for k, v in VOTES.items()})
    frame["china_vote"] = frame["event_id"].map({k: v[1] for k, v in VOTES.items()})
    voted = frame["event_id"].isin(list(VOTES))
    frame.loc[voted, "source"] = (
        frame.loc[voted, "source"] + "; vote: " + frame.loc[voted, "event_id"].map({k: v[2] for k, v in VOTES.items()})
    )
    return frame.sort_values(["date", "event_id"], kind="stable").reset_index(drop=True)


#: Calendar years attributed to each president (a year goes to whoever held office for most of it;
#: presidents took office in early August).
PRESIDENCIES: dict[str, tuple[int, int]] = {
    "Rafsanjani": (1990, 1997),
    "Khatami": (1998, 2005),
    "Ahmadinejad": (2006, 2013),
}


def event_month(events: pd.DataFrame, event_id: str) -> tuple[int, int]:
    """(year, month) of an event in the events table."""
    row = events[events["event_id"] == event_id]
    if row.empty:
        raise KeyError(f"no event {event_id!r} in the events table")
    date = row["date"].iloc[0]
    return date.year, date.month
