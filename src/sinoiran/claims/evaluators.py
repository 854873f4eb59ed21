"""One evaluator per claim of the paper: each applies the analysis stage's functions in every vintage
the claim can be tested in and returns ledger rows with a verdict.

Evaluators are registered in ``EVALUATORS`` by claim ID. They take the loaded
tables (:class:`sinoiran.data.tables.Inputs`) and never read a file. TIV
amounts are in millions of SIPRI TIV; the paper prints them as US dollars, and
the ledger compares the numbers as printed while saying so in the unit.
Periods are inclusive calendar years.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from sinoiran.analysis.deals import listed_items_check, register_records
from sinoiran.analysis.series import (
    coefficient_of_variation,
    holds_pair,
    period_change,
    period_mean,
    period_sum,
    supplier_ranking,
    yearly,
)
from sinoiran.analysis.shares import supplier_shares
from sinoiran.analysis.trade import dots_value
from sinoiran.base.names import NEIGHBOURS, in_prose, possessive
from sinoiran.base.precision import round_snapped, snap
from sinoiran.claims.rules import (
    DOTS_LABEL,
    NO_VINTAGE,
    TIV_VINTAGES,
    Row,
    arithmetic_verdict,
    printed_verdict,
    relative_verdict,
    split_value,
    tolerance_text,
)
from sinoiran.data.events import PRESIDENCIES, event_month
from sinoiran.data.paper import BY_ID, LISTED_BOATS, LISTED_ITEMS, PAPER_DATES, Claim, ListedItem, parse_period
from sinoiran.data.tables import Inputs
from sinoiran.data.vintages import REGISTER_LABELS, coverage_gap

Evaluator = Callable[[Claim, Inputs], list[Row]]
EVALUATORS: dict[str, Evaluator] = {}


def evaluator(*claim_ids: str):
    """Register a function as the evaluator of the given claims."""

    def register(func: Evaluator) -> Evaluator:
        for claim_id in claim_ids:
            if claim_id not in BY_ID:
                raise KeyError(f"evaluator for unknown claim {claim_id}")
            EVALUATORS[claim_id] = func
        return func

    return register


def _row(
    claim: Claim, vintage: str, value: float | str | None, verdict: str, note: str, paper: float | str | None = None
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
        verdict,
        tolerance_text(claim),
        note,
    )


def _not_testable(claim: Claim, vintage: str, why: str) -> Row:
    return _row(claim, vintage, None, "not-testable", why)


def _vintage_rows(
    claim: Claim, suppliers: list[str] | None, start: int, end: int, check: Callable[[str], tuple[float, str, str]]
) -> list[Row]:
    """One row per TIV vintage: ``not-testable`` (saying why) where the vintage lacks the years or
    suppliers, else ``check(vintage) -> (value, verdict, note)``."""
    rows = []
    for vintage in TIV_VINTAGES:
        gap = coverage_gap(vintage, suppliers, start, end, recipient="Iran")
        if gap:
            rows.append(_not_testable(claim, vintage, gap))
            continue
        value, verdict, note = check(vintage)
        rows.append(_row(claim, vintage, value, verdict, note))
    return rows


#: Sums whose parts the paper also prints: the claim IDs of the parts (means over sub-periods).
COMPONENTS: dict[str, tuple[str, ...]] = {"MAIN-RUS-SUM": ("MAIN-RUS-MEAN-0507", "MAIN-RUS-MEAN-0811")}


def _amount_rows(
    claim: Claim,
    compute: Callable[[str], tuple[float, str]],
    suppliers: list[str] | None,
    start: int,
    end: int,
    parts: Callable[[str], list[tuple[Claim, float]]] | None = None,
) -> list[Row]:
    """Rows of an amount claim in every TIV vintage: compute(vintage) -> (value, note), judged by the printed
    precision rule (:func:`sinoiran.claims.rules.printed_verdict`).

    A sum whose parts the paper also prints is reproduced only if its parts are (``parts(vintage)`` gives
    each part's claim and recomputed value): a total that matches while its parts do not is *close*.
    """

    def check(vintage: str) -> tuple[float, str, str]:
        value, note = compute(vintage)
        verdict = printed_verdict(claim.number, value, claim.printed_step, claim.relative_tolerance)
        if verdict in ("reproduced", "close") and parts is not None:
            failing = [
                f"{part.claim_id} {snap(part_value):.0f} against the printed {snap(part.number):.0f}"
                for part, part_value in parts(vintage)
                if printed_verdict(part.number, part_value, part.printed_step, part.relative_tolerance) != "reproduced"
            ]
            if failing:
                verdict = "close"
                note += (
                    " The total matches, but its parts, which the paper also prints, do not ("
                    + "; ".join(failing)
                    + "): the match comes from errors that cancel, so it is not a reproduction."
                )
        return round_snapped(value, 4), verdict, note

    return _vintage_rows(claim, suppliers, start, end, check)


@evaluator("INTRO-GALLUP")
def _gallup(claim: Claim, inputs: Inputs) -> list[Row]:
    return [
        _not_testable(
            claim, NO_VINTAGE, "No opinion-poll data in the package; the figure rests on the cited Gallup release."
        )
    ]


@evaluator("INTRO-NIE-AGENCIES")
def _nie_agencies(claim: Claim, inputs: Inputs) -> list[Row]:
    return [
        _not_testable(
            claim,
            NO_VINTAGE,
            "No source in the package lists the members of the US Intelligence "
            "Community in 2007; the count rests on the NIE itself.",
        )
    ]


@evaluator("MAIN-MISSILE-FORCE")
def _missile_force(claim: Claim, inputs: Inputs) -> list[Row]:
    return [
        _not_testable(
            claim,
            NO_VINTAGE,
            "SIPRI records transfers, not national inventories or indigenous "
            "production, so the size of Iran's deployed missile force cannot be checked here.",
        )
    ]


@evaluator("INTRO-NIE-GAP")
def _nie_gap(claim: Claim, inputs: Inputs) -> list[Row]:
    nie_year, _ = event_month(inputs.events, "nie-2007")
    gap = 2009 - nie_year
    verdict = "reproduced" if gap == claim.number else "differs"
    return [
        _row(
            claim,
            NO_VINTAGE,
            float(gap),
            verdict,
            f"NIE key judgments released {nie_year} (events table); poll year 2009 as cited.",
        )
    ]


@evaluator("INTRO-NIE-CONTENT")
def _nie_content(claim: Claim, inputs: Inputs) -> list[Row]:
    nie = inputs.events.loc[inputs.events["event_id"] == "nie-2007", "description"].iloc[0]
    halted_weapons = "weapons programme" in nie
    verdict = "not-supported" if halted_weapons else "supported"
    note = (
        "The NIE's key judgments say Iran halted its nuclear weapons programme in autumn 2003 "
        "(events table: '" + nie + "'); they also say Iran's declared uranium enrichment went on. "
        "The paper's 'stopped its nuclear enrichment' conflates the two."
    )
    return [
        _row(
            claim,
            NO_VINTAGE,
            "halted the nuclear weapons programme (enrichment continued)",
            verdict,
            note,
            paper=claim.paper_value,
        )
    ]


@evaluator("CTX-WAR-LENGTH")
def _war_length(claim: Claim, inputs: Inputs) -> list[Row]:
    ev = inputs.events.set_index("event_id")["date"]
    years = (ev["war-end"] - ev["war-start"]).days / 365.25
    verdict = "reproduced" if round(years) == claim.number else "differs"
    return [
        _row(
            claim,
            NO_VINTAGE,
            round_snapped(years, 2),
            verdict,
            f"{ev['war-start']:%d %b %Y} to the ceasefire of {ev['war-end']:%d %b %Y} (events table).",
        )
    ]


@evaluator("CTX-POSTCW-SUPPLIERS")
def _postcw(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)

    def check(vintage: str) -> tuple[float, str, str]:
        ranking = supplier_ranking(inputs.tiv, vintage, "Iran", start, end)
        block = supplier_shares(
            inputs.tiv,
            vintage=vintage,
            recipient="Iran",
            suppliers=["Russia", "China"],
            start=start,
            end=end,
            window=end - start + 1,
        )
        share = 100 * float(block["share"].sum())
        top_two = set(ranking.index[:2]) == {"Russia", "China"}
        verdict = "supported" if top_two and share >= 50 else "not-supported"
        return (
            round_snapped(share, 1),
            verdict,
            (
                f"Joint share of Russia and China in Iran's TIV {start}-{end}, percent; "
                f"top two suppliers: {', '.join(ranking.index[:2])}."
            ),
        )

    return _vintage_rows(claim, None, start, end, check)


@evaluator("CTX-HASHEMI-KHATAMI")
def _hashemi_khatami(claim: Claim, inputs: Inputs) -> list[Row]:
    rows = []
    for vintage in TIV_VINTAGES:
        gaps = [coverage_gap(vintage, None, *PRESIDENCIES[p], recipient="Iran") for p in ("Rafsanjani", "Khatami")]
        if any(gaps):
            rows.append(_not_testable(claim, vintage, next(g for g in gaps if g)))
            continue
        parts, ok = [], True
        shares = []
        for president in ("Rafsanjani", "Khatami"):
            start, end = PRESIDENCIES[president]
            ranking = supplier_ranking(inputs.tiv, vintage, "Iran", start, end)
            block = supplier_shares(
                inputs.tiv,
                vintage=vintage,
                recipient="Iran",
                suppliers=["China"],
                start=start,
                end=end,
                window=end - start + 1,
            )
            share = 100 * float(block["share"].iloc[0])
            rank = list(ranking.index).index("China") + 1 if "China" in ranking.index else None
            ok = ok and rank is not None and rank <= 2
            shares.append(share)
            parts.append(
                f"{president} ({start}-{end}): {snap(ranking.get('China', 0)):.0f} million TIV, {snap(share):.1f}% share, rank {rank}"
            )
        rows.append(
            _row(
                claim,
                vintage,
                round_snapped(min(shares), 1),
                "supported" if ok else "not-supported",
                "China's smallest share across the two presidencies, percent. " + "; ".join(parts) + ".",
            )
        )
    return rows


@evaluator("MAIN-STEADY")
def _steady(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)

    def check(vintage: str) -> tuple[float, str, str]:
        values = yearly(inputs.tiv, vintage, "China", "Iran", start, end)
        cv = coefficient_of_variation(values)
        every_year = bool((values > 0).all())
        # SIPRI spreads a multi-year deal's deliveries evenly over its years, so a low variation is partly
        # the method's doing: the test can show deliveries every year, not that the pace was steady.
        verdict = "partly-supported" if every_year and cv <= 0.5 else "not-supported"
        return (
            round_snapped(cv, 3),
            verdict,
            (
                f"Coefficient of variation of China's yearly TIV to Iran {start}-{end}; "
                f"deliveries in {int((values > 0).sum())} of {len(values)} years "
                f"(range {snap(values.min()):.0f}-{snap(values.max()):.0f} million TIV). SIPRI spreads a multi-year "
                "deal's deliveries evenly over its years, so part of the steadiness is the method's, not the trade's."
            ),
        )

    return _vintage_rows(claim, ["China"], start, end, check)


def _flow_claim(supplier: str, recipient: str) -> Evaluator:
    def evaluate(claim: Claim, inputs: Inputs) -> list[Row]:
        start, end = parse_period(claim.period)

        def compute(vintage: str) -> tuple[float, str]:
            value = period_sum(inputs.tiv, vintage, supplier, recipient, start, end)
            return (
                value,
                f"Sum of {possessive(in_prose(supplier))} deliveries to {in_prose(recipient)} {start}-{end}, millions of TIV.",
            )

        def parts(vintage: str) -> list[tuple[Claim, float]]:
            return [
                (BY_ID[cid], period_mean(inputs.tiv, vintage, supplier, recipient, *parse_period(BY_ID[cid].period)))
                for cid in COMPONENTS[claim.claim_id]
            ]

        return _amount_rows(claim, compute, [supplier], start, end, parts if claim.claim_id in COMPONENTS else None)

    return evaluate


for _cid, _sup, _rec in [
    ("MAIN-CHN-SUM", "China", "Iran"),
    ("MAIN-RUS-SUM", "Russia", "Iran"),
    ("MAIN-NEIGHBOURS-PAK", "United States", "Pakistan"),
    ("MAIN-NEIGHBOURS-TUR", "United States", "Turkey"),
    ("MAIN-NEIGHBOURS-SAU", "United States", "Saudi Arabia"),
    ("MAIN-NEIGHBOURS-UAE", "United States", "UAE"),
]:
    evaluator(_cid)(_flow_claim(_sup, _rec))


def _mean_claim(supplier: str) -> Evaluator:
    def evaluate(claim: Claim, inputs: Inputs) -> list[Row]:
        start, end = parse_period(claim.period)

        def compute(vintage: str) -> tuple[float, str]:
            value = period_mean(inputs.tiv, vintage, supplier, "Iran", start, end)
            return (
                value,
                f"Mean yearly deliveries {supplier} to Iran {start}-{end} ({end - start + 1} years), millions of TIV.",
            )

        return _amount_rows(claim, compute, [supplier], start, end)

    return evaluate


for _cid, _sup in [("MAIN-CHN-MEAN", "China"), ("MAIN-RUS-MEAN-0507", "Russia"), ("MAIN-RUS-MEAN-0811", "Russia")]:
    evaluator(_cid)(_mean_claim(_sup))


def _china_2011_tiv(inputs: Inputs, vintage: str) -> str:
    """China's 2011 deliveries to Iran in ``vintage``, for information in a not-testable note."""
    gap = coverage_gap(vintage, ["China"], 2011, 2011, recipient="Iran")
    if gap:
        return gap
    return f"for information, SIPRI puts China's 2011 deliveries to Iran at {snap(period_sum(inputs.tiv, vintage, 'China', 'Iran', 2011, 2011)):.0f} million TIV"


@evaluator("MAIN-2011-ARMS")
def _arms_2011(claim: Claim, inputs: Inputs) -> list[Row]:
    why = (
        "Not testable with these sources: the paper's figure is a customs value in current US dollars from Trade "
        "Map, which the package does not hold, and SIPRI's TIV is a volume index in constant-1990 units, not money"
    )
    return [_not_testable(claim, vintage, f"{why}; {_china_2011_tiv(inputs, vintage)}.") for vintage in TIV_VINTAGES]


@evaluator("MAIN-PERIOD")
def _period(claim: Claim, inputs: Inputs) -> list[Row]:
    chn_sum, chn_mean = BY_ID["MAIN-CHN-SUM"].number, BY_ID["MAIN-CHN-MEAN"].number
    implied_years = chn_sum / chn_mean
    seven, eight = chn_sum / 7, chn_sum / 8
    verdict = arithmetic_verdict(chn_mean, seven, 1)
    fits = {"arithmetic-consistent": "matches", "arithmetic-inconsistent": "does not match"}
    rows = [
        _row(
            claim,
            NO_VINTAGE,
            round_snapped(seven, 2),
            verdict,
            f"The printed sum and mean imply {snap(implied_years):.2f} years: {snap(chn_sum):.0f}/7 = {snap(seven):.2f} (2005-2011) "
            f"{fits[verdict]} the printed {chn_mean}; {snap(chn_sum):.0f}/8 = {snap(eight):.2f} (2005-2012) "
            f"{fits[arithmetic_verdict(chn_mean, eight, 1)]} it.",
            paper=chn_mean,
        )
    ]

    # The paper fixes the period itself ("between 2005 and 2011 ... during the mentioned period"), so the
    # 2005-2012 sums are not a second test: the 2005-2011 total is MAIN-CHN-SUM's.
    return rows


def _ranking_rows(claim: Claim, inputs: Inputs, supplier: str) -> list[Row]:
    start, end = parse_period(claim.period)
    rows = []
    for vintage in TIV_VINTAGES:
        gap = coverage_gap(vintage, None, start, end, recipient="Iran")
        ranking = supplier_ranking(inputs.tiv, vintage, "Iran", start, end)
        if gap:
            held = ", ".join(f"{s} {snap(v):.0f}" for s, v in ranking.items()) or "none"
            rows.append(_not_testable(claim, vintage, f"{gap}. Among the suppliers held: {held} million TIV."))
            continue
        first = ranking.index[0]
        second = ranking.iloc[1] if len(ranking) > 1 else 0.0
        verdict = "supported" if first == supplier else "not-supported"
        rows.append(
            _row(
                claim,
                vintage,
                float(ranking.get(supplier, 0.0)),
                verdict,
                f"{supplier}'s deliveries {start}-{end}, millions of TIV; largest supplier {first} "
                f"({snap(ranking.iloc[0]):.0f}), next {snap(second):.0f}.",
            )
        )
    return rows


@evaluator("MAIN-RUS-MAJOR")
def _rus_major(claim: Claim, inputs: Inputs) -> list[Row]:
    return _ranking_rows(claim, inputs, "Russia")


@evaluator("MAIN-CHN-LARGEST")
def _chn_largest(claim: Claim, inputs: Inputs) -> list[Row]:
    return _ranking_rows(claim, inputs, "China")


@evaluator("MAIN-RUS-DECLINE")
def _rus_decline(claim: Claim, inputs: Inputs) -> list[Row]:
    def check(vintage: str) -> tuple[float, str, str]:
        before, after, _ = period_change(inputs.tiv, vintage, "Russia", "Iran", (2005, 2007), (2008, 2011))
        verdict = "supported" if after < 0.5 * before else "not-supported"
        return (
            round_snapped(after / before, 3),
            verdict,
            (
                f"Ratio of the 2008-2011 mean ({snap(after):.1f}) to the 2005-2007 "
                f"mean ({snap(before):.1f}), millions of TIV per year."
            ),
        )

    return _vintage_rows(claim, ["Russia"], 2005, 2011, check)


@evaluator("MAIN-RUS-DROP")
def _rus_drop(claim: Claim, inputs: Inputs) -> list[Row]:
    before_p, after_p = BY_ID["MAIN-RUS-MEAN-0507"].number, BY_ID["MAIN-RUS-MEAN-0811"].number
    printed_drop = 100 * (1 - after_p / before_p)
    rows = [
        _row(
            claim,
            NO_VINTAGE,
            round_snapped(printed_drop, 2),
            arithmetic_verdict(claim.number, printed_drop, 0),
            f"From the paper's own means: 1 - {snap(after_p):.0f}/{snap(before_p):.0f} = {snap(printed_drop):.2f}%. "
            f"Together they also imply a 2005-2011 sum of 3 x {snap(before_p):.0f} + 4 x {snap(after_p):.0f} = "
            f"{snap(3 * before_p + 4 * after_p):.0f} against the printed {snap(BY_ID['MAIN-RUS-SUM'].number):.0f}.",
        )
    ]

    def compute(vintage: str) -> tuple[float, str]:
        before, after, drop = period_change(inputs.tiv, vintage, "Russia", "Iran", (2005, 2007), (2008, 2011))
        return drop, f"1 - mean 2008-2011 ({snap(after):.1f}) / mean 2005-2007 ({snap(before):.1f}), percent."

    return rows + _amount_rows(claim, compute, ["Russia"], 2005, 2011)


@evaluator("MAIN-UNSC-DATES")
def _unsc_dates(claim: Claim, inputs: Inputs) -> list[Row]:
    matches, parts = 0, []
    for event_id, year, month, label in PAPER_DATES:
        actual = event_month(inputs.events, event_id)
        ok = actual == (year, month)
        matches += ok
        parts.append(f"{label}: {'matches' if ok else 'differs from'} {actual[1]:02d}/{actual[0]}")
    verdict = "reproduced" if matches == len(PAPER_DATES) else "differs"
    note = (
        "; ".join(parts) + ". The paragraph also places the EU's general arms embargo (Decision 2010/413, "
        "Jul 2010) before Resolution 1747 in its narrative."
    )
    return [_row(claim, NO_VINTAGE, f"{matches} of {len(PAPER_DATES)} match", verdict, note, paper=claim.paper_value)]


@evaluator("MAIN-S300")
def _s300(claim: Claim, inputs: Inputs) -> list[Row]:
    year, month = event_month(inputs.events, "s300-halt")
    day = int(inputs.events.loc[inputs.events["event_id"] == "s300-halt", "date"].iloc[0].day)
    ok = (year, month) == (2010, 9) and day >= 20
    records = []
    for label, vintage in REGISTER_LABELS.items():
        found = register_records(inputs.register, vintage, "Russia", r"S-300")
        records.append(
            f"{label}: "
            + (
                ", ".join(f"{d} ordered {o}" for d, o in zip(found.designation, found.order_year, strict=True))
                or "no S-300 deal"
            )
        )
    note = (
        f"Decree of {day} Sep {year} (events table) {'fits' if ok else 'does not fit'} 'late September 2010'. "
        "The 2007 contract is not in any register held (cancelled deals are not recorded as transfers): "
        + "; ".join(records)
        + "."
    )
    return [
        _row(
            claim,
            NO_VINTAGE,
            f"{day:02d}/{month:02d}/{year}",
            "reproduced" if ok else "differs",
            note,
            paper=claim.paper_value,
        )
    ]


#: Registers that hold only deals with deliveries ending in recent years: their silence about an older
#: delivery proves nothing (the c. 2013 register lists deals ending 2007-2012).
RECENT_ONLY_REGISTERS = {"register-2013": "holds only deals whose deliveries ended in 2007-2012"}


def _register_claim(items: list[ListedItem], need_period: bool) -> Evaluator:
    """Evaluator for a list of items the paper says China supplied: supported if every item inside SIPRI's
    coverage has a register record (with deliveries in 2005-2013 if ``need_period``), partly supported if some
    do, not supported if none do. Without a period, a register of recent deals only cannot test it."""

    def evaluate(claim: Claim, inputs: Inputs) -> list[Row]:
        table = listed_items_check(inputs.register, items)
        rows = []
        for label in REGISTER_LABELS:
            if not need_period and label in RECENT_ONLY_REGISTERS:
                rows.append(
                    _not_testable(
                        claim,
                        label,
                        f"The paper gives no period and this register {RECENT_ONLY_REGISTERS[label]}, "
                        "so its silence about earlier deliveries proves nothing.",
                    )
                )
                continue
            sub = table[(table["register"] == label) & table["in_coverage"]]
            hits = sub["delivered_in_period"] if need_period else sub["records"].ne("")
            outside = table[(table["register"] == label) & ~table["in_coverage"]]["item"].tolist()
            verdict = "supported" if hits.all() else "partly-supported" if hits.any() else "not-supported"
            found = [
                f"{i}: {r or 'no record'} ({why})"
                for i, r, why in zip(sub["item"], sub["records"], sub["note"], strict=True)
            ]
            note = "Records (delivery years): " + "; ".join(found)
            if outside:
                note += f". Outside SIPRI's coverage, so not testable here: {', '.join(outside)}"
            what = "with deliveries in 2005-2013" if need_period else "recorded"
            rows.append(
                _row(claim, label, f"{int(hits.sum())} of {len(sub)} covered items {what}", verdict, note + ".")
            )
        return rows

    return evaluate


evaluator("MAIN-ITEMS")(_register_claim(LISTED_ITEMS, need_period=True))
evaluator("MAIN-BOATS")(_register_claim(LISTED_BOATS, need_period=False))


@evaluator("MAIN-HQ9")
def _hq9(claim: Claim, inputs: Inputs) -> list[Row]:
    rows = []
    for label, vintage in REGISTER_LABELS.items():
        found = register_records(inputs.register, vintage, "China", r"HQ-9|FD-2000")
        sams = register_records(inputs.register, vintage, "China", r"SAM|surface-to-air", "description")
        recent = sams[sams["delivery_last"].fillna(0) >= 2009]
        verdict = "supported" if not found.empty else "not-supported"
        note = (
            (
                f"No HQ-9/FD-2000 record. Chinese surface-to-air deliveries to Iran ending 2009 or later: "
                f"{', '.join(recent.designation) or 'none'}."
            )
            if found.empty
            else f"Records: {', '.join(found.designation)}."
        )
        rows.append(_row(claim, label, float(len(found)), verdict, note))
    return rows


@evaluator("MAIN-2011-TOTAL")
def _total_2011(claim: Claim, inputs: Inputs) -> list[Row]:
    rows = []
    for reporter, partner, flow, label in [
        ("China", "Iran", "exports_fob", "China's exports to Iran, FOB"),
        ("Iran", "China", "imports_cif", "Iran's imports from China, CIF"),
    ]:
        value, estimated = dots_value(inputs.dots, reporter, partner, flow, 2011)
        verdict = relative_verdict(claim.number, value, claim.relative_tolerance)
        rows.append(
            _row(
                claim,
                f"{DOTS_LABEL}/{reporter}",
                round_snapped(value, 1),
                verdict,
                f"{label}, 2011, US$ million ({'estimate' if estimated else 'reported'}).",
            )
        )
    return rows


@evaluator("MAIN-2011-SHARE")
def _share_2011(claim: Claim, inputs: Inputs) -> list[Row]:
    arms, total = BY_ID["MAIN-2011-ARMS"].number, BY_ID["MAIN-2011-TOTAL"].number
    printed = 100 * arms / total
    rows = [
        _row(
            claim,
            NO_VINTAGE,
            round_snapped(printed, 4),
            arithmetic_verdict(claim.number, printed, 2),
            f"The paper's own numbers: {snap(arms):.0f} / {snap(total):.0f} = {snap(printed):.3f}%.",
        )
    ]
    fob, _ = dots_value(inputs.dots, "China", "Iran", "exports_fob", 2011)

    why = (
        f"Not testable with these sources: a share of trade needs arms and trade in the same unit, and SIPRI's TIV "
        f"(a volume index, constant-1990 units) cannot be divided by trade in current dollars (DOTS, China-reported "
        f"FOB {snap(fob):.0f} US$ million)"
    )
    return rows + [_not_testable(claim, v, f"{why}; {_china_2011_tiv(inputs, v)}.") for v in TIV_VINTAGES]


@evaluator("MAIN-NEIGHBOURS-LESS")
def _neighbours_less(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)

    def check(vintage: str) -> tuple[float, str, str]:
        china = period_sum(inputs.tiv, vintage, "China", "Iran", start, end)
        us = {n: period_sum(inputs.tiv, vintage, "United States", n, start, end) for n in NEIGHBOURS}
        smallest = min(us, key=lambda name: us[name])
        verdict = "supported" if all(china < v for v in us.values()) else "not-supported"
        return (
            round_snapped(china / us[smallest], 3),
            verdict,
            (
                f"China-to-Iran {snap(china):.0f} against US-to-neighbour "
                + ", ".join(f"{n} {snap(v):.0f}" for n, v in us.items())
                + f" million TIV; value = ratio to the smallest ({smallest})."
            ),
        )

    return _vintage_rows(claim, ["China", "United States"], start, end, check)


@evaluator("CONC-CONTINUITY")
def _continuity(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)

    def check(vintage: str) -> tuple[float, str, str]:
        values = yearly(inputs.tiv, vintage, "China", "Iran", start, end)
        share = 100 * float((values > 0).mean())
        missing = [str(y) for y, v in values.items() if v <= 0]
        return (
            round_snapped(share, 1),
            "supported" if share == 100 else "not-supported",
            (
                f"Percent of years {start}-{end} with a Chinese delivery; smallest year {snap(values.min()):.1f} million TIV"
                + (f"; none in {', '.join(missing)}" if missing else "")
                + "."
            ),
        )

    return _vintage_rows(claim, ["China"], start, end, check)


@evaluator("MAIN-RUS-POSITION")
def _rus_position(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)
    rows = []
    for vintage in TIV_VINTAGES:
        gap = coverage_gap(vintage, None, 1992, end, recipient="Iran")
        if gap:
            rows.append(_not_testable(claim, vintage, gap))
            continue
        before = supplier_ranking(inputs.tiv, vintage, "Iran", 1992, start - 1)
        during = supplier_ranking(inputs.tiv, vintage, "Iran", start, end)
        share = 100 * float(during.get("Russia", 0.0)) / float(during.sum())
        kept = before.index[0] == "Russia" and during.index[0] == "Russia"
        rows.append(
            _row(
                claim,
                vintage,
                round_snapped(share, 1),
                "supported" if kept else "not-supported",
                f"Russia's share of Iran's TIV {start}-{end}, percent. Largest supplier 1992-{start - 1}: "
                f"{before.index[0]}; {start}-{end}: {during.index[0]} ({snap(during.iloc[0]):.0f} million TIV, next "
                f"{during.index[1]} {snap(during.iloc[1]):.0f}).",
            )
        )
    return rows


@evaluator("MAIN-EU-EMBARGO")
def _eu_embargo(claim: Claim, inputs: Inputs) -> list[Row]:
    first = event_month(inputs.events, "eu-2007-140")
    embargo = event_month(inputs.events, "eu-2007-246")
    resolution = event_month(inputs.events, "unsc-1747")
    later = embargo > first
    note = (
        f"The EU's measures of {first[1]:02d}/{first[0]} were followed by its arms embargo of "
        f"{embargo[1]:02d}/{embargo[0]} (events table), so 'later on' is right. The paper then continues 'in March "
        f"of the same year' with Resolution 1747 ({resolution[1]:02d}/{resolution[0]}), which came before the embargo."
    )
    return [_row(claim, NO_VINTAGE, f"{embargo[1]:02d}/{embargo[0]}", "supported" if later else "not-supported", note)]


@evaluator("MAIN-RUS-PARTNERS")
def _rus_partners(claim: Claim, inputs: Inputs) -> list[Row]:
    start, end = parse_period(claim.period)
    partners = ("China", "India")
    rows = []
    for vintage in TIV_VINTAGES:
        gap = coverage_gap(vintage, ["Russia"], start, end, recipient="Iran")
        missing = [p for p in ("Iran", *partners) if not holds_pair(inputs.tiv, vintage, "Russia", p)]
        if gap or missing:
            why = (
                gap
                or f"the project's copy of vintage {vintage} does not hold Russia's deliveries to {', '.join(missing)}"
            )
            rows.append(_not_testable(claim, vintage, why))
            continue
        iran = period_sum(inputs.tiv, vintage, "Russia", "Iran", start, end)
        others = {p: period_sum(inputs.tiv, vintage, "Russia", p, start, end) for p in partners}
        ratio = min(others.values()) / iran
        rows.append(
            _row(
                claim,
                vintage,
                round_snapped(ratio, 2),
                "supported" if ratio >= 2 else "not-supported",
                f"Russia's deliveries {start}-{end}, millions of TIV: "
                + ", ".join(f"{p} {snap(v):.0f}" for p, v in others.items())
                + f", Iran {snap(iran):.0f}; value = the smaller partner's multiple of Iran's. SIPRI measures deliveries "
                "of major arms, one part of 'military ties'.",
            )
        )
    return rows


@evaluator("MAIN-SILKWORM")
def _silkworm(claim: Claim, inputs: Inputs) -> list[Row]:
    rows = []
    for label, vintage in REGISTER_LABELS.items():
        c802 = register_records(inputs.register, vintage, "China", r"C-802")
        hy2 = register_records(inputs.register, vintage, "China", r"HY-2|SY-1|Silkworm")

        def listed(found: pd.DataFrame) -> str:
            return ", ".join(f"{r.designation} ({r.delivery_first}-{r.delivery_last})" for r in found.itertuples())

        if not c802.empty and not hy2.empty:
            rows.append(
                _row(
                    claim,
                    label,
                    "two systems",
                    "not-supported",
                    f"The register lists the C-802 and the HY-2 family, which the name Silkworm belongs to, as separate "
                    f"systems: {listed(c802)}; {listed(hy2)}.",
                )
            )
        else:
            rows.append(
                _not_testable(
                    claim,
                    label,
                    f"The register holds {listed(c802) or 'no C-802'} and no HY-2 (Silkworm) record in its years, so it "
                    "cannot show whether the paper's name fits.",
                )
            )
    return rows


@evaluator("CONC-BOLSTER")
def _bolster(claim: Claim, inputs: Inputs) -> list[Row]:
    def check(vintage: str) -> tuple[float, str, str]:
        first = period_mean(inputs.tiv, vintage, "China", "Iran", 2005, 2008)
        second = period_mean(inputs.tiv, vintage, "China", "Iran", 2009, 2013)
        verdict = "supported" if second > first else "not-supported"
        return (
            round_snapped(second / first, 3),
            verdict,
            f"Ratio of China's mean yearly deliveries to Iran in the second term (2009-2013: {snap(second):.1f}) to "
            f"the first (2005-2008: {snap(first):.1f}), millions of TIV. "
            + ("Deliveries grew." if second > first else "Deliveries continued, but they did not grow."),
        )

    return _vintage_rows(claim, ["China"], 2005, 2013, check)
