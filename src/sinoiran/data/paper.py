"""The paper's checkable statements, as the project records them.

One :class:`Claim` per statement: where it stands in the paper, a short
paraphrase in the project's words, the value and unit *as printed* (the paper
prints SIPRI TIV figures as US dollars), the period, the source the paper cites,
the kind of check, and the tolerance with its reason. ``claims_table`` writes
them to ``data/paper_claims.csv``; :mod:`sinoiran.claims` recomputes them.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import pandas as pd

KINDS = ("sum", "mean", "ratio", "share", "rank", "date", "arithmetic", "register", "cited-only")
DEFAULT_TOLERANCE = 0.05
DEFAULT_REASON = "default: amounts within 5% relative"


@dataclass(frozen=True)
class Claim:
    """One checkable statement of the paper."""

    claim_id: str
    section: str
    paraphrase: str
    paper_value: str  # as printed
    value: float | None  # the printed value as a number, in ``unit``
    unit: str
    period: str
    cited_source: str
    kind: str
    tolerance: float | None = None  # relative, for amounts; None where not an amount
    tolerance_reason: str = ""

    @property
    def number(self) -> float:
        """The printed value as a number; ``ValueError`` for a claim that prints none."""
        if self.value is None:
            raise ValueError(f"{self.claim_id} prints no number")
        return self.value

    @property
    def printed_step(self) -> float:
        """The precision the number is printed at, in ``unit``: "$470 million" -> 1, "$67.1 million" -> 0.1,
        "$4.9 billion" -> 100 (one decimal of a billion, in millions), "0.53 percent" -> 0.01."""
        match = re.search(r"(\d+(?:\.(\d+))?)\s*(billion)?", self.paper_value)
        if match is None:
            raise ValueError(f"{self.claim_id} prints no number in {self.paper_value!r}")
        decimals = len(match[2] or "")
        return 10.0**-decimals * (1000 if match[3] else 1)

    @property
    def printed_decimals(self) -> int:
        """How many decimals of ``unit`` the printed number shows: "$470 million" -> 0,
        "$67.1 million" -> 1, "0.53 percent" -> 2, "$4.9 billion" (in millions) -> 0.

        A number printed in words ("sixty percent") is whole: 0. A recomputed value is
        shown to a reader with as many decimals, so that the two are read at the same
        rounding."""
        if not re.search(r"\d", self.paper_value):
            return 0
        return max(0, -round(math.log10(self.printed_step)))

    @property
    def relative_tolerance(self) -> float:
        """The relative tolerance of an amount; ``ValueError`` for a claim that has none."""
        if self.tolerance is None:
            raise ValueError(f"{self.claim_id} has no relative tolerance")
        return self.tolerance


_INTRO, _CTX, _MAIN, _CONC = "Introduction", "International context", "Main section", "Conclusion"
_TIV_USD = "US$ million as printed (SIPRI TIV, millions)"
_TIV_USD_BN = "US$ million as printed (SIPRI TIV, millions); printed in billions"

CLAIMS: list[Claim] = [
    Claim(
        "INTRO-GALLUP",
        _INTRO,
        "A 2009 Gallup poll found that over three in five Americans saw Iran's nuclear "
        "programme as a serious or somewhat serious threat to the US",
        "more than sixty percent",
        60.0,
        "percent",
        "2009",
        "Gallup 2009",
        "cited-only",
    ),
    Claim(
        "INTRO-NIE-GAP",
        _INTRO,
        "The NIE that judged Iran less threatening appeared two years before that poll",
        "two years earlier",
        2.0,
        "years",
        "2007-2009",
        "Kreps 2008",
        "date",
    ),
    Claim(
        "INTRO-NIE-CONTENT",
        _INTRO,
        "The 2007 NIE is said to have found that Iran stopped its nuclear enrichment in autumn 2003",
        "stopped its nuclear enrichment activities in autumn 2003",
        None,
        "",
        "2003-2007",
        "Kreps 2008",
        "cited-only",
    ),
    Claim(
        "INTRO-NIE-AGENCIES",
        _INTRO,
        "The NIE was the joint view of sixteen US intelligence agencies",
        "sixteen",
        16.0,
        "agencies",
        "2007",
        "Kreps 2008",
        "cited-only",
    ),
    Claim(
        "CTX-WAR-LENGTH",
        _CTX,
        "Iran's war with Iraq lasted eight years",
        "eight-year war",
        8.0,
        "years",
        "1980-1988",
        "none cited",
        "date",
        None,
        "printed to the whole year: the length must round to 8",
    ),
    Claim(
        "CTX-POSTCW-SUPPLIERS",
        _CTX,
        "After the Cold War Iran rebuilt its forces with Russian and Chinese help",
        "with the help of ... Russia ... as well as China",
        None,
        "",
        "1992-2004",
        "none cited",
        "share",
        None,
        "criterion: Russia and China are Iran's two largest suppliers and together deliver at least half its TIV",
    ),
    Claim(
        "CTX-HASHEMI-KHATAMI",
        _CTX,
        "Under Rafsanjani and Khatami, China's role in building Iran's conventional arsenal was crucial",
        "the role of China was crucial",
        None,
        "",
        "1990-2005",
        "none cited",
        "share",
        None,
        "criterion: China is one of Iran's two largest suppliers under each president",
    ),
    Claim(
        "MAIN-STEADY",
        _MAIN,
        "SIPRI's figures show China-Iran arms trade going on at a steady pace",
        "continued at a steady pace",
        None,
        "",
        "2005-2012",
        "SIPRI",
        "ratio",
        None,
        "criterion: a delivery in every year and a coefficient of variation of yearly TIV of at most 0.5; at most "
        "partly supported, since SIPRI spreads multi-year deals evenly over their years",
    ),
    Claim(
        "MAIN-CHN-SUM",
        _MAIN,
        "China's arms exports to Iran totalled $470 million",
        "$470 million",
        470.0,
        _TIV_USD,
        "2005-2011",
        "SIPRI; NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-CHN-MEAN",
        _MAIN,
        "That is $67.1 million a year on average",
        "$67.1 million/year",
        67.1,
        _TIV_USD + " per year",
        "2005-2011",
        "SIPRI; NTI 2012",
        "mean",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-PERIOD",
        _MAIN,
        "The paper names the period 2005-2012, but its mean implies seven years (2005-2011)",
        "between 2005 and 2012",
        470.0,
        _TIV_USD,
        "2005-2012 or 2005-2011",
        "SIPRI; NTI 2012",
        "arithmetic",
        DEFAULT_TOLERANCE,
        "arithmetic exact at the printed precision (0.1); sums within 5% relative",
    ),
    Claim(
        "MAIN-RUS-SUM",
        _MAIN,
        "Russia, Iran's main post-Cold War supplier, exported nearly $802 million of arms to Iran over the same years",
        "nearly $802 million",
        802.0,
        _TIV_USD,
        "2005-2011",
        "SIPRI; NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        "'nearly': default 5% relative",
    ),
    Claim(
        "MAIN-RUS-POSITION",
        _MAIN,
        "Russia, Iran's main arms supplier since the Cold War, kept that position over the period",
        "maintained its position in Iran's arms market",
        None,
        "",
        "2005-2011",
        "SIPRI; NTI 2012",
        "rank",
        None,
        "criterion: Russia is Iran's largest supplier over 2005-2011, as it was over 1992-2004",
    ),
    Claim(
        "MAIN-RUS-MAJOR",
        _MAIN,
        "Russia was Iran's main arms supplier after the Cold War",
        "major arms supplier",
        None,
        "",
        "1992-2011",
        "SIPRI; NTI 2012",
        "rank",
        None,
        "criterion: Russia ranks first by TIV over the period",
    ),
    Claim(
        "MAIN-RUS-DECLINE",
        _MAIN,
        "Russian arms deliveries to Iran fell considerably from 2008",
        "considerable decline ... since 2008",
        None,
        "",
        "2005-2007 vs 2008-2011",
        "NTI 2012",
        "ratio",
        None,
        "criterion: the 2008-2011 yearly mean is under half the 2005-2007 mean",
    ),
    Claim(
        "MAIN-CHN-LARGEST",
        _MAIN,
        "China became Tehran's largest single arms supplier in Ahmadinejad's second term",
        "single largest military partner",
        None,
        "",
        "2009-2013",
        "NTI 2012",
        "rank",
        None,
        "criterion: China ranks first by TIV over the period",
    ),
    Claim(
        "MAIN-RUS-MEAN-0507",
        _MAIN,
        "Russia's yearly arms exports to Iran averaged $248 million in 2005-2007",
        "$248 million",
        248.0,
        _TIV_USD + " per year",
        "2005-2007",
        "NTI 2012",
        "mean",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-RUS-MEAN-0811",
        _MAIN,
        "They averaged only $15 million a year in 2008-2011",
        "$15 million",
        15.0,
        _TIV_USD + " per year",
        "2008-2011",
        "NTI 2012",
        "mean",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-RUS-DROP",
        _MAIN,
        "That is a fall of about 94 percent",
        "about 94 percent",
        94.0,
        "percent",
        "2005-2007 vs 2008-2011",
        "NTI 2012",
        "ratio",
        DEFAULT_TOLERANCE,
        "'about': 5% relative; the paper's own arithmetic exact at the printed precision (whole percent)",
    ),
    Claim(
        "MAIN-UNSC-DATES",
        _MAIN,
        "Dates of UNSC resolutions 1737, 1747, 1803 and 1929 and of the EU's February 2007 measures",
        "Dec 2006; Feb 2007; Mar 2007; Mar 2008; Jun 2010",
        None,
        "month and year",
        "2006-2010",
        "SIPRI 2012; Iran Watch 2012",
        "date",
        None,
        "month and year must match",
    ),
    Claim(
        "MAIN-EU-EMBARGO",
        _MAIN,
        "After its February 2007 measures, the EU 'later on' banned arms of all types",
        "Later on, the EU imposed further prohibition on ... arms and related materiel of all types",
        None,
        "",
        "2007",
        "SIPRI 2012; Iran Watch 2012",
        "date",
        None,
        "criterion: the EU's arms embargo follows its February 2007 measures",
    ),
    Claim(
        "MAIN-S300",
        _MAIN,
        "In late September 2010 Russia halted sales of advanced weapons, including the S-300 "
        "ordered under a 2007 contract",
        "late-September 2010; 2007 contract",
        None,
        "month and year",
        "2007-2010",
        "UPI 2010",
        "date",
        None,
        "month and year must match; the 2007 contract looked up in the registers",
    ),
    Claim(
        "MAIN-RUS-PARTNERS",
        _MAIN,
        "Russia's military ties with China and India far outweigh those with Iran",
        "by far outweigh those with Tehran",
        None,
        "",
        "2005-2011",
        "Beehner 2006",
        "ratio",
        None,
        "criterion: Russia's deliveries to China and to India are each at least twice those to Iran",
    ),
    Claim(
        "MAIN-ITEMS",
        _MAIN,
        "Chinese firms supplied Iran with a list of weapons from anti-ship missiles to roadside-bomb parts",
        "C-802, HN-5, 107mm rockets, 60/82mm mortars, RPGs, AA guns, landmines, sniper "
        "rifles, armour-piercing rounds, roadside-bomb components",
        None,
        "items",
        "2005-2013",
        "Cordesman and Fite 2011",
        "register",
        None,
        "criterion: the listed items inside SIPRI's coverage have China-to-Iran register records with deliveries in "
        "2005-2013: all of them (supported), some (partly supported), none (not supported)",
    ),
    Claim(
        "MAIN-SILKWORM",
        _MAIN,
        "The C-802 anti-ship missile is called the Silkworm",
        "C-802 (Silkworm)",
        None,
        "",
        "2005-2013",
        "Cordesman and Fite 2011",
        "register",
        None,
        "criterion: the registers name the C-802 and the Silkworm (HY-2 family) as one system",
    ),
    Claim(
        "MAIN-BOATS",
        _MAIN,
        "China sold Iran speed boats, fast attack craft and midget submarines",
        "speed boats, fast attack crafts, small midget submarines",
        None,
        "items",
        "2005-2013",
        "Rajagopalan 2010",
        "register",
        None,
        "criterion: each boat type has a China-to-Iran register record (the paper gives no period): all (supported), "
        "some (partly supported), none (not supported); a register restricted to recent deals cannot show their absence",
    ),
    Claim(
        "MAIN-HQ9",
        _MAIN,
        "Iran's surface-to-air systems are said to have come from Beijing (HQ-9/FD-2000)",
        "HQ-9 (FD-2000)",
        None,
        "items",
        "2009-2013",
        "Press TV 2009; Nezavisimaya Gazeta 2010",
        "register",
        None,
        "criterion: a China-to-Iran register record of HQ-9/FD-2000",
    ),
    Claim(
        "MAIN-2011-ARMS",
        _MAIN,
        "Iran bought $79 million of arms from China in 2011",
        "$79 million",
        79.0,
        _TIV_USD,
        "2011",
        "Trade Map 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-2011-TOTAL",
        _MAIN,
        "Iran's total imports from China were $14.8 billion in 2011",
        "$14.8 billion",
        14800.0,
        "US$ million (printed in billions)",
        "2011",
        "Trade Map 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-2011-SHARE",
        _MAIN,
        "Arms were 0.53 percent of Iran's imports from China in 2011",
        "0.53 percent",
        0.53,
        "percent",
        "2011",
        "Trade Map 2012",
        "share",
        DEFAULT_TOLERANCE,
        "paper's arithmetic exact at the printed precision (0.01); recomputed share within 5% relative",
    ),
    Claim(
        "MAIN-NEIGHBOURS-PAK",
        _MAIN,
        "Pakistan bought $2.6 billion of US arms over the same years",
        "$2.6 billion",
        2600.0,
        _TIV_USD_BN,
        "2005-2011",
        "NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-NEIGHBOURS-TUR",
        _MAIN,
        "Turkey bought $1.1 billion of US arms over the same years",
        "$1.1 billion",
        1100.0,
        _TIV_USD_BN,
        "2005-2011",
        "NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-NEIGHBOURS-SAU",
        _MAIN,
        "Saudi Arabia bought $1.6 billion of US arms over the same years",
        "$1.6 billion",
        1600.0,
        _TIV_USD_BN,
        "2005-2011",
        "NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-NEIGHBOURS-UAE",
        _MAIN,
        "The UAE bought $4.9 billion of US arms over the same years",
        "$4.9 billion",
        4900.0,
        _TIV_USD_BN,
        "2005-2011",
        "NTI 2012",
        "sum",
        DEFAULT_TOLERANCE,
        DEFAULT_REASON,
    ),
    Claim(
        "MAIN-NEIGHBOURS-LESS",
        _MAIN,
        "Iran's Chinese arms imports were far smaller than each neighbour's US arms imports",
        "very much lesser",
        None,
        "",
        "2005-2011",
        "NTI 2012",
        "rank",
        None,
        "criterion: China-to-Iran TIV is below US-to-neighbour TIV for each of the four neighbours",
    ),
    Claim(
        "MAIN-MISSILE-FORCE",
        _MAIN,
        "Iran had the region's largest deployed ballistic-missile force in 2010",
        "largest deployed ballistic missile force in the region",
        None,
        "",
        "2010",
        "Burgess 2010",
        "cited-only",
    ),
    Claim(
        "CONC-BOLSTER",
        _CONC,
        "Tehran continued to bolster its military ties with Beijing",
        "did continue to bolster its military ties with Beijing",
        None,
        "",
        "2005-2013",
        "none cited",
        "ratio",
        None,
        "criterion: China's mean yearly deliveries in the second term (2009-2013) exceed the first (2005-2008)",
    ),
    Claim(
        "CONC-CONTINUITY",
        _CONC,
        "The Sino-Iranian military relationship went on throughout the years since mid-2005",
        "continuation ... in the years since the mid-2005",
        None,
        "",
        "2005-2013",
        "none cited",
        "share",
        None,
        "criterion: China delivered to Iran in every year 2005-2013 (share of years with a delivery = 100%)",
    ),
]


def claims_table() -> pd.DataFrame:
    """The catalogue as the ``paper_claims`` table."""
    frame = pd.DataFrame([asdict(c) for c in CLAIMS])
    frame["value"] = frame["value"].astype("float64")
    frame["tolerance"] = frame["tolerance"].astype("float64")
    return frame


CLAIM_IDS: tuple[str, ...] = tuple(c.claim_id for c in CLAIMS)
BY_ID: dict[str, Claim] = {c.claim_id: c for c in CLAIMS}


def parse_period(text: str) -> tuple[int, int]:
    """A claim's period as years: '2005-2011' -> (2005, 2011); '2011' -> (2011, 2011)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    if not match:
        raise ValueError(f"not a period: {text!r}")
    start = int(match[1])
    return start, int(match[2] or start)


