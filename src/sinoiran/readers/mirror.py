"""Read the 2026 per-delivery-year mirror of SIPRI data (a JSON file).

The file is a third party's rebuild of SIPRI's trade registers, shaped
``{supplier: {delivery_year: {recipient: [[number, tiv, description,
designation], ...]}}}``: one item per deal and delivery year, TIV in millions.
It is **not** a SIPRI export. Its yearly sums match SIPRI's 2026 TIV table for
China within rounding, and it is the only 2026-vintage source we hold for
suppliers other than China. The mirror's author merged the Soviet Union into
Russia and spells the United Arab Emirates "UAE".
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sinoiran.base.errors import InputError
from sinoiran.base.names import canonical_country

#: Columns of the item-level mirror table.
ITEM_COLUMNS = ["supplier", "recipient", "year", "designation", "description", "number", "tiv"]


def read_mirror(path: str | Path) -> pd.DataFrame:
    """Flatten the mirror into one row per item: supplier, recipient, year, ...

    ``number`` is the count of items delivered that year (may be missing),
    ``tiv`` the volume in millions of SIPRI TIV.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    text = path.read_text(encoding="utf-8-sig")
    if not text.strip():
        raise InputError(path, "file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(path, f"not valid JSON ({err.msg})", row=err.lineno) from None
    if not isinstance(data, dict):
        raise InputError(path, "expected an object keyed by supplier")
    if _is_deal_list(data):
        raise InputError(
            path,
            "a JSON deal list of SIPRI data (SIPRI's two-letter category codes such as 'AC', and deals under an empty "
            "year): the 2018 globalArmsTransfers file, which lists each deal once under one year with its whole TIV; "
            "its yearly sums are not deliveries per year, so it is not read",
        )
    records = []
    for supplier, by_year in data.items():
        for year, by_recipient in by_year.items():
            where = f"{supplier}/{year}"
            if not (isinstance(year, str) and year.isdigit() and len(year) == 4):
                raise InputError(path, f"delivery year key {year!r} is not a year", column=where)
            for recipient, items in by_recipient.items():
                for k, item in enumerate(items):
                    key = f"{supplier}/{year}/{recipient}[{k}]"
                    if not isinstance(item, list) or len(item) != 4:
                        raise InputError(path, "item is not [number, tiv, description, designation]", column=key)
                    number, tiv, description, designation = item
                    try:
                        tiv_value = float(tiv)
                    except (TypeError, ValueError):
                        raise InputError(path, f"non-numeric TIV {tiv!r}", column=key) from None
                    if tiv_value < 0:
                        raise InputError(path, f"negative TIV {tiv!r}", column=key)
                    count = int(number) if str(number).strip().isdigit() else None
                    records.append(
                        (
                            canonical_country(supplier),
                            canonical_country(recipient),
                            int(year),
                            str(designation).strip(),
                            str(description).strip(),
                            count,
                            tiv_value,
                        )
                    )
    items = pd.DataFrame.from_records(records, columns=ITEM_COLUMNS)
    items["number"] = items["number"].astype("Int64")
    return items.sort_values(["supplier", "recipient", "year", "designation"], kind="stable").reset_index(drop=True)


def _is_deal_list(data: dict) -> bool:
    """True for the 2018 layout of the mirror: items carry category codes ('AC', 'MI') instead of descriptions,
    and some deals sit under an empty year key."""
    import re

    codes = total = 0
    for by_year in list(data.values())[:40]:
        if not isinstance(by_year, dict):
            return False
        if "" in by_year:
            return True
        for by_recipient in list(by_year.values())[:5]:
            if not isinstance(by_recipient, dict):
                return False
            for items in by_recipient.values():
                for item in items[:3] if isinstance(items, list) else []:
                    if isinstance(item, list) and len(item) == 4:
                        total += 1
                        codes += bool(re.fullmatch(r"[A-Z]{2}", str(item[2])))
    return total > 0 and codes / total > 0.5


def yearly_tiv(items: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """Sum mirror items to ``vintage, supplier, recipient, year, tiv`` (millions of TIV).

    Sums are not rounded to SIPRI's whole millions (the mirror's items carry
    decimals); they are rounded to 1e-6 only to drop floating-point noise.
    """
    sums = items.groupby(["supplier", "recipient", "year"], as_index=False)["tiv"].sum()
    sums["tiv"] = sums["tiv"].round(6)
    sums.insert(0, "vintage", vintage)
    return sums
