"""The checks of the paper's claims: one function per *kind* of check, in one registry.

A claim of ``data/claims.toml`` names its kind (``check = "flow-sum"``) and its
parameters; :data:`CHECKS` maps the kind to the function that applies the
analysis stage's functions in every release (or register) the claim can be
tested in, and returns ledger rows, each with its verdict and the reason in one
sentence a student can follow. No test's numbers are written here: suppliers,
years, thresholds and comparison periods come from the catalogue.

TIV amounts are millions of SIPRI TIV (a volume index, not money); the paper
prints them as US dollars, and the ledger compares the numbers as printed while
saying so in the unit. Periods are inclusive calendar years.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from sinoiran.analysis.deals import (
    delivery_status,
    estimated_share,
    listed_items_check,
    newest_order,
    register_records,
)
from sinoiran.analysis.review import release_spread, tolerance_for
from sinoiran.analysis.series import (
    coefficient_of_variation,
    holds_pair,
    period_mean,
    period_sum,
    supplier_ranking,
    yearly,
)
from sinoiran.analysis.shares import supplier_shares
from sinoiran.analysis.trade import dots_value
from sinoiran.base.names import in_prose, possessive
from sinoiran.base.precision import round_snapped, snap
from sinoiran.base.releases import Coverage
from sinoiran.claims.rules import (
    DOTS_LABEL,
    NO_VINTAGE,
    TIV_VINTAGES,
    Row,
    Verdict,
    amount_verdict,
    arithmetic_verdict,
    criterion_verdict,
    relative_verdict,
    split_value,
)
from sinoiran.data.events import PRESIDENCIES, event_month
from sinoiran.data.paper import BY_ID, Claim, listed_items
from sinoiran.data.tables import Inputs
from sinoiran.data.vintages import REGISTER_LABELS, current_coverage


@dataclass
class Context:
    """What every check may use: the loaded tables, the releases and registers held, and the measured
    spread of the paper's flows between releases (the tolerance of amounts)."""

    inputs: Inputs
    releases: Sequence[str] = field(default_factory=lambda: list(TIV_VINTAGES))
    registers: Mapping[str, str] = field(default_factory=lambda: dict(REGISTER_LABELS))
    spread: pd.DataFrame | None = None
    coverage: Coverage = field(default_factory=current_coverage)

    def tolerance(self, supplier: str, recipient: str) -> tuple[float, str]:
        """The relative tolerance for an amount of this flow, and the flow that set it."""
        assert self.spread is not None
        return tolerance_for(self.spread, supplier, recipient)

    def rounded(self, release: str) -> bool:
        """True where the release prints whole millions of TIV (its TIV tables), so sums carry a rounding."""
        return self.coverage.releases[release].kind == "sipri-tiv-table"


Check = Callable[[Claim, Context], list[Row]]
CHECKS: dict[str, Check] = {}


def check(*kinds: str) -> Callable[[Check], Check]:
    """Register a function as the check of the given kinds."""

    def register(func: Check) -> Check:
        for kind in kinds:
            CHECKS[kind] = func
        return func

    return register


def amount_flows(claims: Sequence[Claim]) -> list[tuple[str, str]]:
    """The supplier-recipient flows whose amounts the paper prints (``flow-sum`` claims), in catalogue order."""
    flows: list[tuple[str, str]] = []
    for claim in claims:
        if claim.kind == "flow-sum":
            pair = (str(claim.param("supplier")), str(claim.param("recipient")))
            if pair not in flows:
                flows.append(pair)
    return flows


def context(inputs: Inputs, claims: Sequence[Claim]) -> Context:
    """The context of one ledger: the spread of the paper's flows over the paper's period, between releases."""
    sums = [c for c in claims if c.kind == "flow-sum"]
    if not sums:
        return Context(inputs=inputs, spread=pd.DataFrame(columns=["supplier", "recipient", "spread"]))
    start, end = sums[0].years()
    coverage = current_coverage()
    spread = release_spread(inputs.tiv, flows=amount_flows(claims), start=start, end=end, coverage=coverage)
    return Context(inputs=inputs, spread=spread, coverage=coverage)


# --- rows -------------------------------------------------------------------------------------------


def row(
    claim: Claim,
    vintage: str,
    value: float | str | None,
    verdict: Verdict,
    reason: str,
    note: str,
    *,
    paper: float | str | None = None,
    tolerance: str | None = None,
) -> Row:
    """A ledger row; ``paper`` defaults to the claim's printed number. Text values go to the text columns."""
    paper_value, paper_text = split_value(claim.value if paper is None else paper)
    recomputed_value, recomputed_text = split_value(value)
    return Row(
        claim.claim_id,
        vintage,
        paper_value,
        paper_text,
        recomputed_value,
        recomputed_text,
        claim.unit,
        str(verdict),
        reason,
        tolerance or claim.criterion,
        note,
    )


def not_testable(claim: Claim, vintage: str, why: str, note: str = "") -> Row:
    """A row that says why the claim cannot be tested here (the reason is the first sentence of ``why``)."""
    reason = why.split(". ")[0].rstrip(".") + "."
    return row(claim, vintage, None, Verdict.NOT_TESTABLE, reason, note or why)


