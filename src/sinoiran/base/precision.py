"""The precision policy: how a number is rounded before anything stores or prints it.

The last binary digits of a float depend on the CPU, on the BLAS thread count
and even on the process's allocation history (NumPy picks SIMD paths and
summation orders by memory alignment), so full-precision digits are not
reproducible from one machine to another; rounded ones are. Every number a
chapter stores as an output (a glued value, a JSON dump, a displayed table, a
note of the claims ledger, the content of a figure) goes through this module.

========== ============================ ======================================
kind       stored as                    used for
========== ============================ ======================================
tiv        1 decimal                    millions of SIPRI TIV
money      1 decimal                    millions or billions of US dollars
percent    2 decimals                   percentages and percentage points
share      4 decimals                   fractions between 0 and 1
p_value    3 significant digits         p-values
statistic  4 significant digits         coefficients, test statistics, ratios
figure     4 significant digits         the data a figure draws
number     6 significant digits         anything else (the default)
========== ============================ ======================================

Integers (counts, years) are kept exactly. Before the final rounding a value
is *snapped* to 10 significant digits (:func:`snap`), so that a value that sits
exactly on a rounding half (an integer sum divided by 4, say) rounds the same
way when noise of 1e-12 moves it to either side; values below 1e-12 in absolute
size become zero, and a negative zero becomes zero. Text that prints a number
with a format (``f"{x:.0f}"``) formats ``snap(x)`` for the same reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: Significant digits of the snap applied before every final rounding.
SNAP_DIGITS = 10
#: Absolute values below this are stored as exactly zero.
ZERO_BELOW = 1e-12


def snap(value: float) -> float:
    """``value`` at 10 significant digits (noise of up to ~1e-11 relative gone), tiny values as zero, no -0.0."""
    value = float(value)
    if not math.isfinite(value):
        return value
    if abs(value) < ZERO_BELOW:
        return 0.0
    return float(f"{value:.{SNAP_DIGITS}g}") + 0.0


@dataclass(frozen=True)
class Precision:
    """How a kind of number is stored: ``digits`` decimals, or ``digits`` significant digits."""

    digits: int
    significant: bool = False
    used_for: str = field(default="", compare=False)

    def describe(self) -> str:
        """The rule in words, e.g. "1 decimal" or "3 significant digits"."""
        unit = "significant digit" if self.significant else "decimal"
        return f"{self.digits} {unit}{'' if self.digits == 1 else 's'}"

    def round(self, value: float) -> float:
        """``value`` rounded by this rule, after the snap that makes ties and noise harmless."""
        snapped = snap(value)
        if not math.isfinite(snapped) or snapped == 0.0:
            return snapped
        if self.significant:
            return float(f"{snapped:.{self.digits}g}") + 0.0
        return round(snapped, self.digits) + 0.0


#: The precision policy: how each kind of number is stored (see the module docstring).
PRECISION: dict[str, Precision] = {
    "tiv": Precision(1, used_for="millions of SIPRI TIV"),
    "money": Precision(1, used_for="millions or billions of US dollars"),
    "percent": Precision(2, used_for="percentages and percentage points"),
    "share": Precision(4, used_for="fractions between 0 and 1"),
    "p_value": Precision(3, significant=True, used_for="p-values"),
    "statistic": Precision(4, significant=True, used_for="coefficients, test statistics, ratios"),
    "figure": Precision(4, significant=True, used_for="the data a figure draws"),
    "number": Precision(6, significant=True, used_for="anything else (the default)"),
}


def as_python(value):
    """Convert numpy scalars to plain Python numbers (``309.0``, not ``np.float64(309.0)``)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def stored(value, kind: str | Precision = "number"):
    """``value`` as a chapter may store it: floats rounded by the policy for ``kind``; other values unchanged.

    Works on scalars, and recursively on lists, tuples and dicts (for JSON dumps).
    """
    rule = kind if isinstance(kind, Precision) else PRECISION[kind]
    value = as_python(value)
    if isinstance(value, dict):
        return {k: stored(v, rule) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(stored(v, rule) for v in value)
    if isinstance(value, float):
        return rule.round(value)
    return value


def round_snapped(value: float, digits: int) -> float:
    """``round(value, digits)``, after the snap: the same result for a value on a half and its noisy twins."""
    return Precision(digits).round(value)
