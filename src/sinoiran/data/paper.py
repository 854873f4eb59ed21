"""The paper's checkable statements, as the project records them in ``data/claims.toml``.

One :class:`Claim` per statement: where it stands in the paper, a short
paraphrase in the project's words, the value and unit *as printed* (the paper
prints SIPRI TIV figures as US dollars), the period, the source the paper cites,
the kind of check, the claims it restates (``derived_from``) and the
parameters its check needs (suppliers, years, thresholds, comparison periods,
the items of a list). The catalogue is data: nothing of a check's parameters is
written in code. It is read when first used, never at import, and
``claims_table`` writes it to ``data/paper_claims.csv``; :mod:`sinoiran.claims`
recomputes every claim.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.paths import data_dir
from sinoiran.base.releases import ListedItem
from sinoiran.data import reads

#: The catalogue's file, beside the tables.
CATALOGUE_NAME = "claims.toml"
SECTIONS = ("Introduction", "International context", "Main section", "Conclusion")
_REQUIRED = ("id", "section", "where", "paraphrase", "printed", "unit", "period", "cited", "check", "criterion")


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the paper (an entry of ``data/claims.toml``)."""

    claim_id: str
    section: str
    location: str  # the paragraph it stands in
    paraphrase: str
    paper_value: str  # as printed
    value: float | None  # the printed value as a number, in ``unit``
    unit: str
    period: str
    cited_source: str
    kind: str  # the kind of check (see sinoiran.claims.checks)
    criterion: str
    derived_from: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def independent(self) -> bool:
        """True unless the claim restates the data of others (then it is counted once, with them)."""
        return not self.derived_from

    @property
    def number(self) -> float:
        """The printed value as a number; ``ValueError`` for a claim that prints none."""
        if self.value is None:
            raise ValueError(f"{self.claim_id} prints no number")
        return self.value

    @property
    def printed_step(self) -> float:
        """The precision the number is printed at, in ``unit``: "$470 million" -> 1, "$67.1 million" -> 0.1,
        "$4.9 billion" -> 100 (one decimal of a billion, in millions), "0.53 percent" -> 0.01."""
        match = re.search(r"(\d+(?:\.(\d+))?)\s*(billion)?", self.paper_value)
        if match is None:
            raise ValueError(f"{self.claim_id} prints no number in {self.paper_value!r}")
        decimals = len(match[2] or "")
        return 10.0**-decimals * (1000 if match[3] else 1)

    @property
    def printed_decimals(self) -> int:
        """How many decimals of ``unit`` the printed number shows: "$470 million" -> 0,
        "$67.1 million" -> 1, "0.53 percent" -> 2, "$4.9 billion" (in millions) -> 0.

        A number printed in words ("sixty percent") is whole: 0. A recomputed value is
        shown to a reader with as many decimals, so that the two are read at the same
        rounding."""
        if not re.search(r"\d", self.paper_value):
            return 0
        return max(0, -round(math.log10(self.printed_step)))

    def param(self, name: str) -> Any:
        """One of the check's parameters; a ``KeyError`` naming the claim if the catalogue lacks it."""
        if name not in self.params:
            raise KeyError(f"{self.claim_id}: the catalogue gives no {name!r} for its {self.kind!r} check")
        return self.params[name]

    def years(self, name: str = "years") -> tuple[int, int]:
        """A ``[first, last]`` parameter as a pair of years."""
        first, last = self.param(name)
        return int(first), int(last)


def catalogue_path(directory: Path | None = None) -> Path:
    """Where the catalogue lives: ``data/claims.toml``."""
    return (directory or data_dir()) / CATALOGUE_NAME


