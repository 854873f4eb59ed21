"""Evidence for the methodology review: each function answers one question a reviewer would ask.

Volumes are millions of SIPRI TIV; trade values US$ million (current); periods
inclusive calendar years.
"""

from __future__ import annotations

import pandas as pd

from sinoiran.analysis.series import annual_deliveries, holds_pair, period_mean, period_sum
from sinoiran.base.names import NEIGHBOURS
from sinoiran.base.releases import Coverage


def period_readings(
    tiv: pd.DataFrame, *, supplier: str, recipient: str, printed_total: float, coverage: Coverage
) -> pd.DataFrame:
    """The paper's total under both readings of its period (2005-2011 and 2005-2012), per vintage."""
    rows = []
    for vintage in coverage.labels:
        if coverage.gap(vintage, [supplier], 2005, 2012, recipient=recipient):
            continue
        s11 = period_sum(tiv, vintage, supplier, recipient, 2005, 2011, coverage=coverage)
        s12 = period_sum(tiv, vintage, supplier, recipient, 2005, 2012, coverage=coverage)
        rows.append(
            {
                "vintage": vintage,
                "sum 2005-2011": s11,
                "mean over 7 years": s11 / 7,
                "sum 2005-2012": s12,
                "mean over 8 years": s12 / 8,
                "printed total / 2005-2011 sum": printed_total / s11,
            }
        )
    return pd.DataFrame(rows)


def decline_grid(
    tiv: pd.DataFrame,
    *,
    befores: list[tuple[int, int]],
    afters: list[tuple[int, int]],
    supplier: str = "Russia",
    recipient: str = "Iran",
    coverage: Coverage,
) -> pd.DataFrame:
    """Percent fall of mean yearly deliveries between every pair of base periods, per vintage."""
    rows = []
    for vintage in coverage.labels:
        for before in befores:
            for after in afters:
                if coverage.gap(
                    vintage, [supplier], min(before[0], after[0]), max(before[1], after[1]), recipient=recipient
                ):
                    continue
                b = period_mean(tiv, vintage, supplier, recipient, *before, coverage=coverage)
                a = period_mean(tiv, vintage, supplier, recipient, *after, coverage=coverage)
                rows.append(
                    {
                        "vintage": vintage,
                        "before": f"{before[0]}-{before[1]}",
                        "after": f"{after[0]}-{after[1]}",
                        "mean before": b,
                        "mean after": a,
                        "drop (%)": 100 * (1 - a / b),
                    }
                )
    return pd.DataFrame(rows)


def vintage_disagreement(
    tiv: pd.DataFrame, *, supplier: str, recipient: str, start: int, end: int, coverage: Coverage
) -> pd.DataFrame:
    """Per year: the lowest and highest value the vintages give, and the spread relative to the lowest (percent)."""
    grid = annual_deliveries(tiv, recipient=recipient, suppliers=[supplier], start=start, end=end, coverage=coverage)
    wide = grid.pivot(index="year", columns="vintage", values="tiv")
    out = pd.DataFrame({"vintages": wide.notna().sum(axis=1), "lowest": wide.min(axis=1), "highest": wide.max(axis=1)})
    out["spread (%)"] = 100 * (out["highest"] - out["lowest"]) / out["lowest"].where(out["lowest"] > 0)
    return out.reset_index()


def fob_cif_gap(dots: pd.DataFrame) -> pd.DataFrame:
    """China-reported exports to Iran (FOB) against Iran-reported imports from China (CIF), per year."""
    fob = dots[(dots["reporter"] == "China") & (dots["partner"] == "Iran") & (dots["flow"] == "exports_fob")].set_index(
        "year"
    )["value_usd_m"]
    cif = dots[(dots["reporter"] == "Iran") & (dots["partner"] == "China") & (dots["flow"] == "imports_cif")].set_index(
        "year"
    )["value_usd_m"]
    out = pd.DataFrame({"China's exports, FOB": fob, "Iran's imports, CIF": cif}).dropna()
    out["CIF / FOB"] = out["Iran's imports, CIF"] / out["China's exports, FOB"]
    return out.reset_index()