def per_release(
    claim: Claim,
    ctx: Context,
    suppliers: list[str] | None,
    recipient: str,
    start: int,
    end: int,
    test: Callable[[str], Row],
) -> list[Row]:
    """One row per TIV release: not testable (saying why) where the release does not hold these suppliers'
    deliveries to ``recipient`` in these years (``suppliers=None``: every supplier), else ``test(release)``."""
    rows = []
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, suppliers, start, end, recipient=recipient)
        rows.append(not_testable(claim, release, gap) if gap else test(release))
    return rows


def _flow(supplier: str, recipient: str) -> str:
    return f"{possessive(in_prose(supplier))} deliveries to {in_prose(recipient)}"


def _num(claim: Claim, value: float) -> str:
    """A value at the precision the paper prints the claim with (four significant digits if it prints none)."""
    if claim.value is not None:
        return f"{round_snapped(value, claim.printed_decimals):,.{claim.printed_decimals}f}"
    return f"{snap(value):,.4g}" if abs(value) < 1e4 else f"{snap(value):,.0f}"


def _president_years(name: str | Sequence[int]) -> tuple[int, int]:
    if isinstance(name, str):
        return PRESIDENCIES[name]
    first, last = name
    return int(first), int(last)


# --- statements the package cannot test -------------------------------------------------------------


@check("cited-only")
def _cited_only(claim: Claim, ctx: Context) -> list[Row]:
    return [not_testable(claim, NO_VINTAGE, str(claim.param("why")))]


@check("other-unit")
def _other_unit(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient, year = str(claim.param("supplier")), str(claim.param("recipient")), int(claim.param("year"))
    rows = []
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, [supplier], year, year, recipient=recipient)
        info = gap or (
            f"for information, SIPRI puts {_flow(supplier, recipient)} in {year} at "
            f"{snap(period_sum(ctx.inputs.tiv, release, supplier, recipient, year, year, coverage=ctx.coverage)):,.0f} million TIV"
        )
        rows.append(not_testable(claim, release, f"{claim.param('why')}; {info}."))
    return rows


# --- dates and events --------------------------------------------------------------------------------


@check("years-between")
def _years_between(claim: Claim, ctx: Context) -> list[Row]:
    year, _ = event_month(ctx.inputs.events, str(claim.param("event")))
    gap = int(claim.param("other_year")) - year
    verdict = Verdict.REPRODUCED if gap == claim.number else Verdict.DIFFERS
    reason = f"The events table dates the NIE to {year}, {gap} years before the poll of {claim.param('other_year')}."
    return [row(claim, NO_VINTAGE, float(gap), verdict, reason, f"Key judgments released {year} (events table).")]


@check("nie-definition")
def _nie_definition(claim: Claim, ctx: Context) -> list[Row]:
    events = ctx.inputs.events.set_index("event_id")
    description = str(events.loc[str(claim.param("event")), "description"])
    defines = "enrichment-related work" in description
    verdict = Verdict.PARTLY_SUPPORTED if defines else Verdict.NOT_SUPPORTED
    reason = (
        "The NIE judged that Iran halted its nuclear weapons programme in autumn 2003, and it counted covert "
        "enrichment-related work as part of that programme, so 'stopped its nuclear enrichment' is imprecise rather "
        "than unsupported: Iran's declared enrichment went on."
    )
    return [
        row(
            claim,
            NO_VINTAGE,
            "halted the weapons programme, incl. covert enrichment-related work; declared enrichment went on",
            verdict,
            reason,
            f"Events table: '{description}'.",
            paper=claim.paper_value,
        )
    ]


@check("event-span")
def _event_span(claim: Claim, ctx: Context) -> list[Row]:
    dates = ctx.inputs.events.set_index("event_id")["date"]
    start, end = dates[str(claim.param("start"))], dates[str(claim.param("end"))]
    years = (end - start).days / 365.25
    verdict = Verdict.REPRODUCED if round(years) == claim.number else Verdict.DIFFERS
    reason = f"From {start:%d %b %Y} to {end:%d %b %Y} is {snap(years):.2f} years, which rounds to {round(years)}."
    return [row(claim, NO_VINTAGE, round_snapped(years, 2), verdict, reason, "Dates from the events table.")]


@check("event-months")
def _event_months(claim: Claim, ctx: Context) -> list[Row]:
    matches, parts = 0, []
    dates = claim.param("dates")
    for entry in dates:
        actual = event_month(ctx.inputs.events, entry["event"])
        ok = actual == (entry["year"], entry["month"])
        matches += ok
        parts.append(f"{entry['label']}: {'matches' if ok else 'differs from'} {actual[1]:02d}/{actual[0]}")
    verdict = Verdict.REPRODUCED if matches == len(dates) else Verdict.DIFFERS
    reason = f"{matches} of {len(dates)} dates match the month and year of the events table."
    return [
        row(
            claim,
            NO_VINTAGE,
            f"{matches} of {len(dates)} match",
            verdict,
            reason,
            "; ".join(parts) + ".",
            paper=claim.paper_value,
        )
    ]


@check("event-order")
def _event_order(claim: Claim, ctx: Context) -> list[Row]:
    first = event_month(ctx.inputs.events, str(claim.param("first")))
    then = event_month(ctx.inputs.events, str(claim.param("then")))
    following = event_month(ctx.inputs.events, str(claim.param("next_in_text")))
    later = then > first
    reason = (
        f"The EU's arms embargo ({then[1]:02d}/{then[0]}) came after its measures of {first[1]:02d}/{first[0]}, so "
        "'later on' is right."
        if later
        else f"The EU's arms embargo ({then[1]:02d}/{then[0]}) did not come after its measures of {first[1]:02d}/{first[0]}."
    )
    note = (
        f"Events table: Common Position 2007/140 ({first[1]:02d}/{first[0]}), then Common Position 2007/246, the EU "
        f"arms embargo ({then[1]:02d}/{then[0]}). The paper goes on 'in March of the same year' with Resolution 1747 "
        f"({following[1]:02d}/{following[0]}), which came before the embargo."
    )
    return [row(claim, NO_VINTAGE, f"{then[1]:02d}/{then[0]}", criterion_verdict(later), reason, note)]


