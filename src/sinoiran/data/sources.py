"""The raw exports the project's tables are built from, with their provenance.

These files are **inputs**, never part of the repository: ``data build`` reads
them from a sources folder (by default ``../shared/sources``) and records each
file's provenance and sha256 in ``data/datapackage.json``. The folder must hold
the files below at these relative paths.
"""

from __future__ import annotations

from dataclasses import dataclass

SIPRI_CREDIT = "Information from the SIPRI Arms Transfers Database"
SIPRI_TERMS = (
    "SIPRI Arms Transfers Database terms: free for non-commercial use with the credit line "
    f"'{SIPRI_CREDIT}'; calculations in this project are the project's own and are not attributed to SIPRI."
)
IMF_TERMS = "IMF Direction of Trade Statistics; IMF terms of use for data (attribution to the IMF)."


@dataclass(frozen=True)
class RawSource:
    """One raw export file and where it came from."""

    relpath: str
    title: str
    publisher: str
    repository: str
    commit: str
    commit_date: str  # date of the repository commit the copy was taken from
    vintage: str
    terms: str
    note: str = ""


_2007 = dict(
    publisher="SIPRI",
    repository="https://github.com/jywarren/armsflow",
    commit="de2fa191760b9bfd43480b69e99a1e914a9b0338",
    commit_date="2012-05-23",
    vintage="2007",
    terms=SIPRI_TERMS,
)
_2016 = dict(
    publisher="SIPRI",
    repository="https://github.com/mauhai/weaponstradeanalysis",
    commit="e156d0d3394644e6f4ccb6debcde65a1f9edf717",
    commit_date="2016-08-15",
    vintage="2016",
    terms=SIPRI_TERMS,
)
_2022 = dict(
    publisher="SIPRI",
    repository="https://github.com/360-info/report-arms-trade",
    commit="b850d1eb74f457724c0e0c4291175adbf824dbbf",
    commit_date="2022-08-08",
    vintage="2022",
    terms=SIPRI_TERMS,
)
_DCL = dict(publisher="SIPRI", repository="https://github.com/DCL-2049/Chinese-Arms-Exports", terms=SIPRI_TERMS)

TIV_TABLES: list[RawSource] = [
    *[
        RawSource(
            f"sipri-tiv-export-2007-jywarren/TIV-Export-AFG-{code}-1950.csv",
            f"TIV of arms exports from {name}, 1950-2006 (generated 02 Nov 2007)",
            **_2007,
        )
        for code, name in [("CHI", "China"), ("RUS", "Russia"), ("USA", "the United States")]
    ],
    *[
        RawSource(
            f"sipri-tiv-import-2016-mauhai/TIV-Import-{code}-1950-2015.csv",
            f"TIV of arms exports to {name}, 1950-2015 (generated 24 Jul 2016)",
            **_2016,
        )
        for code, name in [
            ("IRA", "Iran"),
            ("PAK", "Pakistan"),
            ("TUR", "Turkey"),
            ("SAU", "Saudi Arabia"),
            ("UAE", "the UAE"),
        ]
    ],
    *[
        RawSource(
            f"sipri-tiv-export-2022-360info/TIV-Export-{code}-1950-2021.csv",
            f"TIV of arms exports from {name}, 1950-2021 (generated 28 Jul 2022)",
            **_2022,
        )
        for code, name in [("CHI", "China"), ("RUS", "Russia"), ("USA", "the United States")]
    ],
    RawSource(
        "sipri-china-exports-2026-DCL/sipri_tiv_table_2000_2025.csv",
        "Volume of transfers of major arms from China, 2000-2025 (generated 14 Jul 2026)",
        commit="4fb3a5412a6fd3eef3452af21f256ada117ad82c",
        commit_date="2026-07-14",
        vintage="2026",
        **_DCL,
    ),
]

REGISTERS: list[RawSource] = [
    RawSource(
        "sipri-trade-register-2013-stevenlsenior/trade_register_report.csv",
        "SIPRI trade register, old format, deliveries ending 2007-2012",
        publisher="SIPRI",
        repository="https://github.com/stevenlsenior/Arms_Transfers",
        commit="d56583bc16635523c28e9975393551bfb7eda835",
        commit_date="2014-09-25",
        vintage="2013",
        terms=SIPRI_TERMS,
        note="No generation date printed; release inferred from the latest delivery year (2012).",
    ),
    RawSource(
        "sipri-trade-register-2024-claytonb3/trade-register.csv",
        "SIPRI trade register, full export, deliveries up to 2023",
        publisher="SIPRI",
        repository="https://github.com/ClaytonB-3/arms-trade-proj",
        commit="4973079a03f3747d64e1e91d995c5ec20310c15a",
        commit_date="2024-11-03",
        vintage="2024",
        terms=SIPRI_TERMS,
        note="No generation date printed; release inferred from the latest delivery year (2023).",
    ),
    RawSource(
        "sipri-china-exports-2026-DCL/trade_register_china_2000_2025.csv",
        "SIPRI trade register, China to all countries, deliveries 2000-2025 (generated 14 Jul 2026)",
        commit="cf3acab29703da07dce57aacfd85ca7fdeddc7b3",
        commit_date="2026-07-14",
        vintage="2026",
        **_DCL,
    ),
]

MIRROR = RawSource(
    "sipri-per-year-transfers-bewelge/armsTransfers.json",
    "Per-delivery-year rebuild of SIPRI trade registers (2026 overhaul); a derived mirror, not a SIPRI export",
    publisher="Third-party mirror of SIPRI data (Bewelge, globalArmsTransfers)",
    repository="https://github.com/Bewelge/globalArmsTransfers",
    commit="ced0a90c0b5c586ed232ffc5c08544c10f2584da",
    commit_date="2026-06-16",
    vintage="2026-mirror",
    terms=SIPRI_TERMS + " The mirror's repository states no licence of its own.",
)

_DOTS = dict(
    publisher="International Monetary Fund",
    repository="https://github.com/SamLeBlanc/Direction-of-Trade-Map",
    commit="a769819d9b25a21a362d6cabfb10f150903f834d",
    commit_date="2022-02-02",
    vintage="2022",
    terms=IMF_TERMS,
    note="Data through 2020; IMF download date not stated.",
)
DOTS_WORKBOOKS: list[RawSource] = [
    RawSource("imf-dots-samleblanc/DOTS_40.xlsx", "IMF DOTS, reporter China (mainland)", **_DOTS),
    RawSource("imf-dots-samleblanc/DOTS_95.xlsx", "IMF DOTS, reporter Iran", **_DOTS),
]

ALL_SOURCES: list[RawSource] = [*TIV_TABLES, *REGISTERS, MIRROR, *DOTS_WORKBOOKS]
