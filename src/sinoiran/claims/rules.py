"""The verdict vocabulary, the verdict rule for amounts, and the ledger's row.

**Verdicts** are an enum (:class:`Verdict`); their values are the words the
ledger shows.

**The rule for an amount** (a sum or mean of TIV the paper prints), stated once
and applied by :func:`amount_verdict`:

* the printed figure stands for an interval: "$470 million" for 469.5-470.5,
  "$1.6 billion" for 1,550-1,650 million (half its last printed digit either way);
* a recomputed value has a rounding interval of its own where the release prints
  whole millions of TIV (a sum of *n* yearly cells can be off by 0.5 *n*, a mean
  by 0.5);
* *reproduced*: the two intervals meet; *close*: they miss each other by at most
  the tolerance, relative to the printed figure; *differs*: by more.

The tolerance is measured, not chosen: it is how far the releases held move
the same flow over the same years (see
:func:`sinoiran.analysis.review.release_spread`), so a figure within it of a
release could come from another release of SIPRI's database.

A ledger row carries each value twice: a number (``paper_value``,
``recomputed_value``; NaN where the value is not a number) and a text
(``paper_text``, ``recomputed_text``; empty where it is), so that no column
mixes floats and strings. :func:`display_value` joins them for display only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from sinoiran.data.vintages import VINTAGE_LABELS


class Verdict(StrEnum):
    """What a check found; the value is the word the ledger shows."""

    REPRODUCED = "reproduced"
    CLOSE = "close"
    DIFFERS = "differs"
    ARITHMETIC_CONSISTENT = "arithmetic-consistent"
    ARITHMETIC_INCONSISTENT = "arithmetic-inconsistent"
    SUPPORTED = "supported"
    PARTLY_SUPPORTED = "partly-supported"
    NOT_SUPPORTED = "not-supported"
    NOT_TESTABLE = "not-testable"


VERDICTS = tuple(v.value for v in Verdict)
#: Verdicts that count as the paper being borne out.
AGREEING = frozenset({Verdict.REPRODUCED, Verdict.SUPPORTED, Verdict.ARITHMETIC_CONSISTENT})
#: Verdicts that agree with the paper only in part: near its number, or with part of a list.
PARTLY = frozenset({Verdict.CLOSE, Verdict.PARTLY_SUPPORTED})
#: Verdicts that count as the paper being contradicted.
DISAGREEING = frozenset({Verdict.DIFFERS, Verdict.NOT_SUPPORTED, Verdict.ARITHMETIC_INCONSISTENT})
TIV_VINTAGES = VINTAGE_LABELS
DOTS_LABEL = "dots-2022"
NO_VINTAGE = "-"


@dataclass
class Row:
    """One ledger row: a claim checked in one release (or once, where releases do not apply).

    Values are numbers (NaN if not a number) with a text beside them ('' if the value is a number);
    ``reason`` says why the row gets its verdict in one sentence, ``note`` gives the evidence.
    """

    claim_id: str
    vintage: str
    paper_value: float
    paper_text: str
    recomputed_value: float
    recomputed_text: str
    unit: str
    verdict: str
    reason: str
    tolerance: str
    note: str

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: unknown verdict {self.verdict!r}")
        self.verdict = str(Verdict(self.verdict))


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


@dataclass(frozen=True)
class AmountJudgement:
    """The verdict on an amount, and how far the two intervals lie apart (relative to the printed figure)."""

    verdict: Verdict
    distance: float  # 0 where the intervals meet
    direction: str  # "above" or "below" the printed interval ("" where they meet)


def amount_verdict(printed: float, step: float, value: float, slack: float, tolerance: float) -> AmountJudgement:
    """The rule for an amount (see the module docstring), applicable by hand.

    ``step`` is the printed precision (1 for "$470 million", 100 for "$4.9 billion" in millions), ``slack``
    the recomputed value's own rounding (0.5 per whole-TIV cell of a sum; 0 for a release with decimals),
    ``tolerance`` the relative distance still called *close*.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no recomputed value to compare")
    low, high = printed - step / 2, printed + step / 2
    if value + slack >= low - 1e-9 and value - slack <= high + 1e-9:
        return AmountJudgement(Verdict.REPRODUCED, 0.0, "")
    if value + slack < low:
        distance, direction = (low - (value + slack)) / abs(printed), "below"
    else:
        distance, direction = ((value - slack) - high) / abs(printed), "above"
    verdict = Verdict.CLOSE if distance <= tolerance + 1e-12 else Verdict.DIFFERS
    return AmountJudgement(verdict, distance, direction)


def relative_verdict(paper: float, value: float, tolerance: float) -> Verdict:
    """*reproduced* if ``value`` is within ``tolerance`` (relative) of ``paper``, else *differs*."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("no recomputed value to compare")
    return Verdict.REPRODUCED if abs(value - paper) <= tolerance * abs(paper) + 1e-12 else Verdict.DIFFERS


def arithmetic_verdict(printed: float, computed: float, decimals: int) -> Verdict:
    """Consistent if ``computed`` rounds (half away from zero) to ``printed`` at ``decimals`` places."""
    scale = 10**decimals
    rounded = math.floor(abs(computed) * scale + 0.5) / scale * (1 if computed >= 0 else -1)
    return (
        Verdict.ARITHMETIC_CONSISTENT
        if math.isclose(rounded, printed, abs_tol=1e-9)
        else Verdict.ARITHMETIC_INCONSISTENT
    )


def criterion_verdict(holds: bool, in_part: bool = False) -> Verdict:
    """The verdict of a criterion: *supported* if it holds, *partly supported* if it holds in part, else not."""
    if holds:
        return Verdict.SUPPORTED
    return Verdict.PARTLY_SUPPORTED if in_part else Verdict.NOT_SUPPORTED
