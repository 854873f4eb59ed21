"""Stage 4, the claims: the verdict rules, one evaluator per claim of the paper, and the ledger.

The claims stage judges the paper's statements with the analysis stage's
functions; it has no table primitives of its own. :func:`ledger` takes the
loaded tables (:class:`sinoiran.data.tables.Inputs`) and returns one row per
claim and vintage, with a numeric and a text value for the paper and the
recomputation. A new check of the paper goes into :mod:`~sinoiran.claims.evaluators`.
"""

from sinoiran.claims.evaluators import EVALUATORS
from sinoiran.claims.ledger import (
    LEDGER_COLUMNS,
    amount_ranges,
    best_verdicts,
    for_display,
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
    arithmetic_verdict,
    printed_verdict,
    relative_verdict,
)
from sinoiran.data.paper import BY_ID, CLAIM_IDS, LISTED_ITEMS
from sinoiran.data.vintages import REGISTER_LABELS

__all__ = [
    "AGREEING",
    "BY_ID",
    "CLAIM_IDS",
    "DISAGREEING",
    "DOTS_LABEL",
    "EVALUATORS",
    "LEDGER_COLUMNS",
    "LISTED_ITEMS",
    "NO_VINTAGE",
    "PARTLY",
    "REGISTER_LABELS",
    "TIV_VINTAGES",
    "VERDICTS",
    "Row",
    "amount_ranges",
    "arithmetic_verdict",
    "best_verdicts",
    "for_display",
    "ledger",
    "ledger_labels",
    "printed_verdict",
    "relative_verdict",
    "verdict_counts",
    "verdict_summary",
    "vintage_matrix",
]
