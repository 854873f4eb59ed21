"""Country names: one spelling per country across SIPRI releases and the IMF's tables, and the names people type.

Three tables, applied for different reasons:

* :data:`ALIASES` are spellings of the *same* state that differ between
  releases or publishers ("Turkiye", "United Arab Emirates", "Czech Republic");
  every reader applies them through :func:`canonical_country`.
* :data:`PREDECESSORS` are *different* states that a question may want to read
  as one ("Soviet Union" and Russia, West Germany and Germany). SIPRI lists them
  apart, and so do the project's tables; only a function that is asked to merge
  them does so, through :func:`successor`.
* :data:`TYPED` are names a user types that no export prints ("US",
  "PRC", "Persia" is not one of them): they are accepted wherever a user names a
  country (``--recipients``, ``--suppliers``, papermill's ``recipient`` and
  ``suppliers``), through :func:`resolve`, never applied to a file's cells.

:func:`resolve` turns a typed name into the spelling of the data, or refuses
it in one line listing the closest names the data holds. SIPRI's names for
non-state actors (``Hezbollah (Lebanon)*``), international organisations
(``NATO**``) and unknown parties are kept as SIPRI prints them;
:func:`actor_kind` tells them apart from states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sinoiran.base.errors import UsageError

#: Spellings seen in SIPRI and IMF exports, mapped to the name this project uses.
#: SIPRI's own short names are kept where the releases agree ("UAE").
ALIASES: dict[str, str] = {
    "USA": "United States",
    "United States of America": "United States",
    "United Arab Emirates": "UAE",
    "Turkiye": "Turkey",
    "Türkiye": "Turkey",
    "Czech Republic": "Czechia",
    "Macedonia (FYROM)": "North Macedonia",
    "Macedonia": "North Macedonia",
    "Russian Federation": "Russia",
    "Korea, South": "South Korea",
    "Korea, North": "North Korea",
    "Burma": "Myanmar",
    "Myanmar (Burma)": "Myanmar",
    "DRC (Zaire)": "DR Congo",
    "Guinea Bissau": "Guinea-Bissau",
    "Swaziland": "Eswatini",
    "Vietnam": "Viet Nam",
    "Cote d'Ivoire": "Côte d'Ivoire",
    "Bosnia-Herzegovina": "Bosnia and Herzegovina",
    "DRC": "DR Congo",
    "China, P.R.: Mainland": "China",
    "Iran, Islamic Rep. of": "Iran",
    "eSwatini": "Eswatini",
    "Cabo Verde": "Cape Verde",
}

#: Names people type for a country that no export prints; matched without regard to case, accents or dots.
TYPED: dict[str, str] = {
    "US": "United States",
    "U.S.": "United States",
    "U.S.A.": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "U.K.": "United Kingdom",
    "Britain": "United Kingdom",
    "Great Britain": "United Kingdom",
    "PRC": "China",
    "P.R.C.": "China",
    "People's Republic of China": "China",
    "China, People's Republic of": "China",
    "Mainland China": "China",
    "USSR": "Soviet Union",
    "U.S.S.R.": "Soviet Union",
    "Republic of Turkey": "Turkey",
    "Republic of Türkiye": "Turkey",
    "Emirates": "UAE",
    "Islamic Republic of Iran": "Iran",
    "Iran (Islamic Republic of)": "Iran",
    "KSA": "Saudi Arabia",
    "Kingdom of Saudi Arabia": "Saudi Arabia",
    "ROK": "South Korea",
    "Republic of Korea": "South Korea",
    "DPRK": "North Korea",
    "Democratic People's Republic of Korea": "North Korea",
    "Syrian Arab Republic": "Syria",
    "Venezuela (Bolivarian Republic of)": "Venezuela",
    "Holland": "Netherlands",
    "The Netherlands": "Netherlands",
    "West Germany": "Germany (FRG)",
    "FRG": "Germany (FRG)",
    "East Germany": "East Germany (GDR)",
    "GDR": "East Germany (GDR)",
    "Ivory Coast": "Côte d'Ivoire",
    "Democratic Republic of the Congo": "DR Congo",
    "Bosnia": "Bosnia and Herzegovina",
}

#: States SIPRI lists apart that a question may merge into their successor.
PREDECESSORS: dict[str, str] = {
    "Soviet Union": "Russia",
    "Germany (FRG)": "Germany",
}

#: The recipients whose US imports the paper compares with Iran's Chinese imports.
NEIGHBOURS: tuple[str, ...] = ("Pakistan", "Turkey", "Saudi Arabia", "UAE")


def canonical_country(name: str) -> str:
    """The project's spelling of a country name (inner spaces collapsed, aliases applied)."""
    cleaned = " ".join(name.split())
    return ALIASES.get(cleaned, cleaned)


