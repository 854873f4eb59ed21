"""Country names: one spelling per country across SIPRI releases and the IMF's tables.

Two tables, applied for different reasons:

* :data:`ALIASES` are spellings of the *same* state that differ between
  releases or publishers ("Turkiye", "United Arab Emirates", "Czech Republic");
  every reader applies them through :func:`canonical_country`.
* :data:`PREDECESSORS` are *different* states that a question may want to read
  as one ("Soviet Union" and Russia, West Germany and Germany). SIPRI lists them
  apart, and so do the project's tables; only a function that is asked to merge
  them does so, through :func:`successor`.
"""

from __future__ import annotations

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
    "Swaziland": "Eswatini",
    "Vietnam": "Viet Nam",
    "Cote d'Ivoire": "Côte d'Ivoire",
    "Bosnia-Herzegovina": "Bosnia and Herzegovina",
    "DRC": "DR Congo",
    "China, P.R.: Mainland": "China",
    "Iran, Islamic Rep. of": "Iran",
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
