"""The README's "What the replication found", generated from the claims ledger so that it cannot drift.

The section between the markers ``<!-- findings:start -->`` and
``<!-- findings:end -->`` of ``README.md`` is the text of :func:`findings`,
computed from the same ledger the book's chapters glue from (the same
functions and the same rounding as the landing page). ``make readme``
(``python -m sinoiran.book.readme``) rewrites it; a test fails when the README
holds anything else.
"""

from __future__ import annotations

import re
from pathlib import Path

from sinoiran.base.paths import PROJECT_ROOT

START, END = "<!-- findings:start -->", "<!-- findings:end -->"


def findings() -> str:
    """The findings in Markdown: the headline amounts, the verdicts that matter, and the counts, from the ledger."""
    from sinoiran import claims
    from sinoiran.claims import checks, reconcile
    from sinoiran.data import tables
    from sinoiran.data.paper import catalogue

    inputs = tables.load_inputs()
    ledger = claims.ledger(inputs)
    ranges = claims.amount_ranges(ledger).set_index("claim_id")
    chn, rus = ranges.loc["MAIN-CHN-SUM"], ranges.loc["MAIN-RUS-SUM"]
    reproduced = int((ranges["reproduced_in"] != "").sum())
    tally = claims.independent_tally(ledger)
    summary = reconcile.fit_summary(reconcile.joint_fit(catalogue(), checks.context(inputs, catalogue())))
    full = summary[summary["testable"] == summary["testable"].max()]

    def verdict(claim_id: str) -> str:
        return claims.verdict_summary(ledger, claim_id)

    lines = [
        f"- **China's deliveries to Iran, 2005-2011.** The paper prints {chn['paper']:.0f} million; the SIPRI "
        f"releases that cover the period give {chn['lowest']:.0f} to {chn['highest']:.0f} million TIV, so even the "
        f"nearest lies {abs(chn['gap_to_nearest_pct']):.0f} percent below it ({verdict('MAIN-CHN-SUM')}). Of "
        f"{len(summary)} accounts of the paper's source (older valuations, other years, coarser rounding), none "
        f"reproduces its SIPRI amounts together; the best reproduces {int(full['reproduced'].max())} of "
        f"{int(full['testable'].max())}.",
        f"- **Russia's deliveries, 2005-2011.** The releases give {rus['lowest']:.0f} to {rus['highest']:.0f} "
        f"million TIV against the printed {rus['paper']:.0f} ({verdict('MAIN-RUS-SUM')}).",
        f"- **The paper's SIPRI amounts.** {reproduced} of the {len(ranges)} distinct amounts "
        f"{'is' if reproduced == 1 else 'are'} reproduced, at the "
        "precision they are printed with, by any release the project holds.",
        f"- **The story, claim by claim.** Russia's decline ({verdict('MAIN-RUS-DECLINE')}); China's lead in the "
        f"second term ({verdict('MAIN-CHN-LARGEST')}); a Chinese delivery in every year of the presidency "
        f"({verdict('CONC-CONTINUITY')}); sanctions as the cause of Russia's fall, against its other clients "
        f"({verdict('MAIN-SANCTIONS-CAUSE')}); China filling the vacuum after 2010 "
        f'({verdict("MAIN-FILL-VACUUM")}); "strengthening" ({verdict("CONC-BOLSTER")}).',
        f"- **In all**, of the paper's {tally['independent']} independent claims, {tally['borne out']} are borne "
        f"out, {tally['borne out in part']} in part and {tally['not borne out']} not, and {tally['not testable']} "
        f"cannot be tested with public sources ({tally['derived']} more restate others and are counted with them).",
    ]
    return "\n".join(lines)


def section(text: str) -> str:
    """The generated part of a README's text (between the markers); empty when the markers are missing."""
    found = re.search(re.escape(START) + r"\n(.*?)\n?" + re.escape(END), text, re.S)
    return found[1] if found else ""


def rewrite(path: Path = PROJECT_ROOT / "README.md") -> bool:
    """Put the current findings between the README's markers; return whether the file changed."""
    text = path.read_text()
    if START not in text or END not in text:
        raise ValueError(f"{path}: no {START} ... {END} markers")
    pattern = re.escape(START) + r"\n.*?\n?" + re.escape(END)
    new = re.sub(pattern, lambda _: f"{START}\n{findings()}\n{END}", text, flags=re.S)
    if new != text:
        path.write_text(new)
    return new != text


if __name__ == "__main__":  # make readme
    changed = rewrite()
    print("README.md: findings " + ("updated from the ledger." if changed else "already match the ledger."))
