"""Write the fixtures of ``tests/fixtures/real/`` from the raw exports they are cut from.

    .venv/bin/python tests/cut_fixtures.py [SOURCES_DIR]   (default ../shared/sources)

Each fixture is whole lines of one raw file, bytes unchanged, as ``tests/fixtures/real/SOURCES.toml``
lists them; ``tests/test_real_exports.py`` checks that they still are.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

REAL = Path(__file__).resolve().parent / "fixtures" / "real"


def line_numbers(spec: list[str]) -> list[int]:
    """1-based line numbers from ["1-12", "40"] (ranges inclusive, in the order given)."""
    out: list[int] = []
    for part in spec:
        first, _, last = part.partition("-")
        out.extend(range(int(first), int(last or first) + 1))
    return out


def cut(raw: bytes, spec: list[str]) -> bytes:
    """The listed lines of ``raw`` (split after each b'\\n', line ends kept)."""
    lines = raw.split(b"\n")
    lines = [line + b"\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return b"".join(lines[n - 1] for n in line_numbers(spec))


def select(raw: bytes, keys: dict) -> bytes:
    """The items of a ``{supplier: {year: {recipient: [items]}}}`` JSON file under the keys given, unchanged."""
    import json

    data = json.loads(raw)
    picked = {
        supplier: {year: {r: data[supplier][year][r] for r in recipients} for year, recipients in years.items()}
        for supplier, years in keys.items()
    }
    return (json.dumps(picked, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def fixture_bytes(entry: dict, raw: bytes) -> bytes:
    """What a fixture's bytes must be, cut from its raw file."""
    return select(raw, entry["json"]) if "json" in entry else cut(raw, entry["lines"])


def fixtures() -> list[dict]:
    return tomllib.loads((REAL / "SOURCES.toml").read_text(encoding="utf-8"))["fixture"]


def main(sources: Path) -> None:
    for entry in fixtures():
        if entry.get("index"):
            continue
        data = fixture_bytes(entry, (sources / entry["source"]).read_bytes())
        (REAL / entry["file"]).write_bytes(data)
        print(f"wrote {entry['file']} ({len(data)} bytes) from {entry['source']}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1].parent / "shared" / "sources")
