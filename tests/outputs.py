"""Compare an executed chapter with its stored outputs as strict nbval does (a helper for the tests).

The same rules as nbval: every output is compared exactly, except what nbval
skips (metadata, execution counts, images; and, as in the root ``conftest.py``,
glued figures), after the substitutions of ``tests/nbval_sanitize.cfg``.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

#: Output keys never compared (as in nbval): images, and what varies by run (metadata, counts).
NOT_COMPARED = {
    "image/png",
    "image/jpeg",
    "image/svg+xml",
    "application/papermill.record/image/png",
    "application/papermill.record/image/svg+xml",
}
SANITIZE = Path(__file__).resolve().parent / "nbval_sanitize.cfg"


def _patterns() -> list[tuple[re.Pattern, str]]:
    config = configparser.ConfigParser()
    config.read(SANITIZE)
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _sanitize(value, patterns):
    text = "".join(value) if isinstance(value, list) else value
    if not isinstance(text, str):
        return value
    for pattern, replacement in patterns:
        text = pattern.sub(replacement, text)
    return text


def comparable(cell, patterns=None) -> list[dict]:
    """A code cell's outputs as nbval compares them."""
    patterns = patterns if patterns is not None else _patterns()
    outputs = []
    for output in cell.get("outputs", []):
        kept = {k: v for k, v in output.items() if k not in ("metadata", "execution_count")}
        if kept.get("output_type") == "stream" and "text" in kept:
            kept["text"] = "".join(kept["text"]) if isinstance(kept["text"], list) else kept["text"]
            last = outputs[-1] if outputs else None
            if last and last.get("output_type") == "stream" and last.get("name") == kept.get("name"):
                # a stream printed in two chunks is one output, as nbval coalesces it
                last["text"] = last["text"] + kept["text"]
                continue
        if "data" in kept:
            kept["data"] = {k: _sanitize(v, patterns) for k, v in kept["data"].items() if k not in NOT_COMPARED}
        outputs.append(kept)
    for kept in outputs:
        if "text" in kept:
            kept["text"] = _sanitize(kept["text"], patterns)
    return outputs


def differences(executed, stored) -> list[str]:
    """The code cells whose outputs differ, as 'code cell N' (empty when the two agree output by output).

    Code cells are paired in order (jupyter-cache keeps only the code cells of a notebook)."""
    patterns = _patterns()
    ran = [c for c in executed.cells if c.cell_type == "code"]
    kept = [c for c in stored.cells if c.cell_type == "code"]
    if len(ran) != len(kept):
        return [f"{len(ran)} code cells executed, {len(kept)} stored"]
    return [
        f"code cell {index}"
        for index, (one, other) in enumerate(zip(ran, kept, strict=True))
        if comparable(one, patterns) != comparable(other, patterns)
    ]
