"""Schemas of the project's tables: pandera for checks on read, Frictionless for the package.

Every table in ``data/`` has one :class:`TableSpec` here: its file name, a
pandera schema (types, ranges, allowed values, unique keys) and a one-line
description per column. :func:`frictionless_schema` turns the spec into the
Table Schema written to ``datapackage.json``, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from sinoiran.base.errors import InputError
from sinoiran.data.vintages import REGISTER_VINTAGES, VINTAGES

YEAR_MIN, YEAR_MAX = 1950, 2025


@dataclass(frozen=True)
class TableSpec:
    """A table of ``data/``: name, file, schema, column descriptions, key."""

    name: str
    path: str
    title: str
    schema: pa.DataFrameSchema
    descriptions: dict[str, str]
    key: list[str] = field(default_factory=list)


def _year(**kw) -> pa.Column:
    return pa.Column("int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), **kw)


def _within_vintage(frame: pd.DataFrame) -> pd.Series:
    """True where a row's year is not after its vintage's last data year."""
    ends = frame["vintage"].map({k: v.data_end for k, v in VINTAGES.items()})
    return frame["year"] <= ends.fillna(YEAR_MAX)


def _known(releases) -> pa.Check:
    """A check that a column holds only labels the manifest declares (read when the check runs, not at import)."""
    return pa.Check(lambda column: column.isin(list(releases)), error="a release the sources manifest does not declare")


_country = pa.Column("str", pa.Check.str_length(min_value=1))

SIPRI_TIV = TableSpec(
    name="sipri_tiv",
    path="sipri_tiv.csv",
    title="SIPRI TIV deliveries by supplier, recipient and year, per vintage",
    key=["vintage", "supplier", "recipient", "year"],
    schema=pa.DataFrameSchema(
        {
            "vintage": pa.Column("str", _known(VINTAGES)),
            "supplier": _country,
            "recipient": _country,
            "year": _year(),
            "tiv": pa.Column("float64", pa.Check.ge(0)),
        },
        checks=[pa.Check(_within_vintage, error="year after the vintage's last data year")],
        unique=["vintage", "supplier", "recipient", "year"],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "vintage": "SIPRI release the figure comes from (year generated; '2026-mirror' = derived mirror)",
        "supplier": "Supplying state",
        "recipient": "Receiving state",
        "year": "Calendar year of delivery",
        "tiv": "Deliveries in millions of SIPRI TIV (volume index, not money); 0 = delivered, under 0.5",
    },
)

SIPRI_TIV_TOTALS = TableSpec(
    name="sipri_tiv_totals",
    path="sipri_tiv_totals.csv",
    title="SIPRI's printed 'Total' rows of the TIV tables used, flagged apart from deliveries",
    key=["vintage", "country", "orientation", "year"],
    schema=pa.DataFrameSchema(
        {
            "vintage": pa.Column("str", _known(VINTAGES)),
            "country": _country,
            "orientation": pa.Column("str", pa.Check.isin(["by-supplier", "by-recipient"])),
            "year": _year(),
            "tiv": pa.Column("float64", pa.Check.ge(0)),
        },
        checks=[pa.Check(_within_vintage, error="year after the vintage's last data year")],
        unique=["vintage", "country", "orientation", "year"],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "vintage": "SIPRI release",
        "country": "The country the table is about",
        "orientation": "by-supplier: total exports of the country; by-recipient: total imports",
        "year": "Calendar year",
        "tiv": "SIPRI's printed total, millions of TIV",
    },
)

_flag = pa.Column("bool")
#: A flag SIPRI may leave unsaid (True, False, or empty for unknown).
_maybe = pa.Column("boolean", nullable=True)
_count = pa.Column("Int64", pa.Check.ge(0), nullable=True)
_tiv_opt = pa.Column("float64", pa.Check.ge(0), nullable=True)

SIPRI_REGISTER = TableSpec(
    name="sipri_register",
    path="sipri_register_iran.csv",
    title="SIPRI trade-register deals with Iran as recipient, per register vintage",
    schema=pa.DataFrameSchema(
        {
            "vintage": pa.Column("str", _known(REGISTER_VINTAGES)),
            "supplier": _country,
            "recipient": _country,
            "designation": pa.Column("str", pa.Check.str_length(min_value=1)),
            "description": pa.Column("str"),
            "order_year": pa.Column("Int64", pa.Check.in_range(YEAR_MIN - 10, YEAR_MAX), nullable=True),
            "order_year_uncertain": _maybe,
            "number_ordered": _count,
            "number_ordered_uncertain": _maybe,
            "number_delivered": _count,
            "number_delivered_uncertain": _maybe,
            "delivery_first": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), nullable=True),
            "delivery_last": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), nullable=True),
            "delivery_years": pa.Column("str", pa.Check.str_matches(r"^(\d{4}(;\d{4})*)?$"), nullable=True),
            "delivered_scope": pa.Column("str", pa.Check.str_matches(r"^(all|unstated|\d{4}-\d{4})$")),
            "status": pa.Column("str"),
            "tiv_per_unit": _tiv_opt,
            "tiv_total_order": _tiv_opt,
            "tiv_delivered": _tiv_opt,
            "uncertain_since": pa.Column("Int64", pa.Check.in_range(YEAR_MIN, YEAR_MAX), nullable=True),
            "replaces_order_year": pa.Column("Int64", pa.Check.in_range(YEAR_MIN - 10, YEAR_MAX), nullable=True),
            "cancelled_year": pa.Column("Int64", pa.Check.in_range(YEAR_MIN - 10, YEAR_MAX), nullable=True),
        },
        checks=[
            pa.Check(
                lambda f: (f["delivery_first"] <= f["delivery_last"]).fillna(True),
                error="delivery_first after delivery_last",
            )
        ],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "vintage": "Register release (see datapackage sources)",
        "supplier": "Supplying state",
        "recipient": "Receiving state",
        "designation": "SIPRI weapon designation",
        "description": "SIPRI's short weapon category",
        "order_year": "Year of order",
        "order_year_uncertain": "SIPRI marks the order year as uncertain",
        "number_ordered": "Number ordered (the 2013 register writes 0 where unknown)",
        "number_ordered_uncertain": "SIPRI marks the number ordered as uncertain",
        "number_delivered": "Number delivered (within delivered_scope)",
        "number_delivered_uncertain": "SIPRI marks deliveries as uncertain",
        "delivery_first": "First year of delivery (within delivered_scope)",
        "delivery_last": "Last year of delivery (within delivered_scope)",
        "delivery_years": "Delivery years listed by SIPRI, ';'-separated; empty where only a range is given",
        "delivered_scope": "'all', the year range the export was restricted to, or 'unstated' (no preamble)",
        "status": "New or second-hand",
        "tiv_per_unit": "SIPRI TIV per unit, millions (registers from 2024)",
        "tiv_total_order": "SIPRI TIV of the whole order, millions",
        "tiv_delivered": "SIPRI TIV of the weapons delivered, millions",
        "uncertain_since": "Year since which SIPRI's comment calls the deal's status uncertain (e.g. due to a UN arms embargo)",
        "replaces_order_year": "Year of an earlier order this deal replaces, as SIPRI's comment says",
        "cancelled_year": "Year an order was cancelled, as SIPRI's comment says",
    },
)

SIPRI_MIRROR_ITEMS = TableSpec(
    name="sipri_mirror_items",
    path="sipri_mirror_2026_items.csv",
    title="Derived mirror of SIPRI (2026): items delivered per year, Iran and the US-to-neighbours subset",
    schema=pa.DataFrameSchema(
        {
            "supplier": _country,
            "recipient": _country,
            "year": _year(),
            "designation": pa.Column("str"),
            "description": pa.Column("str"),
            "number": _count,
            "tiv": pa.Column("float64", pa.Check.ge(0)),
        },
        strict=True,
        ordered=True,
    ),
    descriptions={
        "supplier": "Supplying state (mirror merges the Soviet Union into Russia)",
        "recipient": "Receiving state",
        "year": "Delivery year",
        "designation": "Weapon designation",
        "description": "Weapon category",
        "number": "Number of items delivered that year",
        "tiv": "Volume in millions of SIPRI TIV",
    },
)

SIPRI_DELIVERIES = TableSpec(
    name="sipri_deliveries",
    path="sipri_deliveries_iran.csv",
    title="SIPRI's per-delivery transfers export: one row per deal and delivery year, Iran as recipient",
    schema=pa.DataFrameSchema(
        {
            "vintage": pa.Column("str", _known(VINTAGES)),
            "deal_id": pa.Column("str", pa.Check.str_length(min_value=1)),
            "supplier": _country,
            "recipient": _country,
            "designation": pa.Column("str"),
            "description": pa.Column("str"),
            "category": pa.Column("str"),
            "order_year": pa.Column("Int64", pa.Check.in_range(YEAR_MIN - 10, YEAR_MAX), nullable=True),
            "order_date_estimated": _maybe,
            "numbers_delivered": _count,
            "numbers_estimated": _maybe,
            "year": _year(),
            "year_estimated": _maybe,
            "status": pa.Column("str"),
            "second_hand": _maybe,
            "unit_tiv_new": _tiv_opt,
            "unit_tiv_deal": _tiv_opt,
            "tiv": _tiv_opt,
            "local_production": _maybe,
        },
        checks=[pa.Check(_within_vintage, error="year after the vintage's last data year")],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "vintage": "SIPRI release the export belongs to",
        "deal_id": "SIPRI's deal identifier (one deal has one row per delivery year)",
        "supplier": "Supplying state (or SIPRI's name of a non-state party)",
        "recipient": "Receiving state",
        "designation": "SIPRI weapon designation",
        "description": "SIPRI's weapon description",
        "category": "SIPRI armament category",
        "order_year": "Year of order",
        "order_date_estimated": "SIPRI marks the order date as an estimate (empty: SIPRI does not say)",
        "numbers_delivered": "Number of items delivered that year",
        "numbers_estimated": "SIPRI marks the number delivered as an estimate (empty: SIPRI does not say)",
        "year": "Delivery year",
        "year_estimated": "SIPRI marks the delivery year as an estimate (empty: SIPRI does not say)",
        "status": "New, Second hand, or Second hand but modernized",
        "second_hand": "True for second-hand weapons",
        "unit_tiv_new": "SIPRI estimate: unit TIV of the weapon as new, millions",
        "unit_tiv_deal": "TIV deal unit: unit TIV in this deal (lower for second-hand weapons), millions",
        "tiv": "TIV delivered that year, millions (a volume index, not money)",
        "local_production": "Produced under licence in the recipient (empty: SIPRI does not say)",
    },
)

DOTS = TableSpec(
    name="dots_china_iran",
    path="dots_china_iran.csv",
    title="IMF DOTS: China-Iran merchandise trade and each reporter's world totals, 2000-2020",
    key=["reporter", "partner", "flow", "year"],
    schema=pa.DataFrameSchema(
        {
            "reporter": pa.Column("str", pa.Check.isin(["China", "Iran"])),
            "partner": pa.Column("str", pa.Check.isin(["China", "Iran", "World"])),
            "flow": pa.Column("str", pa.Check.isin(["exports_fob", "imports_cif"])),
            "year": pa.Column("int64", pa.Check.in_range(2000, 2020)),
            "value_usd_m": pa.Column("float64", pa.Check.ge(0)),
            "estimated": _flag,
        },
        unique=["reporter", "partner", "flow", "year"],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "reporter": "Reporting country",
        "partner": "Partner country, or World",
        "flow": "exports_fob (exports, free on board) or imports_cif (imports, cost insurance freight)",
        "year": "Calendar year",
        "value_usd_m": "US$ million, current prices",
        "estimated": "IMF 'e' flag: estimate (for Iran's exports, derived from partner data)",
    },
)

EVENTS = TableSpec(
    name="events",
    path="events.csv",
    title="Dated events referred to in the analysis, compiled by the project",
    key=["event_id"],
    schema=pa.DataFrameSchema(
        {
            "event_id": pa.Column("str", pa.Check.str_matches(r"^[a-z0-9-]+$"), unique=True),
            "date": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "precision": pa.Column("str", pa.Check.isin(["day", "month"])),
            "kind": pa.Column("str"),
            "description": pa.Column("str", pa.Check.str_length(min_value=5)),
            "source": pa.Column("str", pa.Check.str_length(min_value=5)),
            "measure": pa.Column("str", pa.Check.str_matches(r"^[a-z-]+$"), nullable=True),
            "vote": pa.Column("str", pa.Check.str_matches(r"^\d{1,2}-\d{1,2}-\d{1,2}$"), nullable=True),
            "china_vote": pa.Column("str", pa.Check.isin(["for", "against", "abstained"]), nullable=True),
        },
        strict=True,
        ordered=True,
    ),
    descriptions={
        "event_id": "Short identifier",
        "date": "ISO date (first of the month where precision is 'month')",
        "precision": "How exactly the date is known: day or month",
        "kind": "presidency, war, sanctions, ...",
        "description": "What happened, in the project's words",
        "source": "Document that fixes the date (and, for a vote, the UN's record of it)",
        "measure": "What a sanction did, as a code (see sinoiran.data.events.MEASURES); empty for other events",
        "vote": "Security Council vote, for-against-abstaining; empty for other events",
        "china_vote": "China's vote on a Security Council resolution; empty for other events",
    },
)


def _embargo_scopes() -> list[str]:
    from sinoiran.data.embargoes import SCOPES

    return list(SCOPES)


UN_EMBARGOES = TableSpec(
    name="un_embargoes",
    path="un_embargoes.csv",
    title="UN Security Council arms embargoes on the recipients the panel compares, compiled by the project",
    key=["embargo_id"],
    schema=pa.DataFrameSchema(
        {
            "embargo_id": pa.Column("str", pa.Check.str_matches(r"^[a-z-]+-\d+$"), unique=True),
            "target": _country,
            "resolution": pa.Column("int64", pa.Check.in_range(1, 9999)),
            "adopted": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")),
            "scope": pa.Column("str", pa.Check(lambda s: s.isin(_embargo_scopes()), error="an unknown scope")),
            "ended_by": pa.Column("Int64", pa.Check.in_range(1, 9999), nullable=True),
            "ended": pa.Column("str", pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$"), nullable=True),
            "description": pa.Column("str", pa.Check.str_length(min_value=10)),
            "source": pa.Column("str", pa.Check.str_matches(r"^UN Security Council resolution \d+ ")),
        },
        checks=[
            pa.Check(
                lambda f: f["ended"].isna() | (f["ended"] >= f["adopted"]),
                error="a measure that ends before it was adopted",
            ),
            pa.Check(lambda f: f["ended"].isna() == f["ended_by"].isna(), error="an end date without its resolution"),
        ],
        strict=True,
        ordered=True,
    ),
    descriptions={
        "embargo_id": "Short identifier: the target and the resolution that imposed the measure",
        "target": "The state the measure targets, spelt as the project's tables spell recipients",
        "resolution": "Number of the Security Council resolution that imposed the measure",
        "adopted": "ISO date the resolution was adopted (the measure's start)",
        "scope": "What the measure bans: all-arms, major-arms, region, non-government or exports-from",
        "ended_by": "Resolution that ended or narrowed the measure (empty while in force)",
        "ended": "ISO date the measure ceased, fixed by that resolution (empty while in force)",
        "description": "What the measure bans, in the project's words",
        "source": "The resolutions that fix the dates (number and adoption date)",
    },
)


PAPER_CLAIMS = TableSpec(
    name="paper_claims",
    path="paper_claims.csv",
    title="The paper's checkable statements, with the values as printed and the kind of check",
    key=["claim_id"],
    schema=pa.DataFrameSchema(
        {
            "claim_id": pa.Column("str", pa.Check.str_matches(r"^(INTRO|CTX|MAIN|CONC)-[A-Z0-9-]+$"), unique=True),
            "section": pa.Column(
                "str", pa.Check.isin(["Introduction", "International context", "Main section", "Conclusion"])
            ),
            "location": pa.Column("str", pa.Check.str_length(min_value=5)),
            "paraphrase": pa.Column("str", pa.Check.str_length(min_value=10)),
            "paper_value": pa.Column("str", pa.Check.str_length(min_value=1)),
            "value": pa.Column("float64", nullable=True),
            "unit": pa.Column("str", nullable=True),
            "period": pa.Column("str", pa.Check.str_matches(r"^\d{4}")),
            "cited_source": pa.Column("str"),
            "kind": pa.Column("str", pa.Check.str_matches(r"^[a-z-]+$")),
            "derived_from": pa.Column("str", nullable=True),
            "criterion": pa.Column("str", pa.Check.str_length(min_value=5)),
        },
        strict=True,
        ordered=True,
    ),
    descriptions={
        "claim_id": "Identifier used throughout the book",
        "section": "Section of the paper the statement stands in",
        "location": "The paragraph it stands in",
        "paraphrase": "The statement in the project's words",
        "paper_value": "The value or wording as printed in the paper",
        "value": "The printed value as a number, in 'unit' (empty for statements without a number)",
        "unit": "Unit of 'value'; the paper prints SIPRI TIV as US dollars",
        "period": "Years the statement covers",
        "cited_source": "Source the paper cites for it",
        "kind": "Kind of check (the registry of sinoiran.claims.checks); its parameters are in data/claims.toml",
        "derived_from": "Claims whose data this one restates, ';'-separated (counted once, with them)",
        "criterion": "What the check requires, in words",
    },
)

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in [
        SIPRI_TIV,
        SIPRI_TIV_TOTALS,
        SIPRI_REGISTER,
        SIPRI_MIRROR_ITEMS,
        SIPRI_DELIVERIES,
        DOTS,
        EVENTS,
        UN_EMBARGOES,
        PAPER_CLAIMS,
    ]
}

_FRICTIONLESS_TYPES = {
    "string[python]": "string",
    "int64": "integer",
    "Int64": "integer",
    "float64": "number",
    "bool": "boolean",
    "boolean": "boolean",
}


def frictionless_schema(spec: TableSpec) -> dict:
    """The Frictionless Table Schema of a table, derived from its pandera schema."""
    fields = []
    for name, column in spec.schema.columns.items():
        fields.append(
            {
                "name": name,
                "type": _FRICTIONLESS_TYPES[str(column.dtype)],
                "description": spec.descriptions[name],
                "constraints": {"required": not column.nullable},
            }
        )
    schema: dict = {"fields": fields}
    if spec.key:
        schema["primaryKey"] = spec.key
    return schema


def read_dtypes(spec: TableSpec) -> dict[str, str]:
    """pandas dtypes to read a table's CSV with, so empty strings stay strings."""
    mapping = {
        "string[python]": "string",
        "int64": "Int64",
        "Int64": "Int64",
        "float64": "float64",
        "bool": "boolean",
        "boolean": "boolean",
    }
    return {name: mapping[str(col.dtype)] for name, col in spec.schema.columns.items()}


def validate(frame: pd.DataFrame, spec: TableSpec, *, source: str) -> pd.DataFrame:
    """Validate ``frame`` against ``spec``; raise :class:`InputError` naming file, column and row.

    Row numbers are CSV line numbers (the header is line 1), so a reader can
    open the file at the line.
    """
    expected = list(spec.schema.columns)
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise InputError(source, f"missing column(s): {', '.join(missing)}", column=missing[0])
    extra = [c for c in frame.columns if c not in expected]
    if extra:
        raise InputError(source, f"unexpected column(s): {', '.join(extra)}", column=extra[0])
    try:
        return spec.schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
        first = cases.iloc[0]
        column = first["column"] if isinstance(first["column"], str) else None
        index = first["index"]
        row = int(index) + 2 if pd.notna(index) else None
        check = str(first["check"])
        if "uniqueness" in check or check == "field_uniqueness":
            reason = f"duplicate key ({', '.join(spec.key) or column})"
        else:
            reason = f"fails check {check} (value {first['failure_case']!r})"
        more = len(cases) - 1
        if more:
            reason += f"; {more} more failure(s)"
        raise InputError(source, reason, column=column, row=row) from None