@check("resolution-votes")
def _resolution_votes(claim: Claim, ctx: Context) -> list[Row]:
    events = ctx.inputs.events.set_index("event_id")
    ids = list(claim.param("events"))
    votes = {e: str(events.loc[e, "china_vote"]) for e in ids}
    in_favour = [e for e, v in votes.items() if v == "for"]
    verdict = criterion_verdict(len(in_favour) == len(ids), bool(in_favour))
    numbers = ", ".join(e.removeprefix("unsc-") for e in ids)
    reason = f"China voted for {len(in_favour)} of the resolutions {numbers}, by the UN's records of the votes."
    note = "; ".join(
        f"{e.removeprefix('unsc-')}: adopted {events.loc[e, 'vote']}, China {votes[e] or 'not recorded'}" for e in ids
    )
    return [
        row(
            claim,
            NO_VINTAGE,
            f"{len(in_favour)} of {len(ids)}",
            verdict,
            reason,
            note + " (events table).",
            paper=claim.paper_value,
        )
    ]


@check("resolution-content")
def _resolution_content(claim: Claim, ctx: Context) -> list[Row]:
    events = ctx.inputs.events.set_index("event_id")
    measures = claim.param("measures")
    right = [m for m in measures if events.loc[m["event"], "measure"] == m["measure"]]
    verdict = criterion_verdict(len(right) == len(measures), bool(right))
    reason = f"{len(right)} of the {len(measures)} resolutions did what the paper says they did, by the events table."
    note = "; ".join(
        f"{m['event'].removeprefix('unsc-')}: paper '{m['measure']}', events table '{events.loc[m['event'], 'measure']}' "
        f"({events.loc[m['event'], 'description']})"
        for m in measures
    )
    return [
        row(claim, NO_VINTAGE, f"{len(right)} of {len(measures)}", verdict, reason, note + ".", paper=claim.paper_value)
    ]


@check("event-date-register")
def _event_date_register(claim: Claim, ctx: Context) -> list[Row]:
    event = str(claim.param("event"))
    year, month = event_month(ctx.inputs.events, event)
    day = int(ctx.inputs.events.loc[ctx.inputs.events["event_id"] == event, "date"].iloc[0].day)
    on_time = (year, month) == (claim.param("year"), claim.param("month")) and day >= int(claim.param("from_day"))
    contract = int(claim.param("contract_year"))
    found = []
    for label, vintage in ctx.registers.items():
        deals = register_records(ctx.inputs.register, vintage, str(claim.param("supplier")), str(claim.param("system")))
        named = deals[deals["replaces_order_year"].eq(contract).fillna(False)]
        ordered = deals[deals["order_year"].eq(contract).fillna(False)]
        for deal in pd.concat([ordered, named]).itertuples():
            cancelled = f", cancelled {deal.cancelled_year}" if not pd.isna(deal.cancelled_year) else ""
            if deal.order_year == contract:
                found.append(f"{label}: {deal.designation} ordered {contract}")
            else:
                found.append(
                    f"{label}: the {deal.designation} deal of {deal.order_year} replaces a {contract} order{cancelled}"
                )
    verdict = criterion_verdict(on_time and bool(found), on_time or bool(found))
    reason = (
        f"The decree of {day} {pd.Timestamp(year=year, month=month, day=1):%b} {year} fits 'late September 2010', and "
        + (
            "a register records the 2007 contract (as the order a later deal replaced)."
            if found
            else "no register records a 2007 contract."
        )
    )
    note = (
        f"Events table: decree of {day:02d}/{month:02d}/{year}. Registers: "
        + ("; ".join(found) if found else "no S-300 order of 2007 (cancelled orders are not transfers)")
        + "."
    )
    return [row(claim, NO_VINTAGE, f"{day:02d}/{month:02d}/{year}", verdict, reason, note, paper=claim.paper_value)]


# --- amounts ----------------------------------------------------------------------------------------


def _amount_row(
    claim: Claim, ctx: Context, release: str, value: float, cells: int, note: str, *, mean: bool
) -> tuple[Row, Verdict]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    tolerance, setter = ctx.tolerance(supplier, recipient)
    slack = (0.5 if mean else 0.5 * cells) if ctx.rounded(release) else 0.0
    judged = amount_verdict(claim.number, claim.printed_step, value, slack, tolerance)
    interval = f"the printed {claim.paper_value}"
    rounding = f" (±{snap(slack):g} for the table's whole-million cells)" if slack else ""
    if judged.verdict is Verdict.REPRODUCED:
        reason = f"{_num(claim, value)}{rounding} meets {interval} at the precision it is printed with."
    elif judged.verdict is Verdict.CLOSE:
        reason = (
            f"{_num(claim, value)}{rounding} is {judged.distance:.1%} {judged.direction} {interval}: within the "
            f"{tolerance:.1%} by which the releases held revise this flow, but not at the printed precision."
        )
    else:
        reason = (
            f"{_num(claim, value)}{rounding} is {judged.distance:.1%} {judged.direction} {interval}, more than the "
            f"{tolerance:.1%} by which the releases held revise this flow."
        )
    rule = f"printed precision; close within {tolerance:.1%}, {setter}"
    return row(claim, release, round_snapped(value, 4), judged.verdict, reason, note, tolerance=rule), judged.verdict


