"""The claims ledger: every claim in every release with its verdict, and the summaries the book shows.

Tallies count **independent** claims, once each: a claim that restates the data
of others (``derived_from`` in the catalogue: a mean that is a total divided by
seven, a fall that follows from two means) is shown with them and left out of
the counts. A claim's overall verdict (:func:`claim_verdicts`) says whether it
is borne out in every release or register that can test it, in some, or in
none.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import pandas as pd

from sinoiran.base.errors import UsageError
from sinoiran.base.precision import round_snapped
from sinoiran.claims.checks import CHECKS, context
from sinoiran.claims.rules import (
    AGREEING,
    DISAGREEING,
    DOTS_LABEL,
    NO_VINTAGE,
    PARTLY,
    TIV_VINTAGES,
    VERDICTS,
    display_value,
)
from sinoiran.data.paper import BY_ID, CLAIM_IDS, catalogue
from sinoiran.data.tables import Inputs
from sinoiran.data.vintages import REGISTER_LABELS

LEDGER_COLUMNS = [
    "claim_id",
    "section",
    "kind",
    "independent",
    "vintage",
    "paper_value",
    "paper_text",
    "recomputed_value",
    "recomputed_text",
    "unit",
    "verdict",
    "reason",
    "tolerance",
    "note",
    "reproduced_in",
]


def ledger_labels() -> list[str]:
    """Every vintage label a ledger row can carry."""
    return [*TIV_VINTAGES, *REGISTER_LABELS, f"{DOTS_LABEL}/China", f"{DOTS_LABEL}/Iran", NO_VINTAGE]


def ledger(inputs: Inputs, vintage: str = "all") -> pd.DataFrame:
    """The claims ledger: one row per claim and vintage where it applies.

    ``inputs`` are the loaded tables (:func:`sinoiran.data.tables.load_inputs`).
    ``vintage='all'`` gives every row; a label keeps that vintage's rows plus
    the rows that do not depend on a vintage (``'-'``), so every claim checked
    in that vintage or independently of vintages appears once. Columns:
    ``LEDGER_COLUMNS``; values are numbers with a text beside them
    (:class:`sinoiran.claims.rules.Row`).
    """
    claims = catalogue()
    missing = sorted({c.kind for c in claims if c.kind not in CHECKS})
    if missing:
        raise RuntimeError(f"kinds of check the registry does not know: {', '.join(missing)}")
    labels = ledger_labels()
    if vintage != "all" and vintage not in labels and vintage != DOTS_LABEL:
        raise UsageError(f"unknown vintage {vintage!r}; choose 'all' or one of: {', '.join(labels)}")
    ctx = context(inputs, claims)
    rows = [asdict(row) for claim in claims for row in CHECKS[claim.kind](claim, ctx)]
    frame = pd.DataFrame(rows)
    frame["section"] = frame["claim_id"].map(lambda c: BY_ID[c].section)
    frame["kind"] = frame["claim_id"].map(lambda c: BY_ID[c].kind)
    frame["independent"] = frame["claim_id"].map(lambda c: BY_ID[c].independent)
    agreeing = frame[frame["verdict"].isin(AGREEING) & frame["vintage"].ne(NO_VINTAGE)]
    reproduced_in = agreeing.groupby("claim_id")["vintage"].agg(lambda v: ", ".join(v))
    frame["reproduced_in"] = frame["claim_id"].map(reproduced_in).fillna("")
    frame.loc[
        frame["vintage"].eq(NO_VINTAGE) & frame["reproduced_in"].eq("") & frame["verdict"].isin(AGREEING),
        "reproduced_in",
    ] = "(not vintage-dependent)"
    if vintage != "all":
        keep = (
            frame["vintage"].eq(NO_VINTAGE)
            | frame["vintage"].eq(vintage)
            | frame["vintage"].str.startswith(vintage + "/")
        )
        frame = frame[keep]
    return frame[LEDGER_COLUMNS].reset_index(drop=True)


def verdict_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Verdicts per vintage: rows are vintages, columns verdicts, values counts."""
    counts = frame.groupby(["vintage", "verdict"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[v for v in VERDICTS if v in counts.columns])


def vintage_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """For the SIPRI TIV claims: claim by vintage, the verdict in each cell."""
    tiv_rows = frame[frame["vintage"].isin(TIV_VINTAGES)]
    matrix = tiv_rows.pivot(index="claim_id", columns="vintage", values="verdict")
    order = [c for c in CLAIM_IDS if c in matrix.index]
    return matrix.reindex(index=order, columns=list(TIV_VINTAGES))


def amount_ranges(frame: pd.DataFrame) -> pd.DataFrame:
    """For each distinct SIPRI amount the paper prints (a sum or a mean of TIV; not percentages derived from
    them, not figures from other sources, which the ledger grades not-testable): paper value,
    the smallest and largest recomputed value across TIV vintages, the vintages that
    reproduce it, and how far the nearest vintage lies from the printed value
    (percent of the printed value; negative = below it)."""
    rows = []
    tiv_rows = frame[frame["vintage"].isin(TIV_VINTAGES)]
    for claim_id, group in tiv_rows.groupby("claim_id", sort=False):
        claim = BY_ID[claim_id]
        values = pd.to_numeric(group["recomputed_value"], errors="coerce").dropna()
        if claim.value is None or values.empty or claim.kind not in ("flow-sum", "flow-mean"):
            continue
        nearest = values.iloc[(values - claim.value).abs().argmin()]
        rows.append(
            {
                "claim_id": claim_id,
                "paper": claim.value,
                "lowest": float(values.min()),
                "highest": float(values.max()),
                "vintages": len(values),
                "reproduced_in": ", ".join(group.loc[group["verdict"] == "reproduced", "vintage"]),
                "close_in": ", ".join(group.loc[group["verdict"] == "close", "vintage"]),
                # Signed distance of the nearest release from the printed value, relative to the
                # printed value: the same basis as the tolerance.
                "gap_to_nearest_pct": float(100 * (nearest - claim.value) / claim.value),
            }
        )
    return pd.DataFrame(rows)


def verdict_summary(frame: pd.DataFrame, claim_id: str) -> str:
    """One line per claim: its verdicts grouped by vintage, e.g. 'differs (2016, 2022); not-testable (2007)'."""
    rows = frame[frame["claim_id"] == claim_id]
    if rows.empty:
        raise KeyError(f"claim {claim_id!r} is not in the ledger")
    parts = []
    for verdict in VERDICTS:
        vintages = rows.loc[rows["verdict"] == verdict, "vintage"].tolist()
        if vintages:
            where = ", ".join(v for v in vintages if v != NO_VINTAGE)
            parts.append(f"{verdict} ({where})" if where else verdict)
    return "; ".join(parts)


def best_verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per claim: how many vintages or checks agree with the paper, agree in part (close, partly supported),
    disagree, or cannot test it; whether the agreement comes from the data or only from the paper's own
    arithmetic; and the summary line."""
    rows = []
    for claim_id in [c for c in CLAIM_IDS if c in set(frame["claim_id"])]:
        sub = frame[frame["claim_id"] == claim_id]
        agree = sub["verdict"].isin(AGREEING)
        rows.append(
            {
                "claim_id": claim_id,
                "section": BY_ID[claim_id].section,
                "agree": int(agree.sum()),
                "agree from data": int((agree & sub["verdict"].ne("arithmetic-consistent")).sum()),
                "in part": int(sub["verdict"].isin(PARTLY).sum()),
                "disagree": int(sub["verdict"].isin(DISAGREEING).sum()),
                "not testable": int((sub["verdict"] == "not-testable").sum()),
                "verdicts": verdict_summary(frame, claim_id),
            }
        )
    return pd.DataFrame(rows)


#: A claim's overall verdict across the releases and registers that can test it.
OVERALL = ("borne out", "borne out in part", "not borne out", "not testable")


def claim_verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Per claim: its overall verdict across every release or register that can test it, and whether it is
    independent (counted) or restates others.

    *borne out*: every testable row agrees (reproduced, supported, arithmetic consistent); *not borne out*:
    every testable row disagrees; *borne out in part*: anything between (close, partly supported, or
    releases that disagree with each other); *not testable*: no row can test it. Columns: ``claim_id``,
    ``section``, ``independent``, ``derived_from``, ``overall``, ``testable`` (rows), ``verdicts`` (the
    summary line).
    """
    rows = []
    for claim_id in [c for c in CLAIM_IDS if c in set(frame["claim_id"])]:
        sub = frame[frame["claim_id"] == claim_id]
        tested = sub[sub["verdict"] != "not-testable"]
        if tested.empty:
            overall = "not testable"
        elif tested["verdict"].isin(AGREEING).all():
            overall = "borne out"
        elif tested["verdict"].isin(DISAGREEING).all():
            overall = "not borne out"
        else:
            overall = "borne out in part"
        claim = BY_ID[claim_id]
        rows.append(
            {
                "claim_id": claim_id,
                "section": claim.section,
                "independent": claim.independent,
                "derived_from": ", ".join(claim.derived_from),
                "overall": overall,
                "testable": len(tested),
                "verdicts": verdict_summary(frame, claim_id),
            }
        )
    return pd.DataFrame(rows)


def independent_tally(frame: pd.DataFrame) -> dict[str, int]:
    """How many independent claims are borne out, borne out in part, not borne out, not testable (and in all)."""
    verdicts = claim_verdicts(frame)
    counted = verdicts[verdicts["independent"]]
    tally = {name: int((counted["overall"] == name).sum()) for name in OVERALL}
    tally["independent"] = len(counted)
    tally["derived"] = int((~verdicts["independent"]).sum())
    return tally


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The ledger with each value's number and text joined into one column (``paper_value``,
    ``recomputed_value``) for a reader; never for computation.

    A number is shown as text with as many decimals as the claim's printed figure
    (``Claim.printed_decimals``: "0.53 percent" -> two), so that the printed and the
    recomputed value are read at the same rounding; a claim that prints no number
    keeps four significant digits."""
    shown = frame.copy()
    for column in ("paper", "recomputed"):
        shown[f"{column}_value"] = [
            _value_text(claim_id, n, t)
            for claim_id, n, t in zip(frame["claim_id"], frame[f"{column}_value"], frame[f"{column}_text"], strict=True)
        ]
    return shown.drop(columns=["paper_text", "recomputed_text"])


def _value_text(claim_id: str, number: float, text: str) -> str | None:
    value = display_value(number, text)
    if not isinstance(value, float):
        return value
    claim = BY_ID[claim_id]
    if claim.value is None:
        # Four significant digits, never in exponent form, no trailing zeros.
        if abs(value) >= 1000:
            return f"{round_snapped(value, 0):,.0f}"
        digits = 3 - math.floor(math.log10(abs(value))) if value else 0
        return f"{round_snapped(value, digits):.4g}"
    return f"{round_snapped(value, claim.printed_decimals):,.{claim.printed_decimals}f}"