def successor(name: str) -> str:
    """The state a predecessor is merged into when a function is asked to merge them (else the name itself)."""
    return PREDECESSORS.get(name, name)


#: Country names that take "the" in running text.
WITH_ARTICLE = frozenset(
    {"United States", "United Kingdom", "UAE", "Netherlands", "Philippines", "Soviet Union", "DR Congo", "Bahamas"}
)


def in_prose(name: str) -> str:
    """A country name as it reads in a sentence: 'the United States', 'Pakistan'."""
    return f"the {name}" if name in WITH_ARTICLE else name


def possessive(name: str) -> str:
    """'Iran' -> "Iran's", 'the United States' -> "the United States'"."""
    return name + ("'" if name.endswith("s") else "'s")


#: What SIPRI's names say of who a party is: states are plain names; SIPRI marks non-state armed groups
#: with one asterisk, international organisations with two, and writes "unknown ..." for unknown parties.
def actor_kind(name: str) -> str:
    """'state', 'non-state actor', 'international organisation' or 'unknown', from SIPRI's name of a party."""
    if name.endswith("**"):
        return "international organisation"
    if name.endswith("*"):
        return "non-state actor"
    if name.lower().startswith("unknown"):
        return "unknown"
    return "state"


def party_name(name: str) -> str:
    """A party's name as people type it: SIPRI's marks and its country in brackets left out
    ("Hezbollah (Lebanon)*" -> "Hezbollah", "NATO**" -> "NATO")."""
    return re.sub(r"\s*\([^)]*\)$", "", name.rstrip("*")).strip()


def _folded(name: str) -> str:
    """A name without case, accents, dots or extra spaces, for matching what people type."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.replace(".", "").replace("\u2019", "'").lower().split())


class UnknownName(UsageError):
    """A name a user typed that the data does not hold; the message lists the closest names it does hold."""


def resolve(typed: str, known: Iterable[str], *, what: str = "country", where: str = "") -> str:
    """The spelling in ``known`` of a country a user typed (aliases, case and accents do not matter).

    ``known`` are the names the data at hand holds (a release's recipients, a
    file's suppliers). Raises :class:`UnknownName`, one line listing the closest
    names in ``known``, when nothing matches; ``where`` says what was searched
    ("in release 2016").
    """
    import difflib

    known = sorted(set(known))
    by_fold = {_folded(k): k for k in known}
    candidates = [typed, canonical_country(typed)]
    typed_alias = {_folded(k): v for k, v in TYPED.items()}
    alias_fold = {_folded(k): v for k, v in ALIASES.items()}
    for name in (typed, canonical_country(typed)):
        for table in (typed_alias, alias_fold):
            target = table.get(_folded(name))
            if target:
                candidates += [target, canonical_country(target)]
    for candidate in candidates:
        if candidate in by_fold.values():
            return candidate
        if _folded(candidate) in by_fold:
            return by_fold[_folded(candidate)]
    parties = [k for k in known if actor_kind(k) != "state" and _folded(party_name(k)) == _folded(typed)]
    if len(parties) == 1:  # "Hezbollah" is SIPRI's "Hezbollah (Lebanon)*"
        return parties[0]
    place = f" {where}" if where else ""
    meant = next((c for c in candidates[1:] if _folded(c) != _folded(typed)), None)
    listed = ", ".join(known[:6]) + (", ..." if len(known) > 6 else "")
    if meant is not None:  # a name we know ("Turkiye" is Turkey), which these data do not hold
        raise UnknownName(
            f"{what} {typed!r} is {meant}, which is not among the {len(known)} {what}"
            f"{'' if len(known) == 1 else 's'}{place} ({listed})"
        )
    close = difflib.get_close_matches(_folded(typed), list(by_fold), n=4, cutoff=0.6)
    if not close:  # a part of a longer name: "Korea" for "South Korea", "Hezbollah" for "Hezbollah (Lebanon)*"
        close = [f for f in by_fold if _folded(typed) in f][:4]
    held = f"{len(known)} name{'' if len(known) == 1 else 's'} held: {listed}" if known else "no names held"
    hint = f"; closest: {', '.join(by_fold[c] for c in close)}" if close else f"; {held}"
    raise UnknownName(f"unknown {what} {typed!r}{place}{hint}")


def resolve_all(typed: Iterable[str], known: Iterable[str], *, what: str = "country", where: str = "") -> list[str]:
    """:func:`resolve` for each name, in order (the first unknown one is refused)."""
    held = list(known)
    return [resolve(name, held, what=what, where=where) for name in typed]
