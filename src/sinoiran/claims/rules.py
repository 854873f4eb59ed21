"""The verdict vocabulary, the verdict rules, and the ledger's row.

A ledger row carries each value twice: a number (``paper_value``,
``recomputed_value``; NaN where the value is not a number) and a text
(``paper_text``, ``recomputed_text``; empty where it is), so that no column
mixes floats and strings. :func:`display_value` joins them for display only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sinoiran.base.precision import round_snapped, snap
from sinoiran.data.paper import Claim
from sinoiran.data.vintages import VINTAGE_LABELS

VERDICTS = (
    "reproduced",
    "close",
    "differs",
    "arithmetic-consistent",
    "arithmetic-inconsistent",
    "supported",
    "partly-supported",
    "not-supported",
    "not-testable",
)
#: Verdicts that count as the paper being borne out.
AGREEING = frozenset({"reproduced", "supported", "arithmetic-consistent"})
#: Verdicts that agree with the paper only in part: near its number, or with part of a list.
PARTLY = frozenset({"close", "partly-supported"})
#: Verdicts that count as the paper being contradicted.
DISAGREEING = frozenset({"differs", "not-supported", "arithmetic-inconsistent"})
TIV_VINTAGES = VINTAGE_LABELS
DOTS_LABEL = "dots-2022"
NO_VINTAGE = "-"


@dataclass
class Row:
    """One ledger row: a claim checked in one vintage (or once, where vintages do not apply).

    Values are numbers (NaN if not a number) with a text beside them ('' if the value is a number).
    """

    claim_id: str
    vintage: str
    paper_value: float
    paper_text: str
    recomputed_value: float
    recomputed_text: str
    unit: str
    verdict: str
    tolerance: str
    note: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: unknown verdict {self.verdict!r}")


def split_value(value: float | str | None) -> tuple[float, str]:
    """(number, text) for a ledger value: a number keeps '' as text, a text gets NaN, None gets (NaN, '')."""
    if value is None:
        return math.nan, ""
    if isinstance(value, str):
        return math.nan, value
    return float(value), ""


def display_value(number: float, text: str) -> float | str | None:
    """The value a reader sees: the number if there is one, else the text, else None (shown as a dash)."""
    if number == number:  # not NaN
        return number
    return text or None


def printed_verdict(paper: float, value: float, step: float, tolerance: float) -> str:
    """The verdict rule for an amount, applicable by hand.

    *reproduced*: ``value`` rounds (half up) to the printed figure at the precision it is printed with
    (``step``: 1 for "$470 million", 100 for "$4.9 billion" in millions); *close*: not at printed
    precision, but within ``tolerance`` (relative) of it; *differs*: neither.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no recomputed value to compare")
    rounded = math.floor(value / step + 0.5 + 1e-9) * step
    if math.isclose(rounded, paper, rel_tol=1e-9, abs_tol=1e-9):
        return "reproduced"
    return "close" if relative_verdict(paper, value, tolerance) == "reproduced" else "differs"


def relative_verdict(paper: float, value: float, tolerance: float) -> str:
    """``reproduced`` if ``value`` is within ``tolerance`` (relative) of ``paper``, else ``differs``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no recomputed value to compare")
    return "reproduced" if abs(value - paper) <= tolerance * abs(paper) + 1e-12 else "differs"


def arithmetic_verdict(printed: float, computed: float, decimals: int) -> str:
    """Consistent if ``computed`` rounds (half away from zero) to ``printed`` at ``decimals`` places."""
    scale = 10**decimals
    rounded = math.floor(abs(computed) * scale + 0.5) / scale * (1 if computed >= 0 else -1)
    return "arithmetic-consistent" if math.isclose(rounded, printed, abs_tol=1e-9) else "arithmetic-inconsistent"


def tolerance_text(claim: Claim) -> str:
    """The tolerance as shown in the ledger."""
    if claim.tolerance is not None:
        return f"±{claim.tolerance:.0%} relative ({claim.tolerance_reason})"
    return claim.tolerance_reason or "-"


def reason(verdict: str, paper: float, value: float, claim: Claim, note: str) -> str:
    """Why a row gets its verdict, in one sentence a student can follow."""

    def num(x: float) -> str:
        # At the precision the paper prints the claim with, so that the sentence shows the
        # value as the tables do; four significant digits for a claim that prints no number.
        if claim.value is not None:
            return f"{round_snapped(x, claim.printed_decimals):,.{claim.printed_decimals}f}"
        return f"{snap(x):,.4g}" if abs(x) < 1e4 else f"{snap(x):,.0f}"

    criterion = claim.tolerance_reason.removeprefix("criterion: ") if claim.tolerance_reason else ""
    if verdict == "not-testable":
        return note.split(". ")[0].rstrip(".") + "."
    if (
        verdict in ("reproduced", "close", "differs")
        and claim.kind in ("sum", "mean")
        and paper == paper
        and value == value
    ):
        tolerance = f"{claim.tolerance:.0%}" if claim.tolerance is not None else "the"
        if verdict == "reproduced":
            return f"{num(value)} rounds to the printed {claim.paper_value} at the precision it is printed with."
        direction = "above" if value > paper else "below"
        gap = abs(value / paper - 1)
        if verdict == "close":
            return (
                f"{num(value)} is {gap:.1%} {direction} the printed {claim.paper_value}: within the {tolerance} "
                "tolerance, but it does not round to the printed figure."
            )
        return (
            f"{num(value)} is {gap:.0%} {direction} the printed {claim.paper_value}, outside the {tolerance} tolerance."
        )
    if verdict.startswith("arithmetic"):
        holds = "rounds" if verdict == "arithmetic-consistent" else "does not round"
        return f"The paper's own numbers give {num(value)}, which {holds} to its printed {num(paper)}."
    if verdict in ("supported", "partly-supported", "not-supported") and criterion:
        holds = {"supported": "holds", "partly-supported": "holds in part", "not-supported": "does not hold"}[verdict]
        return f"The test ({criterion}) {holds} in this release or register."
    return note.split(". ")[0].rstrip(".") + "."
