"""Deal-level views: the register deals the paper's items refer to, and what China delivered by weapon type."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sinoiran.base.releases import ListedItem


def _marked(flag: object) -> bool:
    """True where SIPRI marks a value as uncertain (an unknown flag counts as not marked)."""
    return not pd.isna(flag) and bool(flag)


def deals_table(register: pd.DataFrame, *, vintage: str, suppliers: list[str], start: int, end: int) -> pd.DataFrame:
    """Deals of one register vintage from ``suppliers`` to Iran with deliveries overlapping ``start..end``.

    Columns: supplier, designation, description, ordered (year), number ordered,
    number delivered, delivery years (first-last), TIV delivered (millions; empty
    in the c. 2013 register, which has none).
    """
    deals = register[(register["vintage"] == vintage) & register["supplier"].isin(suppliers)]
    overlap = (deals["delivery_last"] >= start) & (deals["delivery_first"] <= end)
    deals = deals[overlap.fillna(False)]
    out = pd.DataFrame(
        {
            "supplier": deals["supplier"],
            "designation": deals["designation"],
            "description": deals["description"],
            "ordered": deals["order_year"],
            "number ordered": deals["number_ordered"],
            "number delivered": deals["number_delivered"],
            "delivery years": deals["delivery_first"].astype("string") + "-" + deals["delivery_last"].astype("string"),
            "TIV delivered": deals["tiv_delivered"],
        }
    )
    return out.sort_values(["supplier", "ordered", "designation"], kind="stable").reset_index(drop=True)


def composition(items: pd.DataFrame, *, supplier: str, recipient: str, start: int, end: int) -> pd.DataFrame:
    """What ``supplier`` delivered to ``recipient`` in ``start..end`` by weapon type (mirror items).

    Returns ``description, tiv, share`` (TIV in millions, share a fraction), largest first.
    """
    rows = items[
        (items["supplier"] == supplier) & (items["recipient"] == recipient) & items["year"].between(start, end)
    ]
    by_type = (
        rows.groupby("description", as_index=False)["tiv"].sum().sort_values("tiv", ascending=False, kind="stable")
    )
    total = by_type["tiv"].sum()
    by_type["share"] = by_type["tiv"] / total if total else float("nan")
    return by_type.reset_index(drop=True)


def register_records(
    register: pd.DataFrame, vintage: str, supplier: str, pattern: str, field: str = "designation"
) -> pd.DataFrame:
    """Deals of one register vintage from ``supplier`` whose ``field`` matches ``pattern`` (regex, case-insensitive)."""
    deals = register[(register["vintage"] == vintage) & (register["supplier"] == supplier)]
    return deals[deals[field].str.contains(pattern, case=False, regex=True, na=False)]


def listed_items_check(
    register: pd.DataFrame,
    items: list[ListedItem],
    *,
    registers: Mapping[str, str],
    supplier: str = "China",
    period: tuple[int, int] = (2005, 2013),
) -> pd.DataFrame:
    """Per item and register vintage: in coverage?, records found, with deliveries in ``period``?

    ``registers`` maps each register's ledger label to its vintage (``register-2024`` -> ``2024``), as
    :attr:`sinoiran.base.releases.Coverage.registers` holds them."""
    rows = []
    for label, vintage in registers.items():
        for item in items:
            if not item.covered:
                rows.append(
                    {
                        "item": item.item,
                        "register": label,
                        "in_coverage": False,
                        "records": "",
                        "delivered_in_period": False,
                        "note": item.coverage_note,
                    }
                )
                continue
            found = pd.concat(
                [
                    register_records(register, vintage, supplier, item.designation_pattern)
                    if item.designation_pattern
                    else register.iloc[0:0],
                    register_records(register, vintage, supplier, item.description_pattern, "description")
                    if item.description_pattern
                    else register.iloc[0:0],
                ]
            ).drop_duplicates()
            in_period = found[(found["delivery_last"] >= period[0]) & (found["delivery_first"] <= period[1])]
            described = ", ".join(f"{r.designation} ({r.delivery_first}-{r.delivery_last})" for r in found.itertuples())
            rows.append(
                {
                    "item": item.item,
                    "register": label,
                    "in_coverage": True,
                    "records": described,
                    "delivered_in_period": not in_period.empty,
                    "note": item.coverage_note,
                }
            )
    return pd.DataFrame(rows)


def rebuild_deliveries(register: pd.DataFrame, *, vintage: str, supplier: str, recipient: str) -> pd.DataFrame:
    """Yearly deliveries rebuilt deal by deal from one register vintage: number delivered x TIV per unit.

    The register gives, per deal, the number delivered and the years of delivery, not the number per year;
    this rebuild spreads the number evenly over the listed years. That is the rebuild's assumption, not
    SIPRI's: SIPRI records a number per year (the transfers export shows it, see
    :func:`yearly_from_deliveries`), and :func:`even_spread` measures what the assumption costs.
    Returns ``designation, description, order_year, year, number, tiv`` (millions of TIV) and ``estimated``
    (SIPRI marks the number delivered or the order year as uncertain). Deals without a
    TIV per unit (the c. 2013 register has none) are left out; an empty frame means the vintage cannot
    rebuild anything.
    """
    deals = register[
        (register["vintage"] == vintage) & (register["supplier"] == supplier) & (register["recipient"] == recipient)
    ]
    rows = []
    for deal in deals.itertuples():
        if pd.isna(deal.tiv_per_unit) or pd.isna(deal.number_delivered) or pd.isna(deal.delivery_first):
            continue
        listed = str(deal.delivery_years or "")
        years = [int(y) for y in listed.split(";") if y] or list(
            range(int(deal.delivery_first), int(deal.delivery_last) + 1)
        )
        per_year = float(deal.number_delivered) / len(years)
        for year in years:
            rows.append(
                {
                    "designation": deal.designation,
                    "description": deal.description,
                    "order_year": int(deal.order_year) if not pd.isna(deal.order_year) else None,
                    "year": year,
                    "number": per_year,
                    "tiv": per_year * float(deal.tiv_per_unit),
                    "estimated": _marked(deal.number_delivered_uncertain) or _marked(deal.order_year_uncertain),
                }
            )
    return pd.DataFrame(
        rows, columns=["designation", "description", "order_year", "year", "number", "tiv", "estimated"]
    )


def by_order_year(rebuilt: pd.DataFrame, *, start: int, end: int, before: int) -> pd.DataFrame:
    """Rebuilt deliveries in ``start..end`` by deal, with the order year and whether it came before ``before``.

    Returns ``designation, order_year, ordered_before, estimated, tiv, share`` (TIV in millions, share a
    fraction of the period's rebuilt total; ``estimated``: SIPRI marks the deal's numbers as uncertain),
    largest first.
    """
    rows = rebuilt[rebuilt["year"].between(start, end)]
    deals = rows.groupby(["designation", "order_year"], as_index=False).agg(
        estimated=("estimated", "any"), tiv=("tiv", "sum")
    )
    deals["ordered_before"] = deals["order_year"] < before
    deals["share"] = deals["tiv"] / deals["tiv"].sum()
    return deals.sort_values("tiv", ascending=False, kind="stable").reset_index(drop=True)


def delivery_status(
    register: pd.DataFrame, *, vintage: str, supplier: str, recipient: str, start: int, end: int
) -> pd.DataFrame:
    """Per year ``start..end``: how many of ``supplier``'s deals with ``recipient`` in one register deliver
    that year, and how many of them SIPRI's comments mark as of uncertain status from that year or earlier.

    Columns: ``year``, ``deals`` (delivering that year), ``uncertain`` (of those, marked "status since
    <year> uncertain" with that year at most the delivery year), ``all_uncertain`` (every delivering deal
    is marked: a delivery that year is SIPRI's assumption, not an observation).
    """
    deals = register[
        (register["vintage"] == vintage) & (register["supplier"] == supplier) & (register["recipient"] == recipient)
    ]
    rows = []
    for year in range(start, end + 1):
        delivering, uncertain = 0, 0
        for deal in deals.itertuples():
            listed = [int(y) for y in str(deal.delivery_years or "").split(";") if y]
            years = listed or (
                list(range(int(deal.delivery_first), int(deal.delivery_last) + 1))
                if not pd.isna(deal.delivery_first)
                else []
            )
            if year in years:
                delivering += 1
                uncertain += not pd.isna(deal.uncertain_since) and int(deal.uncertain_since) <= year
        rows.append(
            {
                "year": year,
                "deals": delivering,
                "uncertain": uncertain,
                "all_uncertain": delivering > 0 and uncertain == delivering,
            }
        )
    return pd.DataFrame(rows)


def estimated_share(
    deliveries: pd.DataFrame, *, vintage: str, supplier: str, recipient: str, start: int, end: int
) -> pd.DataFrame:
    """Per year: ``supplier``'s TIV delivered to ``recipient`` (millions) in a release's per-delivery rows, and
    the part of it whose delivery year SIPRI marks as an estimate (``estimated_share``, a fraction; an empty
    flag counts as not marked). Empty where the release has no per-delivery rows."""
    rows = deliveries[
        (deliveries["vintage"] == vintage)
        & (deliveries["supplier"] == supplier)
        & (deliveries["recipient"] == recipient)
        & deliveries["year"].between(start, end)
    ]
    marked = rows["year_estimated"].fillna(False).astype(bool)
    out = (
        rows.assign(estimated_tiv=rows["tiv"].where(marked, 0.0))
        .groupby("year", as_index=False)
        .agg(tiv=("tiv", "sum"), estimated_tiv=("estimated_tiv", "sum"))
    )
    out["estimated_share"] = out["estimated_tiv"] / out["tiv"].where(out["tiv"] > 0)
    return out


def newest_order(register: pd.DataFrame, *, vintage: str, supplier: str, recipient: str) -> float:
    """The latest order year among ``supplier``'s deals with ``recipient`` in one register (NaN if none)."""
    deals = register[
        (register["vintage"] == vintage) & (register["supplier"] == supplier) & (register["recipient"] == recipient)
    ]
    years = deals["order_year"].dropna()
    return float(years.max()) if len(years) else float("nan")


def _pair_rows(deliveries: pd.DataFrame, vintage: str, supplier: str, recipient: str) -> pd.DataFrame:
    return deliveries[
        (deliveries["vintage"] == vintage)
        & (deliveries["supplier"] == supplier)
        & (deliveries["recipient"] == recipient)
    ]


def yearly_from_deliveries(deliveries: pd.DataFrame, *, vintage: str, supplier: str, recipient: str) -> pd.Series:
    """Yearly TIV delivered (millions) summed from a transfers export's per-delivery rows: SIPRI's own
    number per year times the deal's unit TIV, indexed by year. Empty where the release has no such rows."""
    rows = _pair_rows(deliveries, vintage, supplier, recipient)
    return rows.groupby("year")["tiv"].sum().rename("tiv")


def even_spread(deliveries: pd.DataFrame, *, vintage: str, supplier: str, recipient: str) -> pd.Series:
    """The same deals as :func:`yearly_from_deliveries`, with each deal's total TIV spread evenly over the
    years it delivers in, as a rebuild from a register must do (the register lists the years, not the
    number per year). The difference between the two over a window is the even-spread assumption's error."""
    rows = _pair_rows(deliveries, vintage, supplier, recipient)
    spread: list[tuple[int, float]] = []
    for _, deal in rows.groupby("deal_id"):
        years = sorted(deal["year"].unique())
        spread.extend((int(year), float(deal["tiv"].sum()) / len(years)) for year in years)
    return pd.DataFrame(spread, columns=["year", "tiv"]).groupby("year")["tiv"].sum().rename("tiv")


def local_production_share(
    deliveries: pd.DataFrame, *, vintage: str, supplier: str, recipient: str, start: int, end: int
) -> float:
    """The part (a fraction) of ``supplier``'s TIV delivered to ``recipient`` in ``start..end`` that a
    transfers export marks as produced under licence in the recipient (``local_production``): SIPRI counts
    such production as a transfer from the licensor. NaN where the release has no per-delivery rows."""
    rows = _pair_rows(deliveries, vintage, supplier, recipient)
    rows = rows[rows["year"].between(start, end)]
    if rows.empty or rows["tiv"].sum() <= 0:
        return float("nan")
    local = rows["local_production"].fillna(False).astype(bool)
    return float(rows.loc[local, "tiv"].sum() / rows["tiv"].sum())
