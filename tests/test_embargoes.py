"""The UN arms embargo table: compiled by the project, dated by the resolutions themselves, written by the build."""

from __future__ import annotations

import pandas as pd
import pytest

from sinoiran.data import tables
from sinoiran.data.embargoes import SCOPES, embargoes_table


def test_the_embargo_table_is_what_the_build_wrote():
    written = tables.un_embargoes()
    compiled = embargoes_table()
    assert written["embargo_id"].tolist() == compiled["embargo_id"].tolist()
    assert written["adopted"].dt.strftime("%Y-%m-%d").tolist() == compiled["adopted"].tolist()


def test_embargo_dates_ids_and_sources():
    table = embargoes_table()
    assert table["embargo_id"].is_unique
    for row in table.itertuples():
        adopted = pd.Timestamp(row.adopted)
        assert row.embargo_id.endswith(f"-{row.resolution}")
        assert f"resolution {row.resolution} (S/RES/{row.resolution} ({adopted.year}))" in row.source
        assert f"adopted {row.adopted}" in row.source and row.scope in SCOPES
        if pd.notna(row.ended):
            assert pd.Timestamp(row.ended) >= adopted and f"resolution {row.ended_by} " in row.source
            assert f"adopted {row.ended}" in row.source or row.ended_by == 2231  # 2231: five years after Adoption Day
        else:
            assert pd.isna(row.ended_by)
    by_id = table.set_index("embargo_id")
    assert (by_id.loc["iran-1747", "adopted"], by_id.loc["iran-1929", "adopted"]) == ("2007-03-24", "2010-06-09")
    assert by_id.loc["iran-1929", "scope"] == "major-arms" and by_id.loc["iran-1747", "scope"] == "exports-from"


def test_the_embargo_dates_agree_with_the_events_table():
    events = tables.events().set_index("event_id")["date"].dt.strftime("%Y-%m-%d")
    table = embargoes_table().set_index("embargo_id")
    assert table.loc["iran-1747", "adopted"] == events["unsc-1747"]
    assert table.loc["iran-1929", "adopted"] == events["unsc-1929"]


def test_every_embargo_target_is_a_recipient_the_data_holds():
    recipients = set(tables.tiv_deliveries("2025")["recipient"])
    assert set(embargoes_table()["target"]) <= recipients


def test_an_embargo_that_ends_before_it_starts_is_refused(data_copy):
    from sinoiran.base.errors import InputError
    from sinoiran.data.schemas import TABLES, validate

    bad = embargoes_table()
    bad.loc[0, "ended"] = "1900-01-01"
    with pytest.raises(InputError, match="ends before it was adopted"):
        validate(bad, TABLES["un_embargoes"], source="un_embargoes.csv")
