"""Country names: one spelling per country across SIPRI and IMF releases."""

from __future__ import annotations

#: Spellings seen in the raw exports, mapped to the name this project uses.
#: SIPRI's own short names are kept where the releases agree ("UAE").
ALIASES: dict[str, str] = {
    "USA": "United States",
    "United States of America": "United States",
    "United Arab Emirates": "UAE",
    "Turkiye": "Turkey",
    "Türkiye": "Turkey",
    "China, P.R.: Mainland": "China",
    "Iran, Islamic Rep. of": "Iran",
}

#: The recipients whose US imports the paper compares with Iran's Chinese imports.
NEIGHBOURS: tuple[str, ...] = ("Pakistan", "Turkey", "Saudi Arabia", "UAE")


def canonical_country(name: str) -> str:
    """Return the project's spelling of a country name (stripped of spaces)."""
    cleaned = " ".join(name.split())
    return ALIASES.get(cleaned, cleaned)