@dataclass(frozen=True)
class ListedItem:
    """An item the paper lists, whether SIPRI covers it, and how to find it in a register."""

    item: str
    covered: bool
    coverage_note: str
    designation_pattern: str | None = None
    description_pattern: str | None = None


#: The items of MAIN-ITEMS. SIPRI covers major conventional weapons: it excludes small arms and
#: light weapons, ammunition (rockets and shells as munitions), mines and components such as
#: parts for improvised explosive devices; artillery and mortars count from 100 mm calibre.
LISTED_ITEMS: list[ListedItem] = [
    ListedItem("C-802 anti-ship missile", True, "guided missile: covered", r"C-802"),
    ListedItem(
        "HN-5 portable SAM",
        True,
        "portable SAM: covered; Chinese shoulder-fired SAMs are searched under every designation (HN-5, QW-1, QW-11)",
        r"HN-5|QW-",
    ),
    ListedItem("107mm rockets", False, "rockets are munitions (only their launchers, e.g. Type-63 MRL, are covered)"),
    ListedItem("60mm and 82mm mortars", False, "below SIPRI's 100 mm artillery threshold"),
    ListedItem("rocket-propelled grenades", False, "light weapons: not covered"),
    ListedItem(
        "anti-aircraft guns",
        True,
        "covered only above 40 mm calibre (or multi-barrel guns of at least 70 mm combined); the paper gives no calibre",
        None,
        r"anti-aircraft gun|AA gun|SPAAG",
    ),
    ListedItem("landmines", False, "mines: not covered"),
    ListedItem("large-calibre sniper rifles", False, "small arms: not covered"),
    ListedItem("armour-piercing rounds", False, "ammunition: not covered"),
    ListedItem("roadside-bomb components", False, "components for improvised devices: not covered"),
]

#: The boats and submarines of MAIN-BOATS and how they are described in the registers.
LISTED_BOATS: list[ListedItem] = [
    ListedItem(
        "speed boats / fast attack craft",
        True,
        "FAC and missile boats are covered",
        None,
        r"\bFAC\b|missile boat|patrol",
    ),
    ListedItem("midget submarines", True, "submarines are covered", None, r"submarine"),
]


#: The paper's dates: (event id, year, month, how the paper puts it).
PAPER_DATES: list[tuple[str, int, int, str]] = [
    ("unsc-1737", 2006, 12, "Resolution 1737: December 2006"),
    ("eu-2007-140", 2007, 2, "EU measures: February 2007"),
    ("unsc-1747", 2007, 3, "Resolution 1747: March 2007 ('March of the same year')"),
    ("unsc-1803", 2008, 3, "Resolution 1803: March 2008"),
    ("unsc-1929", 2010, 6, "Resolution 1929: June 2010"),
]