def read_catalogue(path: Path | None = None) -> list[Claim]:
    """The claims of a catalogue file, in its order; an ``InputError`` naming the entry for a bad one."""
    path = path or catalogue_path()
    if not path.exists():
        raise InputError(path, "claims catalogue not found")
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("claim", [])
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, f"not valid TOML: {error}") from None
    claims: list[Claim] = []
    for n, entry in enumerate(entries, 1):
        missing = [k for k in _REQUIRED if k not in entry]
        if missing:
            raise InputError(path, f"[[claim]] entry {n}: missing {', '.join(missing)}")
        if entry["section"] not in SECTIONS:
            raise InputError(path, f"claim {entry['id']}: unknown section {entry['section']!r}")
        claims.append(
            Claim(
                claim_id=entry["id"],
                section=entry["section"],
                location=entry["where"],
                paraphrase=entry["paraphrase"],
                paper_value=entry["printed"],
                value=float(entry["value"]) if "value" in entry else None,
                unit=entry["unit"],
                period=entry["period"],
                cited_source=entry["cited"],
                kind=entry["check"],
                criterion=entry["criterion"],
                derived_from=tuple(entry.get("derived_from", ())),
                params=dict(entry.get("params", {})),
            )
        )
    ids = [c.claim_id for c in claims]
    doubles = sorted({i for i in ids if ids.count(i) > 1})
    if doubles:
        raise InputError(path, f"claim IDs listed twice: {', '.join(doubles)}")
    unknown = sorted({d for c in claims for d in c.derived_from if d not in ids})
    if unknown:
        raise InputError(path, f"derived_from names unknown claims: {', '.join(unknown)}")
    return claims


_CACHE: dict[tuple[str, float], list[Claim]] = {}


def catalogue() -> list[Claim]:
    """The claims of the current data folder's catalogue (read when first asked, again when it changes)."""
    path = catalogue_path()
    reads.record(path)
    key = (str(path.resolve()), path.stat().st_mtime if path.exists() else 0.0)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = read_catalogue(path)
    return _CACHE[key]


class _ById(Mapping):
    """The catalogue by claim ID (read when first used)."""

    def __getitem__(self, claim_id: str) -> Claim:
        for claim in catalogue():
            if claim.claim_id == claim_id:
                return claim
        raise KeyError(claim_id)

    def __iter__(self) -> Iterator[str]:
        return (c.claim_id for c in catalogue())

    def __len__(self) -> int:
        return len(catalogue())


class _Ids(Sequence):
    """The claim IDs in catalogue order (read when first used)."""

    def __getitem__(self, index):
        return [c.claim_id for c in catalogue()][index]

    def __len__(self) -> int:
        return len(catalogue())


BY_ID: Mapping[str, Claim] = _ById()
CLAIM_IDS: Sequence[str] = _Ids()


def claims_table() -> pd.DataFrame:
    """The catalogue as the ``paper_claims`` table (its parameters stay in the catalogue file)."""
    frame = pd.DataFrame(
        [
            {
                "claim_id": c.claim_id,
                "section": c.section,
                "location": c.location,
                "paraphrase": c.paraphrase,
                "paper_value": c.paper_value,
                "value": c.value,
                "unit": c.unit,
                "period": c.period,
                "cited_source": c.cited_source,
                "kind": c.kind,
                "derived_from": ";".join(c.derived_from),
                "criterion": c.criterion,
            }
            for c in catalogue()
        ]
    )
    frame["value"] = frame["value"].astype("float64")
    return frame


def parse_period(text: str) -> tuple[int, int]:
    """A claim's period as years: '2005-2011' -> (2005, 2011); '2011' -> (2011, 2011)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match:
        raise ValueError(f"not a period: {text!r}")
    start = int(match[1])
    return start, int(match[2] or start)


def listed_items(claim: Claim) -> list[ListedItem]:
    """The items of a claim that lists weapons (its ``items`` parameter)."""
    return [
        ListedItem(
            str(item["item"]),
            bool(item["covered"]),
            str(item["note"]),
            item.get("designation"),
            item.get("description"),
        )
        for item in claim.param("items")
    ]
