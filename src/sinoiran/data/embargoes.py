"""UN Security Council arms embargoes on the recipients the panel compares, compiled by the project.

Each row is one measure: the state it targets (spelt as the project's tables
spell recipients), the resolution that imposed it and the day that resolution
was adopted, what it covers (:data:`SCOPES`), and, where a later resolution
ended or narrowed it, that resolution and the day its measure ceased. The
source of every date is the resolution itself (its number and adoption date,
``S/RES/<n> (<year>)``); a measure is listed only if both ends can be dated so.
:func:`embargoes_table` returns them as the ``un_embargoes`` table written to
``data/un_embargoes.csv``.

A measure that a resolution *narrowed* (from all arms to non-governmental forces
only) is ended on that day and, where the panel needs it, followed by a row for
the narrower measure. The scope says whom the ban protects against, not how
strictly it was enforced: several embargoes allowed supplies to the government
with a committee's approval.
"""

from __future__ import annotations

import pandas as pd

EMBARGO_COLUMNS = [
    "embargo_id",
    "target",
    "resolution",
    "adopted",
    "scope",
    "ended_by",
    "ended",
    "description",
    "source",
]

#: What a measure bans, in the project's words.
SCOPES: dict[str, str] = {
    "all-arms": "supplies of arms of all types to the state (its government included)",
    "major-arms": "supplies of major conventional arms to the state",
    "region": "supplies to every party in a region of the state, the government's forces there included",
    "non-government": "supplies to non-governmental forces in the state only",
    "exports-from": "arms exports from the state only",
}

#: Scopes that ban supplies to the state's own forces: what "under a UN arms embargo" means in the panel.
ON_STATE_SCOPES: tuple[str, ...] = ("all-arms", "major-arms", "region")


def _source(resolution: int, adopted: str, extra: tuple[int, str] | None = None) -> str:
    """The document that fixes the dates: the resolution, and the one that ended the measure."""
    text = f"UN Security Council resolution {resolution} (S/RES/{resolution} ({adopted[:4]})), adopted {adopted}"
    if extra:
        number, day = extra
        text += f"; ended by resolution {number} (S/RES/{number} ({day[:4]})), adopted {day}"
    return text


# (embargo_id, target, resolution, adopted, scope, ended_by, ended, description)
_EMBARGOES: list[tuple[str, str, int, str, str, int | None, str | None, str]] = [
    (
        "sierra-leone-1132",
        "Sierra Leone",
        1132,
        "1997-10-08",
        "all-arms",
        1171,
        "1998-06-05",
        "Bans the sale or supply of arms and related materiel of all types to Sierra Leone",
    ),
    (
        "sierra-leone-1171",
        "Sierra Leone",
        1171,
        "1998-06-05",
        "non-government",
        1940,
        "2010-09-29",
        "Ends the embargo on the government; arms may reach Sierra Leone only through the government's named points of entry",
    ),
    (
        "dr-congo-1493",
        "DR Congo",
        1493,
        "2003-07-28",
        "non-government",
        None,
        None,
        "Bans supplies to foreign and Congolese armed groups and militias in North and South Kivu and Ituri",
    ),
    (
        "liberia-1521",
        "Liberia",
        1521,
        "2003-12-22",
        "all-arms",
        1903,
        "2009-12-17",
        "Bans supplies of arms to Liberia (from 2006 the committee could approve supplies to vetted government forces); "
        "resolution 1903 ends it for the government, which then only notifies the committee",
    ),
    (
        "sudan-1556",
        "Sudan",
        1556,
        "2004-07-30",
        "non-government",
        None,
        None,
        "Bans supplies to non-governmental entities and individuals operating in Darfur",
    ),
    (
        "cote-divoire-1572",
        "Côte d'Ivoire",
        1572,
        "2004-11-15",
        "all-arms",
        2283,
        "2016-04-28",
        "Bans supplies of arms to Côte d'Ivoire, with supplies for the restructuring of its forces approved by the committee",
    ),
    (
        "sudan-1591",
        "Sudan",
        1591,
        "2005-03-29",
        "region",
        None,
        None,
        "Extends the Darfur embargo to every party to the N'Djamena ceasefire in Darfur, the government's forces included",
    ),
    (
        "north-korea-1718",
        "North Korea",
        1718,
        "2006-10-14",
        "major-arms",
        None,
        None,
        "Bans supplies to the DPRK of battle tanks, armoured combat vehicles, large-calibre artillery, combat aircraft, "
        "attack helicopters, warships and missiles, and arms exports from it",
    ),
    (
        "iran-1747",
        "Iran",
        1747,
        "2007-03-24",
        "exports-from",
        2231,
        "2020-10-18",
        "Bans arms exports from Iran and calls for restraint in supplying major arms to it; resolution 2231 keeps "
        "the ban on exports until five years after the JCPOA's Adoption Day",
    ),
    (
        "eritrea-1907",
        "Eritrea",
        1907,
        "2009-12-23",
        "all-arms",
        2444,
        "2018-11-14",
        "Bans supplies of arms to Eritrea and arms exports from it",
    ),
    (
        "iran-1929",
        "Iran",
        1929,
        "2010-06-09",
        "major-arms",
        2231,
        "2020-10-18",
        "Bans supplies to Iran of battle tanks, armoured combat vehicles, large-calibre artillery, combat aircraft, "
        "attack helicopters, warships and missiles; resolution 2231 requires the Council's approval for them until "
        "five years after the JCPOA's Adoption Day",
    ),
    (
        "libya-1970",
        "Libya",
        1970,
        "2011-02-26",
        "all-arms",
        None,
        None,
        "Bans supplies of arms of all types to Libya and arms exports from it",
    ),
    (
        "central-african-republic-2127",
        "Central African Republic",
        2127,
        "2013-12-05",
        "all-arms",
        2745,
        "2024-07-30",
        "Bans supplies of arms to the Central African Republic; resolution 2745 lifts it for the government and keeps "
        "it on armed groups",
    ),
    (
        "south-sudan-2428",
        "South Sudan",
        2428,
        "2018-07-13",
        "all-arms",
        None,
        None,
        "Bans supplies of arms of all types to South Sudan",
    ),
    (
        "somalia-733",
        "Somalia",
        733,
        "1992-01-23",
        "all-arms",
        2714,
        "2023-12-01",
        "Bans all deliveries of weapons and military equipment to Somalia; resolution 2714 lifts it for the government",
    ),
]


def embargoes_table() -> pd.DataFrame:
    """The embargoes as a table sorted by adoption date (dates as ISO strings, ``ended`` empty while in force)."""
    rows = []
    for embargo_id, target, resolution, adopted, scope, ended_by, ended, description in _EMBARGOES:
        extra = (ended_by, ended) if ended_by is not None and ended is not None else None
        rows.append(
            {
                "embargo_id": embargo_id,
                "target": target,
                "resolution": resolution,
                "adopted": adopted,
                "scope": scope,
                "ended_by": ended_by,
                "ended": ended,
                "description": description,
                "source": _source(resolution, adopted, extra),
            }
        )
    frame = pd.DataFrame(rows, columns=EMBARGO_COLUMNS)
    frame["resolution"] = frame["resolution"].astype("int64")
    frame["ended_by"] = frame["ended_by"].astype("Int64")
    frame["ended"] = frame["ended"].astype("string")
    return frame.sort_values(["adopted", "embargo_id"], kind="stable").reset_index(drop=True)
