"""The README says what the replication found, and says it from the ledger, not from memory."""

from __future__ import annotations

import re

from sinoiran.book import readme

from conftest import ROOT


def test_the_readmes_findings_are_the_ledgers():
    text = (ROOT / "README.md").read_text()
    assert readme.section(text) == readme.findings(), "README.md: run `make readme`"


def test_the_readme_puts_the_findings_and_the_commands_before_the_machinery():
    text = (ROOT / "README.md").read_text()
    headings = re.findall(r"(?m)^## (.+)$", text)
    order = ["What this is", "What the replication found", "Two commands", "The main jobs, in order"]
    assert headings[: len(order)] == order
    assert headings.index("Data availability and provenance") < headings.index("How it works inside")
    assert "target" not in text.split("### Runtime", 1)[1].split("##", 1)[0]  # no internal targets


def test_the_check_catches_a_stale_findings_section(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"# x\n\n{readme.START}\n- the paper's 33 claims\n{readme.END}\n")
    assert readme.section(path.read_text()) != readme.findings()
    assert readme.rewrite(path) and readme.section(path.read_text()) == readme.findings()
