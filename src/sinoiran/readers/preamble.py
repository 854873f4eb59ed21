"""What the lines above a SIPRI table say about it: when it was generated, and which years it was asked for.

SIPRI has printed the generation date in several ways:

* ``Generated: 02 November 2007`` (per-country tables of the old site);
* ``Data generated: 14 Jul 2026 2:57:40 AM`` (the current site);
* ``(created: 11-03-2023)``, day-month-year (the 2023 interim site).

and the years an export was restricted to as ``year range '1995' to '2025'``
(current site) or ``the years from 2011 to 2021`` (interim site).
"""

from __future__ import annotations

import datetime as dt
import re

_GENERATED = re.compile(r"(?:Data )?[Gg]enerated:\s*(?P<date>\d{1,2} [A-Za-z]+ \d{4})")
_CREATED = re.compile(r"created:\s*(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})", re.I)
_RANGE = re.compile(r"year range '(?P<a>\d{4})' to '(?P<b>\d{4})'|years from (?P<c>\d{4}) to (?P<d>\d{4})", re.I)


def parse_generated(text: str) -> dt.date | None:
    """The date SIPRI generated an export, from its preamble, or None if it prints none."""
    match = _GENERATED.search(text)
    if match:
        for fmt in ("%d %B %Y", "%d %b %Y"):
            try:
                return dt.datetime.strptime(match["date"], fmt).date()
            except ValueError:
                continue
    match = _CREATED.search(text)
    if match:
        try:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            return None
    return None


def requested_years(text: str) -> tuple[int, int] | None:
    """The year range an export says it was made for, or None if it does not say."""
    match = _RANGE.search(text)
    if not match:
        return None
    first, last = (match["a"], match["b"]) if match["a"] else (match["c"], match["d"])
    return int(first), int(last)