def buyers_comparison(
    tiv: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    vintage: str = "2016",
    start: int = 2005,
    end: int = 2011,
    coverage: Coverage,
) -> pd.DataFrame:
    """Like-for-like volumes: each country's imports from all suppliers, and from the one supplier the paper uses.

    ``totals`` is the ``sipri_tiv_totals`` table; the 2016 importer tables give
    each recipient's total imports. Millions of TIV over ``start..end``.
    """
    rows = []
    for recipient, supplier in [("Iran", "China"), *[(n, "United States") for n in NEIGHBOURS]]:
        total = totals[
            (totals["vintage"] == vintage)
            & (totals["country"] == recipient)
            & (totals["orientation"] == "by-recipient")
            & totals["year"].between(start, end)
        ]["tiv"].sum()
        from_supplier = period_sum(tiv, vintage, supplier, recipient, start, end, coverage=coverage)
        rows.append(
            {
                "recipient": recipient,
                "supplier compared": supplier,
                "from that supplier": from_supplier,
                "from all suppliers": total,
                "share (%)": 100 * from_supplier / total if total else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def verdict_stability(matrix: pd.DataFrame) -> pd.DataFrame:
    """For each SIPRI claim: the verdicts it gets across the vintages that can test it, and whether they agree."""
    rows = []
    for claim_id, verdicts in matrix.iterrows():
        tested = [v for v in verdicts.dropna() if v != "not-testable"]
        rows.append(
            {
                "claim_id": claim_id,
                "vintages testing it": len(tested),
                "verdicts": ", ".join(sorted(set(tested))) or "-",
                "stable": len(set(tested)) == 1 if tested else None,
            }
        )
    return pd.DataFrame(rows)


def tiv_to_dollars_ratio(
    tiv: pd.DataFrame, *, paper_value: float, supplier: str, recipient: str, year: int, coverage: Coverage
) -> pd.DataFrame:
    """How the paper's dollar figure for one year compares with SIPRI's TIV in each vintage."""
    rows = []
    for vintage in coverage.labels:
        if coverage.gap(vintage, [supplier], year, year, recipient=recipient):
            continue
        value = period_sum(tiv, vintage, supplier, recipient, year, year, coverage=coverage)
        rows.append(
            {"vintage": vintage, "SIPRI TIV": value, "paper (US$ m)": paper_value, "paper / TIV": paper_value / value}
        )
    return pd.DataFrame(rows)


def older_release_test(
    tiv: pd.DataFrame,
    *,
    supplier: str,
    recipient: str,
    start: int,
    end: int,
    overlap: tuple[int, int],
    reference: str,
    printed: float,
    coverage: Coverage,
) -> pd.DataFrame:
    """Could an older release explain a printed total? A test, per later release that covers the period.

    ``reference`` is an older release that covers only ``overlap`` (e.g. the 2007 release, 2005-2006).
    For each later release: its sum over ``start..end``; how much higher the reference is over the overlap
    years (reference sum / this release's sum); the total the later release would give if every year were
    scaled like the overlap (the *implied older-release total*); and how far the printed total lies from
    that (percent of the implied total). Millions of TIV throughout.
    """
    reference_sum = period_sum(tiv, reference, supplier, recipient, *overlap, coverage=coverage)
    rows = []
    for vintage in coverage.labels:
        if vintage == reference or coverage.gap(vintage, [supplier], start, end, recipient=recipient):
            continue
        if not holds_pair(tiv, vintage, supplier, recipient):  # a sum over a pair the copy lacks would read as zero
            continue
        period = period_sum(tiv, vintage, supplier, recipient, start, end, coverage=coverage)
        on_overlap = period_sum(tiv, vintage, supplier, recipient, *overlap, coverage=coverage)
        factor = reference_sum / on_overlap if on_overlap else float("nan")
        implied = period * factor
        rows.append(
            {
                "release": vintage,
                f"sum {start}-{end}": period,
                "printed / sum": printed / period,
                f"{reference} release / this, {overlap[0]}-{overlap[1]}": factor,
                "implied older-release total": implied,
                "printed vs implied (%)": 100 * (printed / implied - 1),
            }
        )
    return pd.DataFrame(rows)


def rebuilt_against_tables(
    tiv: pd.DataFrame,
    rebuilt: dict[str, pd.DataFrame],
    *,
    supplier: str,
    recipient: str,
    start: int,
    end: int,
    yearly_values: dict[str, tuple[str, pd.Series]] | None = None,
    coverage: Coverage,
) -> pd.DataFrame:
    """Deal-by-deal rebuilds beside each release's yearly table, summed over the period (millions of TIV).

    ``rebuilt`` maps a register vintage to :func:`sinoiran.analysis.deals.rebuild_deliveries`' frame (each
    deal's number spread evenly over its years); ``yearly_values`` maps a source's label to its kind and a
    yearly series, such as one summed from a transfers export's per-delivery rows, SIPRI's own number per year
    (:func:`sinoiran.analysis.deals.yearly_from_deliveries`, and :func:`~sinoiran.analysis.deals.even_spread`
    for the same deals spread evenly). Returns one row per source: ``source, kind, total``.
    """
    rows = [
        {
            "source": f"register {label}",
            "kind": "deal by deal, spread evenly",
            "total": float(frame[frame["year"].between(start, end)]["tiv"].sum()),
        }
        for label, frame in rebuilt.items()
        if not frame.empty
    ]
    for label, (kind, series) in (yearly_values or {}).items():
        rows.append(
            {
                "source": label,
                "kind": kind,
                "total": float(series[(series.index >= start) & (series.index <= end)].sum()),
            }
        )
    for vintage in coverage.labels:
        if not coverage.gap(vintage, [supplier], start, end, recipient=recipient):
            rows.append(
                {
                    "source": f"release {vintage}",
                    "kind": "yearly table",
                    "total": period_sum(tiv, vintage, supplier, recipient, start, end, coverage=coverage),
                }
            )
    return pd.DataFrame(rows)


def exporter_baseline(
    tiv: pd.DataFrame,
    totals: pd.DataFrame,
    *,
    supplier: str,
    recipient: str,
    before: tuple[int, int],
    after: tuple[int, int],
    coverage: Coverage,
) -> pd.DataFrame:
    """Did ``supplier``'s deliveries to ``recipient`` fall more than its deliveries to everyone else?

    A fall in arms sent to one recipient is evidence of something about that recipient (sanctions, say) only
    if the supplier's exports to the rest of the world did not fall alike. ``totals`` is the
    ``sipri_tiv_totals`` table: SIPRI's printed total of the supplier's exports to all recipients, per year.
    One row per release holding both, and one per period pair: mean yearly deliveries to ``recipient``
    and to all others (millions of TIV) before and after, and the percent change of each.
    """
    rows = []
    for vintage in coverage.labels:
        world = totals[
            (totals["vintage"] == vintage) & (totals["country"] == supplier) & (totals["orientation"] == "by-supplier")
        ].set_index("year")["tiv"]
        years = range(min(before[0], after[0]), max(before[1], after[1]) + 1)
        if coverage.gap(vintage, [supplier], years[0], years[-1], recipient=recipient) or not all(
            y in world.index for y in years
        ):
            continue
        to_recipient = {
            p: period_mean(tiv, vintage, supplier, recipient, *p, coverage=coverage) for p in (before, after)
        }
        to_others = {p: float(world.loc[p[0] : p[1]].mean()) - to_recipient[p] for p in (before, after)}
        rows.append(
            {
                "release": vintage,
                "before": f"{before[0]}-{before[1]}",
                "after": f"{after[0]}-{after[1]}",
                f"to {recipient}, before": to_recipient[before],
                f"to {recipient}, after": to_recipient[after],
                f"change to {recipient} (%)": 100 * (to_recipient[after] / to_recipient[before] - 1),
                "to all others, before": to_others[before],
                "to all others, after": to_others[after],
                "change to all others (%)": 100 * (to_others[after] / to_others[before] - 1),
            }
        )
    return pd.DataFrame(rows)


def release_spread(
    tiv: pd.DataFrame,
    *,
    flows: list[tuple[str, str]],
    start: int,
    end: int,
    releases: list[str] | None = None,
    coverage: Coverage,
) -> pd.DataFrame:
    """How much the same flows move between releases: the sum over ``start..end`` of each (supplier,
    recipient) in every release that holds it, and the flow's relative range (largest over smallest,
    minus one).

    Columns: ``supplier``, ``recipient``, one column per release (millions of TIV; NaN where a release does
    not hold the flow), ``releases`` (how many hold it), ``spread`` (a fraction). This is the measure of
    how far a figure can move by revision alone; the claims' tolerance for an amount of a flow is that flow's
    spread (:func:`tolerance_for`).
    """
    labels = releases or coverage.labels
    rows = []
    for supplier, recipient in flows:
        values = {}
        for vintage in labels:
            if coverage.gap(vintage, [supplier], start, end, recipient=recipient):
                continue
            values[vintage] = period_sum(tiv, vintage, supplier, recipient, start, end, coverage=coverage)
        held = [v for v in values.values() if v == v and v > 0]
        rows.append(
            {
                "supplier": supplier,
                "recipient": recipient,
                **{label: values.get(label, float("nan")) for label in labels},
                "releases": len(held),
                "spread": (max(held) / min(held) - 1) if len(held) >= 2 else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def tolerance_for(spread: pd.DataFrame, supplier: str, recipient: str) -> tuple[float, str]:
    """The tolerance for an amount of one flow: how far the releases held move that same flow over the same
    years (its ``spread``), so that *close* means "within what SIPRI's own revisions move this figure by".
    A flow held in fewer than two releases has no spread of its own; it takes the largest spread of the
    paper's other flows. Returns the tolerance (a fraction) and where it comes from, in words."""
    own = spread[(spread["supplier"] == supplier) & (spread["recipient"] == recipient)].dropna(subset=["spread"])
    if not own.empty:
        return float(own["spread"].iloc[0]), "its own revision between the releases held"
    others = spread.dropna(subset=["spread"])
    if others.empty:
        return float("nan"), "no flow is held in two releases"
    top = others.loc[others["spread"].idxmax()]
    return float(
        top["spread"]
    ), f"held in one release only: the largest revision of another flow ({top['supplier']} to {top['recipient']})"


def revision_by_recipient(
    tiv: pd.DataFrame,
    *,
    supplier: str,
    reference: str,
    release: str,
    start: int,
    end: int,
    min_volume: float = 50.0,
) -> pd.DataFrame:
    """How a later ``release`` revised ``supplier``'s deliveries to each recipient that an older ``reference``
    release also holds, over ``start..end`` (years both cover). Both releases must hold every recipient of
    the supplier over those years (the 2007 exporter table, the 2025 all-pairs export): a recipient one of
    them does not list received nothing in it.

    One row per recipient with at least ``min_volume`` million TIV in the later release over the years (a
    ratio of two small numbers says nothing): ``reference`` and ``release`` sums (millions of TIV), their
    ``ratio`` (reference / later; above 1 where the later release values the deliveries lower) and its
    ``rank`` among the recipients (1 = largest ratio). A revision of one recipient is evidence of something
    about that recipient only if it stands out from the same supplier's other recipients.
    """
    years = tiv["year"].between(start, end) & (tiv["supplier"] == supplier)
    old = tiv[years & (tiv["vintage"] == reference)].groupby("recipient")["tiv"].sum()
    new = tiv[years & (tiv["vintage"] == release)].groupby("recipient")["tiv"].sum()
    # Both tables hold every recipient of the supplier (an exporter table, an all-pairs export), so a
    # recipient missing from one received nothing in it: zero, not unknown.
    both = pd.DataFrame({"reference": old, "release": new}).fillna(0.0)
    both = both[both["release"] >= min_volume]
    both["ratio"] = both["reference"] / both["release"]
    both = both.sort_values("ratio", ascending=False, kind="stable")
    both["rank"] = range(1, len(both) + 1)
    return both.rename_axis("recipient").reset_index()
