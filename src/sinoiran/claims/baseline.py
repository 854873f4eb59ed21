"""The check of a causal claim against what the data can say: timing, and a baseline of other recipients.

The paper attributes the fall of Russia's deliveries to Iran to sanctions. Data of deliveries cannot prove a
cause; what they can say is (1) whether the fall came after a measure that bound the supplier to stop (timing),
and (2) whether it was unusual among the supplier's other sizeable clients over the same years (baseline): a
fall most clients also had needs no Iran-specific cause.
"""

from __future__ import annotations

from sinoiran.analysis.review import client_changes
from sinoiran.analysis.series import yearly
from sinoiran.base.names import possessive
from sinoiran.base.precision import round_snapped, snap
from sinoiran.claims.rules import Row, criterion_verdict
from sinoiran.data.events import event_month
from sinoiran.data.paper import Claim


def cause_rows(claim: Claim, ctx) -> list[Row]:  # noqa: ANN001 - a checks.Context (imported lazily to avoid a cycle)
    """One row per release that holds the supplier's deliveries to every recipient (see the module docstring)."""
    from sinoiran.claims.checks import not_testable, row

    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    before, after = claim.years("before"), claim.years("after")
    binding = [str(e) for e in claim.param("binding")]
    quantile, minimum = float(claim.param("unusual_quantile")), float(claim.param("min_volume"))
    first_binding = min(event_month(ctx.inputs.events, e) for e in binding)
    events = ctx.inputs.events.set_index("event_id")
    rows = []
    for release in ctx.releases:
        clients = client_changes(
            ctx.inputs.tiv, vintage=release, supplier=supplier, before=before, after=after, min_volume=minimum
        )
        if recipient not in set(clients["recipient"]) or len(clients) < 10:
            rows.append(
                not_testable(
                    claim,
                    release,
                    f"vintage {release} does not hold {supplier}'s deliveries to enough of its clients for a baseline "
                    f"({len(clients)} sizeable clients held)",
                )
            )
            continue
        own = float(clients.loc[clients["recipient"] == recipient, "change"].iloc[0])
        falls = int((clients["change"] <= own).sum())
        as_large = falls / len(clients)
        unusual = as_large <= quantile
        series = yearly(ctx.inputs.tiv, release, supplier, recipient, before[0], after[1])
        level = float(series.loc[before[0] : before[1]].mean())
        fallen = [int(y) for y, v in series.loc[after[0] : after[1]].items() if v < 0.5 * level]
        fall_year = fallen[0] if fallen else after[0]
        timely = fall_year >= first_binding[0]  # a fall in the measure's own year counts as after it
        verdict = criterion_verdict(timely and unusual, timely or unusual)
        measures = "; ".join(f"{e}: {events.loc[e, 'description']}" for e in binding)
        reason = (
            f"{possessive(supplier)} deliveries to {recipient} fell by {snap(-own):.0%} between {before[0]}-{before[1]} and "
            f"{after[0]}-{after[1]}; {falls} of its {len(clients)} sizeable clients, {recipient} included, saw a fall at "
            f"least as large ({as_large:.0%}: "
            + ("unusual)" if unusual else "not unusual)")
            + f"; it began in {fall_year}, "
            + ("after" if timely else "before")
            + f" the first measure binding {supplier} ({first_binding[1]:02d}/{first_binding[0]}). A comparison, not a proof of cause."
        )
        note = (
            f"Sizeable clients: at least {minimum:g} million TIV from {supplier} in {before[0]}-{before[1]}. Largest falls: "
            + ", ".join(f"{r.recipient} {snap(r.change):.0%}" for r in clients.head(5).itertuples())
            + f". Measures binding {supplier}: {measures}."
        )
        rows.append(row(claim, release, round_snapped(as_large, 3), verdict, reason, note))
    return rows
