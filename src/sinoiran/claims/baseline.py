"""The check of a causal claim against what the data can say: timing, and a baseline of other recipients.

The paper attributes the fall of Russia's deliveries to Iran to sanctions. Data of deliveries cannot prove a
cause; what they can say is (1) whether the fall came after a measure that bound the supplier to stop (timing),
and (2) whether it was unusual among the supplier's other sizeable clients over the same years (baseline): a
fall most clients also had needs no Iran-specific cause.
"""

from __future__ import annotations

from sinoiran.analysis.panel import supplier_fall_baseline
from sinoiran.analysis.series import yearly
from sinoiran.base.errors import UsageError
from sinoiran.base.names import possessive
from sinoiran.base.precision import round_snapped, snap
from sinoiran.claims.rules import Row, criterion_verdict
from sinoiran.data.events import event_month
from sinoiran.data.paper import Claim

#: The fewest clients a baseline is read from: fewer, and one client moves the share by more than a tenth.
MIN_CLIENTS = 10


def cause_rows(claim: Claim, ctx, row, not_testable) -> list[Row]:  # noqa: ANN001 - checks.Context and row makers
    """One row per release that holds the supplier's deliveries to every recipient (see the module docstring).

    The baseline is :func:`sinoiran.analysis.panel.supplier_fall_baseline`, the same the comparative chapter
    shows: every sizeable client of the supplier in the release, ranked by its fall. ``row`` and
    ``not_testable`` are the ledger's row makers (:mod:`sinoiran.claims.checks`, which calls this), passed in
    so that this module does not import its caller."""
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    before, after = claim.years("before"), claim.years("after")
    binding = [str(e) for e in claim.param("binding")]
    quantile, minimum = float(claim.param("unusual_quantile")), float(claim.param("min_volume_per_year"))
    first_binding = min(event_month(ctx.inputs.events, e) for e in binding)
    events = ctx.inputs.events.set_index("event_id")
    coverage = ctx.coverage
    rows = []
    for release in ctx.releases:
        try:
            baseline = supplier_fall_baseline(
                ctx.inputs.tiv,
                coverage,
                release=release,
                supplier=supplier,
                before=before,
                after=after,
                min_volume=minimum,
                focus=recipient,
            )
            held = baseline.n if baseline.focus_rank is not None else 0
        except UsageError as error:
            rows.append(not_testable(claim, release, str(error)))
            continue
        if held < MIN_CLIENTS:
            rows.append(
                not_testable(
                    claim,
                    release,
                    f"vintage {release} does not hold {supplier}'s deliveries to enough of its clients for a baseline "
                    f"({baseline.n} sizeable client{'' if baseline.n == 1 else 's'} held{'' if baseline.focus_rank is not None else ', ' + recipient + ' not among them'})",
                )
            )
            continue
        others = baseline.n - 1  # the focus is not its own baseline
        falls = baseline.at_least_as_extreme - 1
        as_large = falls / others
        unusual = as_large <= quantile
        series = yearly(ctx.inputs.tiv, release, supplier, recipient, before[0], after[1], coverage=coverage)
        level = float(series.loc[before[0] : before[1]].mean())
        fallen = [int(y) for y, v in series.loc[after[0] : after[1]].items() if v < 0.5 * level]
        fall_year = fallen[0] if fallen else after[0]
        timely = fall_year >= first_binding[0]  # a fall in the measure's own year counts as after it
        verdict = criterion_verdict(timely and unusual, timely or unusual)
        measures = "; ".join(f"{e}: {events.loc[e, 'description']}" for e in binding)
        reason = (
            f"{possessive(supplier)} deliveries to {recipient} fell by {snap(baseline.focus_value):.0f}% between "
            f"{before[0]}-{before[1]} and {after[0]}-{after[1]} (release {release}); {falls} of its {others} other "
            f"sizeable clients saw a fall at least as large ({as_large:.0%}; a fall counts as unusual when at most "
            f"{quantile:.0%} of them do: "
            + ("unusual)" if unusual else "not exceptional)")
            + f"; it began in {fall_year}, "
            + ("after" if timely else "before")
            + f" the first measure binding {supplier} ({first_binding[1]:02d}/{first_binding[0]}; the events table holds no "
            "unilateral measure binding it). A comparison, not a proof of cause."
        )
        note = (
            f"Sizeable clients: {baseline.rule}. Largest falls: "
            + ", ".join(f"{r.recipient} {snap(r.value):.0f}%" for r in baseline.clients.head(5).itertuples())
            + f". Measures binding {supplier}: {measures}."
        )
        rows.append(row(claim, release, round_snapped(as_large, 3), verdict, reason, note))
    return rows