@check("flow-sum", "flow-mean")
def _flow_amount(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    mean = claim.kind == "flow-mean"
    parts = [BY_ID[p] for p in claim.params.get("parts", ())]

    def test(release: str) -> Row:
        statistic = period_mean if mean else period_sum
        value = statistic(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        what = "Mean yearly" if mean else "Sum of"
        note = f"{what} {_flow(supplier, recipient)} {start}-{end}, millions of TIV."
        built, verdict = _amount_row(claim, ctx, release, value, end - start + 1, note, mean=mean)
        if verdict in (Verdict.REPRODUCED, Verdict.CLOSE) and parts:
            failing = []
            for part in parts:
                p_start, p_end = part.years()
                part_value = period_mean(
                    ctx.inputs.tiv, release, supplier, recipient, p_start, p_end, coverage=ctx.coverage
                )
                _, part_verdict = _amount_row(part, ctx, release, part_value, p_end - p_start + 1, "", mean=True)
                if part_verdict is not Verdict.REPRODUCED:
                    failing.append(
                        f"{part.claim_id} {snap(part_value):.0f} against the printed {snap(part.number):.0f}"
                    )
            if failing:
                built.verdict = str(Verdict.CLOSE)
                built.reason = (
                    f"The total {_num(claim, value)} is near the printed {claim.paper_value}, but its parts, which the "
                    "paper also prints, are not: the errors cancel, so it is not a reproduction."
                )
                built.note += " Parts: " + "; ".join(failing) + "."
        return built

    return per_release(claim, ctx, [supplier], recipient, start, end, test)


@check("paper-arithmetic")
def _paper_arithmetic(claim: Claim, ctx: Context) -> list[Row]:
    formula = claim.param("formula")
    if formula == "years-of-mean":
        # The claim is the period the paper names (``years[1]`` years); its own total and mean test it.
        total, mean = BY_ID[str(claim.param("total"))].number, BY_ID[str(claim.param("mean"))].number
        implied = total / mean
        short, stated = claim.param("years")
        verdict = arithmetic_verdict(mean, total / stated, 1)
        fits = {Verdict.ARITHMETIC_CONSISTENT: "matches", Verdict.ARITHMETIC_INCONSISTENT: "does not match"}
        other = fits[arithmetic_verdict(mean, total / short, 1)]
        reason = (
            f"The paper names a period of {stated} years, but its own total and mean imply {snap(implied):.2f}: "
            f"{snap(total):.0f}/{stated} = {snap(total / stated):.2f} {fits[verdict]} the printed {mean}, while "
            f"{snap(total):.0f}/{short} = {snap(total / short):.2f} {other} it."
        )
        note = (
            "The figures are therefore for a period of "
            + (f"{stated}" if verdict is Verdict.ARITHMETIC_CONSISTENT else f"{short}")
            + " years."
        )
        return [row(claim, NO_VINTAGE, round_snapped(implied, 2), verdict, reason, note, paper=float(stated))]
    if formula == "percent-fall":
        before, after = BY_ID[str(claim.param("before"))].number, BY_ID[str(claim.param("after"))].number
        fall = 100 * (1 - after / before)
        verdict = arithmetic_verdict(claim.number, fall, int(claim.param("decimals")))
        holds = "rounds" if verdict is Verdict.ARITHMETIC_CONSISTENT else "does not round"
        reason = f"The paper's own means give 1 - {snap(after):.0f}/{snap(before):.0f} = {snap(fall):.2f}%, which {holds} to its printed {_num(claim, claim.number)}."
        note = (
            f"The two means also imply a 2005-2011 total of 3 x {snap(before):.0f} + 4 x {snap(after):.0f} = "
            f"{snap(3 * before + 4 * after):.0f}. The fall in each release is the fall of the two means, shown with "
            "them (this claim restates them)."
        )
        return [row(claim, NO_VINTAGE, round_snapped(fall, 2), verdict, reason, note)]
    raise KeyError(f"{claim.claim_id}: unknown formula {formula!r}")


@check("trade-value")
def _trade_value(claim: Claim, ctx: Context) -> list[Row]:
    rows = []
    year, tolerance = int(claim.param("year")), float(claim.param("tolerance"))
    for entry in claim.param("flows"):
        value, estimated = dots_value(ctx.inputs.dots, entry["reporter"], entry["partner"], entry["flow"], year)
        verdict = relative_verdict(claim.number, value, tolerance)
        gap = value / claim.number - 1
        reason = (
            f"The IMF's {snap(value):,.0f} US$ million ({entry['label']}) is {abs(gap):.1%} "
            f"{'above' if gap > 0 else 'below'} the printed {claim.paper_value}, "
            + ("within" if verdict is Verdict.REPRODUCED else "outside")
            + f" {tolerance:.0%}."
        )
        rows.append(
            row(
                claim,
                f"{DOTS_LABEL}/{entry['reporter']}",
                round_snapped(value, 1),
                verdict,
                reason,
                f"{entry['label']}, {year}, US$ million ({'estimate' if estimated else 'reported'}).",
                tolerance=f"±{tolerance:.0%} relative",
            )
        )
    return rows


@check("trade-share")
def _trade_share(claim: Claim, ctx: Context) -> list[Row]:
    part, whole = BY_ID[str(claim.param("part"))].number, BY_ID[str(claim.param("whole"))].number
    printed = 100 * part / whole
    verdict = arithmetic_verdict(claim.number, printed, int(claim.param("decimals")))
    holds = "rounds" if verdict is Verdict.ARITHMETIC_CONSISTENT else "does not round"
    rows = [
        row(
            claim,
            NO_VINTAGE,
            round_snapped(printed, 4),
            verdict,
            f"The paper's own numbers give {snap(part):.0f} / {snap(whole):.0f} = {snap(printed):.3f}%, which {holds} to its printed {claim.number}%.",
            "The share restates its two parts, so it is counted with them.",
        )
    ]
    why = (
        "Not testable with these sources: a share of trade needs arms and trade in the same unit, and SIPRI's TIV "
        "(a volume index, constant-1990 units) cannot be divided by trade in current dollars"
    )
    supplier, recipient, year = str(claim.param("supplier")), str(claim.param("recipient")), int(claim.param("year"))
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, [supplier], year, year, recipient=recipient)
        info = (
            gap
            or f"for information, SIPRI puts {_flow(supplier, recipient)} in {year} at {snap(period_sum(ctx.inputs.tiv, release, supplier, recipient, year, year, coverage=ctx.coverage)):,.0f} million TIV"
        )
        rows.append(not_testable(claim, release, f"{why}; {info}."))
    return rows


# --- criteria over the yearly series ------------------------------------------------------------------


@check("joint-share")
def _joint_share(claim: Claim, ctx: Context) -> list[Row]:
    suppliers, recipient = list(claim.param("suppliers")), str(claim.param("recipient"))
    start, end = claim.years()
    minimum = float(claim.param("min_share"))

    def test(release: str) -> Row:
        ranking = supplier_ranking(ctx.inputs.tiv, release, recipient, start, end)
        block = supplier_shares(
            ctx.inputs.tiv,
            vintage=release,
            recipient=recipient,
            suppliers=suppliers,
            start=start,
            end=end,
            window=end - start + 1,
            coverage=ctx.coverage,
        )
        share = 100 * float(block["share"].sum())
        top = set(ranking.index[: len(suppliers)]) == set(suppliers)
        verdict = criterion_verdict(top and share >= minimum)
        reason = (
            f"{' and '.join(suppliers)} are {'' if top else 'not '}{in_prose(recipient)}'s {len(suppliers)} largest "
            f"suppliers in {start}-{end}, with {snap(share):.0f}% of its TIV together."
        )
        return row(
            claim, release, round_snapped(share, 1), verdict, reason, f"Top suppliers: {', '.join(ranking.index[:3])}."
        )

    return per_release(claim, ctx, None, recipient, start, end, test)


@check("rank-each-period")
def _rank_each_period(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    periods = [(str(p), _president_years(str(p))) for p in claim.param("periods")]
    rows = []
    for release in ctx.releases:
        gap = next(
            (g for _, years in periods if (g := ctx.coverage.gap(release, None, *years, recipient=recipient))), None
        )
        if gap:
            rows.append(not_testable(claim, release, gap))
            continue
        ranks, parts, shares = [], [], []
        for name, (start, end) in periods:
            ranking = supplier_ranking(ctx.inputs.tiv, release, recipient, start, end)
            share = 100 * float(ranking.get(supplier, 0.0)) / float(ranking.sum())
            rank = list(ranking.index).index(supplier) + 1 if supplier in ranking.index else len(ranking) + 1
            ranks.append(rank)
            shares.append(share)
            parts.append(
                f"{name} ({start}-{end}): {snap(ranking.get(supplier, 0)):,.0f} million TIV, {snap(share):.1f}% share, rank {rank}"
            )
        first_each, second_each = all(r == 1 for r in ranks), all(r <= 2 for r in ranks)
        verdict = criterion_verdict(first_each, second_each)
        words = [f"{'first' if r == 1 else 'second' if r == 2 else f'number {r}'}" for r in ranks]
        places = (
            f"{words[0]} under both presidents"
            if len(set(words)) == 1
            else " and ".join(words) + " under the two presidents"
        )
        reason = (
            f"In release {release}, {supplier} ranks {places} among {possessive(in_prose(recipient))} suppliers: "
            + (
                "the largest supplier, a crucial role."
                if first_each
                else "a steady second place, which 'crucial' overstates."
                if second_each
                else "not a crucial role."
            )
        )
        rows.append(row(claim, release, round_snapped(min(shares), 1), verdict, reason, "; ".join(parts) + "."))
    return rows


@check("change-between")
def _change_between(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    before, after = _president_years(claim.param("before")), _president_years(claim.param("after"))
    rising = claim.param("expect") == "rise"

    def test(release: str) -> Row:
        first = period_mean(ctx.inputs.tiv, release, supplier, recipient, *before, coverage=ctx.coverage)
        second = period_mean(ctx.inputs.tiv, release, supplier, recipient, *after, coverage=ctx.coverage)
        grew = second > first
        verdict = criterion_verdict(grew == rising)
        reason = (
            f"In release {release}, {possessive(supplier)} mean yearly deliveries to {in_prose(recipient)} went from "
            f"{snap(first):,.0f} million TIV "
            f"({before[0]}-{before[1]}) to {snap(second):,.0f} ({after[0]}-{after[1]}): they "
            + ("grew." if grew else "did not grow.")
        )
        note = "SIPRI measures deliveries of major arms, one part of a relationship."
        return row(claim, release, round_snapped(second / first, 3), verdict, reason, note)

    return per_release(claim, ctx, [supplier], recipient, min(before[0], after[0]), max(before[1], after[1]), test)


@check("imports-fall")
def _imports_fall(claim: Claim, ctx: Context) -> list[Row]:
    recipient = str(claim.param("recipient"))
    before, after = _president_years(str(claim.param("before"))), _president_years(str(claim.param("after")))

    def test(release: str) -> Row:
        ranking_before = supplier_ranking(ctx.inputs.tiv, release, recipient, *before)
        ranking_after = supplier_ranking(ctx.inputs.tiv, release, recipient, *after)
        first = float(ranking_before.sum()) / (before[1] - before[0] + 1)
        second = float(ranking_after.sum()) / (after[1] - after[0] + 1)
        fell = second < first
        verdict = criterion_verdict(False, fell)
        reason = (
            f"In release {release}, {possessive(recipient)} yearly arms imports went from {snap(first):,.0f} million TIV "
            f"({before[0]}-{before[1]}) "
            f"to {snap(second):,.0f} ({after[0]}-{after[1]}): "
            + (
                "less reliance on imports, consistent with the claim, though SIPRI cannot show what Iran built itself."
                if fell
                else "no fall in imports."
            )
        )
        return row(claim, release, round_snapped(second / first, 3), verdict, reason, "All suppliers, mean per year.")

    return per_release(claim, ctx, None, recipient, before[0], after[1], test)


@check("steady")
def _steady(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    maximum = float(claim.param("max_cv"))
    estimates = {
        release: estimated_share(
            ctx.inputs.deliveries, vintage=release, supplier=supplier, recipient=recipient, start=start, end=end
        )
        for release in ctx.releases
    }

    def test(release: str) -> Row:
        values = yearly(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        cv = coefficient_of_variation(values)
        every_year = bool((values > 0).all())
        steady = every_year and cv <= maximum
        flagged = estimates[release]
        share = (
            float(flagged["estimated_tiv"].sum() / flagged["tiv"].sum())
            if len(flagged) and flagged["tiv"].sum()
            else None
        )
        verdict = criterion_verdict(False, steady) if steady else Verdict.NOT_SUPPORTED
        basis = (
            f"; SIPRI marks the delivery year of {share:.0%} of that TIV as its estimate, so the pace is partly SIPRI's schedule"
            if share is not None
            else "; SIPRI's yearly figures rest in part on its own estimates of delivery years (the registers mark these deals as uncertain)"
        )
        reason = (
            f"In release {release}, deliveries in {int((values > 0).sum())} of {len(values)} years, with a coefficient "
            f"of variation of {snap(cv):.2f} (the criterion: a delivery every year and a coefficient of at most "
            f"{maximum:g})" + basis + ": at most partly supported."
        )
        note = f"Yearly TIV ranges from {snap(values.min()):.0f} to {snap(values.max()):.0f} million."
        return row(claim, release, round_snapped(cv, 3), verdict, reason, note)

    return per_release(claim, ctx, [supplier], recipient, start, end, test)


@check("leader")
def _leader(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    rows = []
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, None, start, end, recipient=recipient)
        ranking = supplier_ranking(ctx.inputs.tiv, release, recipient, start, end)
        if gap:
            held = ", ".join(f"{s} {snap(v):.0f}" for s, v in ranking.items()) or "none"
            rows.append(not_testable(claim, release, f"{gap}. Among the suppliers held: {held} million TIV."))
            continue
        first = ranking.index[0]
        second = ranking.iloc[1] if len(ranking) > 1 else 0.0
        reason = (
            f"{first} is {possessive(in_prose(recipient))} largest supplier in {start}-{end} "
            f"({snap(ranking.iloc[0]):,.0f} million TIV, the next {snap(second):,.0f})"
            + ("." if first == supplier else f", not {supplier}.")
        )
        rows.append(
            row(
                claim,
                release,
                float(ranking.get(supplier, 0.0)),
                criterion_verdict(first == supplier),
                reason,
                f"{possessive(supplier)} deliveries, millions of TIV.",
            )
        )
    return rows


@check("leader-kept")
def _leader_kept(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    before, (start, end) = claim.years("before"), claim.years()

    def test(release: str) -> Row:
        earlier = supplier_ranking(ctx.inputs.tiv, release, recipient, *before)
        during = supplier_ranking(ctx.inputs.tiv, release, recipient, start, end)
        share = 100 * float(during.get(supplier, 0.0)) / float(during.sum())
        kept = earlier.index[0] == supplier and during.index[0] == supplier
        reason = (
            f"The largest supplier is {earlier.index[0]} in {before[0]}-{before[1]} and {during.index[0]} in {start}-{end}"
            + (f": {supplier} kept first place." if kept else ".")
        )
        note = (
            f"{possessive(supplier)} share of {possessive(in_prose(recipient))} TIV {start}-{end}: {snap(share):.1f}%."
        )
        return row(claim, release, round_snapped(share, 1), criterion_verdict(kept), reason, note)

    return per_release(claim, ctx, None, recipient, before[0], end, test)


@check("fall")
def _fall(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    before, after = claim.years("before"), claim.years("after")
    ratio_max = float(claim.param("max_ratio"))

    def test(release: str) -> Row:
        first = period_mean(ctx.inputs.tiv, release, supplier, recipient, *before, coverage=ctx.coverage)
        second = period_mean(ctx.inputs.tiv, release, supplier, recipient, *after, coverage=ctx.coverage)
        ratio = second / first
        reason = (
            f"The {after[0]}-{after[1]} mean ({snap(second):,.0f} million TIV a year) is {snap(ratio):.0%} of the "
            f"{before[0]}-{before[1]} mean ({snap(first):,.0f})"
            + ("." if ratio < ratio_max else ": not a fall by half.")
        )
        return row(
            claim,
            release,
            round_snapped(ratio, 3),
            criterion_verdict(ratio < ratio_max),
            reason,
            "Yearly means, millions of TIV.",
        )

    return per_release(claim, ctx, [supplier], recipient, before[0], after[1], test)


@check("cause-baseline")
def _cause_baseline(claim: Claim, ctx: Context) -> list[Row]:
    # Filled in with the panel of every recipient (sinoiran.analysis.panel) once it is available.
    from sinoiran.claims import baseline

    return baseline.cause_rows(claim, ctx, row, not_testable)


@check("flow-multiple")
def _flow_multiple(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    partners = list(claim.param("partners"))
    start, end = claim.years()
    minimum = float(claim.param("min_multiple"))
    rows = []
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, [supplier], start, end, recipient=recipient)
        missing = [p for p in (recipient, *partners) if not holds_pair(ctx.inputs.tiv, release, supplier, p)]
        if gap or missing:
            rows.append(
                not_testable(
                    claim,
                    release,
                    gap or f"the project's copy of vintage {release} does not hold {_flow(supplier, missing[0])}",
                )
            )
            continue
        base = period_sum(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        others = {
            p: period_sum(ctx.inputs.tiv, release, supplier, p, start, end, coverage=ctx.coverage) for p in partners
        }
        ratio = min(others.values()) / base
        reason = (
            f"{possessive(supplier)} deliveries to {' and to '.join(partners)} are each at least {snap(ratio):.1f} times those "
            f"to {in_prose(recipient)} in {start}-{end}"
            + ("." if ratio >= minimum else f": less than {minimum:g} times.")
        )
        note = (
            ", ".join(f"{p} {snap(v):.0f}" for p, v in others.items())
            + f", {recipient} {snap(base):,.0f} million TIV. SIPRI measures deliveries of major arms, one part of 'military ties'."
        )
        rows.append(row(claim, release, round_snapped(ratio, 2), criterion_verdict(ratio >= minimum), reason, note))
    return rows


@check("flow-below-all")
def _flow_below_all(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    others = [(o["supplier"], o["recipient"]) for o in claim.param("others")]
    start, end = claim.years()
    rows = []
    for release in ctx.releases:
        gap = ctx.coverage.gap(release, [supplier], start, end, recipient=recipient) or next(
            (g for s, r in others if (g := ctx.coverage.gap(release, [s], start, end, recipient=r))), None
        )
        if gap:
            rows.append(not_testable(claim, release, gap))
            continue
        own = period_sum(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        theirs = {r: period_sum(ctx.inputs.tiv, release, s, r, start, end, coverage=ctx.coverage) for s, r in others}
        smallest = min(theirs, key=lambda name: theirs[name])
        below = all(own < v for v in theirs.values())
        reason = (
            f"{_flow(supplier, recipient)[0].upper() + _flow(supplier, recipient)[1:]} ({snap(own):,.0f} million TIV) are {snap(own / theirs[smallest]):.0%} "
            f"of the smallest of the others ({smallest}, {snap(theirs[smallest]):,.0f})"
            + ("." if below else ": not below all of them.")
        )
        note = "US deliveries: " + ", ".join(f"{n} {snap(v):.0f}" for n, v in theirs.items()) + " million TIV."
        rows.append(
            row(claim, release, round_snapped(own / theirs[smallest], 3), criterion_verdict(below), reason, note)
        )
    return rows


@check("continuity")
def _continuity(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    register = str(claim.param("register"))
    status = delivery_status(
        ctx.inputs.register, vintage=register, supplier=supplier, recipient=recipient, start=start, end=end
    )
    assumed = [int(y) for y in status.loc[status["all_uncertain"], "year"]]

    def test(release: str) -> Row:
        values = yearly(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        every = bool((values > 0).all())
        missing = [str(y) for y, v in values.items() if v <= 0]
        if not every:
            verdict, reason = Verdict.NOT_SUPPORTED, f"No Chinese delivery in {', '.join(missing)}."
        elif assumed:
            verdict = Verdict.PARTLY_SUPPORTED
            reason = (
                f"SIPRI records a delivery in every year {start}-{end}, but from {assumed[0]} on every delivering deal is "
                f"one the {register} register marks as of uncertain status since 2010 (the UN embargo): continuity there "
                "is SIPRI's assumption, not an observation."
            )
        else:
            verdict, reason = Verdict.SUPPORTED, f"SIPRI records a delivery in every year {start}-{end}."
        share = 100 * float((values > 0).mean())
        note = (
            f"Smallest year {snap(values.min()):.1f} million TIV. Register {register}: deals delivering per year "
            + ", ".join(f"{r.year} {r.uncertain}/{r.deals} uncertain" for r in status.itertuples())
            + "."
        )
        return row(claim, release, round_snapped(share, 1), verdict, reason, note)

    return per_release(claim, ctx, [supplier], recipient, start, end, test)


@check("substitution")
def _substitution(claim: Claim, ctx: Context) -> list[Row]:
    supplier, recipient = str(claim.param("supplier")), str(claim.param("recipient"))
    start, end = claim.years()
    after = int(claim.param("orders_after"))
    halt = event_month(ctx.inputs.events, str(claim.param("event")))
    newest = {
        label: newest_order(ctx.inputs.register, vintage=vintage, supplier=supplier, recipient=recipient)
        for label, vintage in ctx.registers.items()
    }
    new_orders = {label: year for label, year in newest.items() if not pd.isna(year) and int(year) > after}

    def test(release: str) -> Row:
        values = yearly(ctx.inputs.tiv, release, supplier, recipient, start, end, coverage=ctx.coverage)
        rising = any(b > a for a, b in zip(values.iloc[:-1], values.iloc[1:], strict=True))
        verdict = criterion_verdict(bool(new_orders) or rising)
        reason = (
            f"No register records a Chinese order for Iran after {after} (newest: "
            + ", ".join(f"{int(y)} in {label}" for label, y in newest.items() if not pd.isna(y))
            + f"), and {possessive(supplier)} deliveries "
            + ("rose in some year" if rising else "fell every year")
            + f" {start}-{end}"
            + (": nothing in SIPRI's data fills a gap after the halt." if not (new_orders or rising) else ".")
        )
        note = (
            f"Halt of {halt[1]:02d}/{halt[0]} (events table). Yearly TIV: "
            + ", ".join(f"{y} {snap(v):.0f}" for y, v in values.items())
            + "."
        )
        return row(claim, release, round_snapped(float(values.iloc[-1] - values.iloc[0]), 1), verdict, reason, note)

    return per_release(claim, ctx, [supplier], recipient, start, end, test)


# --- registers ----------------------------------------------------------------------------------------

#: Registers that hold only deals with deliveries ending in recent years: their silence about an older
#: delivery proves nothing (the c. 2013 register lists deals ending 2007-2012).
RECENT_ONLY_REGISTERS = {"register-2013": "holds only deals whose deliveries ended in 2007-2012"}


@check("register-items")
def _register_items(claim: Claim, ctx: Context) -> list[Row]:
    items = listed_items(claim)
    need_period = bool(claim.param("need_period"))
    period = claim.years()
    table = listed_items_check(
        ctx.inputs.register, items, registers=ctx.registers, supplier=str(claim.param("supplier")), period=period
    )
    rows = []
    for label in ctx.registers:
        if not need_period and label in RECENT_ONLY_REGISTERS:
            rows.append(
                not_testable(
                    claim,
                    label,
                    f"The paper gives no period and this register {RECENT_ONLY_REGISTERS[label]}, so its silence about "
                    "earlier deliveries proves nothing.",
                )
            )
            continue
        sub = table[(table["register"] == label) & table["in_coverage"]]
        hits = sub["delivered_in_period"] if need_period else sub["records"].ne("")
        outside = table[(table["register"] == label) & ~table["in_coverage"]]["item"].tolist()
        verdict = criterion_verdict(bool(hits.all()), bool(hits.any()))
        found = [
            f"{i}: {r or 'no record'} ({why})"
            for i, r, why in zip(sub["item"], sub["records"], sub["note"], strict=True)
        ]
        what = f"with deliveries in {period[0]}-{period[1]}" if need_period else "recorded"
        reason = (
            f"{int(hits.sum())} of the {len(sub)} listed items inside SIPRI's coverage "
            f"{'has' if int(hits.sum()) == 1 else 'have'} a register record {what}"
            + (f"; {len(outside)} items are outside SIPRI's coverage." if outside else ".")
        )
        note = (
            "Records (delivery years): "
            + "; ".join(found)
            + (f". Outside SIPRI's coverage, so not testable here: {', '.join(outside)}." if outside else ".")
        )
        rows.append(row(claim, label, f"{int(hits.sum())} of {len(sub)} covered items {what}", verdict, reason, note))
    return rows


@check("register-same-system")
def _register_same_system(claim: Claim, ctx: Context) -> list[Row]:
    rows = []
    for label, vintage in ctx.registers.items():
        system = register_records(
            ctx.inputs.register, vintage, str(claim.param("supplier")), str(claim.param("system"))
        )
        named = register_records(ctx.inputs.register, vintage, str(claim.param("supplier")), str(claim.param("named")))

        def listed(found: pd.DataFrame) -> str:
            return ", ".join(f"{r.designation} ({r.delivery_first}-{r.delivery_last})" for r in found.itertuples())

        if not system.empty and not named.empty:
            rows.append(
                row(
                    claim,
                    label,
                    "two systems",
                    Verdict.NOT_SUPPORTED,
                    "The register lists the C-802 and the HY-2 family, which the name Silkworm belongs to, as separate systems.",
                    f"{listed(system)}; {listed(named)}.",
                )
            )
        else:
            rows.append(
                not_testable(
                    claim,
                    label,
                    f"The register holds {listed(system) or 'no C-802'} and no HY-2 (Silkworm) record in its years, so it "
                    "cannot show whether the paper's name fits.",
                )
            )
    return rows
