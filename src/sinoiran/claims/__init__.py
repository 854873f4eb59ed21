"""Stage 4, the claims: the verdict rule, one check per kind of claim, and the ledger.

The claims stage judges the paper's statements with the analysis stage's
functions; it has no table primitives of its own. The statements and every
parameter of their checks are data (``data/claims.toml``, read by
:mod:`sinoiran.data.paper`); :data:`~sinoiran.claims.checks.CHECKS` maps each
kind of check to the function that applies it. :func:`ledger` takes the loaded
tables (:class:`sinoiran.data.tables.Inputs`) and returns one row per claim and
release, with a numeric and a text value for the paper and the recomputation,
the verdict and the reason in one sentence.
"""

from sinoiran.claims.checks import CHECKS
from sinoiran.claims.ledger import (
    LEDGER_COLUMNS,
    amount_ranges,
    best_verdicts,
    claim_verdicts,
    for_display,
    independent_tally,
    ledger,
    ledger_labels,
    verdict_counts,
    verdict_summary,
    vintage_matrix,
)
from sinoiran.claims.rules import (
    AGREEING,
    DISAGREEING,
    DOTS_LABEL,
    NO_VINTAGE,
    PARTLY,
    TIV_VINTAGES,
    VERDICTS,
    Row,
    Verdict,
    amount_verdict,
    arithmetic_verdict,
    relative_verdict,
)
from sinoiran.data.paper import BY_ID, CLAIM_IDS, listed_items
from sinoiran.data.vintages import REGISTER_LABELS

__all__ = [
    "AGREEING",
    "BY_ID",
    "CHECKS",
    "CLAIM_IDS",
    "DISAGREEING",
    "DOTS_LABEL",
    "LEDGER_COLUMNS",
    "NO_VINTAGE",
    "PARTLY",
    "REGISTER_LABELS",
    "TIV_VINTAGES",
    "VERDICTS",
    "Row",
    "Verdict",
    "amount_ranges",
    "amount_verdict",
    "arithmetic_verdict",
    "best_verdicts",
    "claim_verdicts",
    "for_display",
    "independent_tally",
    "ledger",
    "ledger_labels",
    "listed_items",
    "relative_verdict",
    "verdict_counts",
    "verdict_summary",
    "vintage_matrix",
]
