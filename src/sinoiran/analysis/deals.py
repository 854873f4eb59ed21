"""Deal-level views: the register deals the paper's items refer to, and what China delivered by weapon type."""

from __future__ import annotations

import pandas as pd

from sinoiran.data.paper import ListedItem
from sinoiran.data.vintages import REGISTER_LABELS


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
    register: pd.DataFrame, items: list[ListedItem], supplier: str = "China", period: tuple[int, int] = (2005, 2013)
) -> pd.DataFrame:
    """Per item and register vintage: in coverage?, records found, with deliveries in ``period``?"""
    rows = []
    for label, vintage in REGISTER_LABELS.items():
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
