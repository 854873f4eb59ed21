"""The package's layout shows the pipeline, and imports run one way.

Stages, in the order data flows: base, readers, data, analysis, claims, book
(what chapters call), make (what executes and renders them); the command line
sits on top. A module may import from its own stage or an earlier one, never
from a later one (function-level imports included), and no module depends on
itself through others: the package's import graph has no cycle, inside a stage
or across stages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "sinoiran"
STAGES = ("base", "readers", "data", "analysis", "claims", "book", "make")
TOP = len(STAGES)  # cli.py, __main__.py, __init__.py


def stage_of(module: str) -> int:
    """Stage index of a dotted module name inside the package (``sinoiran.data.tables`` -> 2)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in STAGES:
        return STAGES.index(parts[1])
    return TOP


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of the package in a file, at any depth."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sinoiran"):
            if node.module == "sinoiran":  # from sinoiran import claims -> sinoiran.claims
                found += [(node.lineno, f"sinoiran.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("sinoiran")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))
NAMES = {module_name(path) for path in MODULES}


def imported_package_modules(path: Path) -> set[str]:
    """The package's modules a file imports, at any depth: ``from pkg import name`` counts ``pkg.name``
    when that is a module, else ``pkg``; a parent package is not counted for its submodule."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sinoiran") and not node.level:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in NAMES else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("sinoiran")}
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (each imports the others, through the group)
    and every module that imports itself, sorted (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def test_every_module_sits_in_a_stage():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py", "cli.py"}]
    assert loose == [], f"modules outside the stage folders: {loose}"
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted(STAGES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_run_one_way(path):
    own = stage_of(module_name(path))
    later = [f"line {line}: {module}" for line, module in imported_modules(path) if stage_of(module) > own]
    assert later == [], f"{module_name(path)} ({STAGES[own] if own < TOP else 'top'}) imports a later stage: {later}"


def test_the_rule_catches_a_backward_import(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("def f():\n    from sinoiran.book.glue import glue_number\n")
    assert imported_modules(path) == [(2, "sinoiran.book.glue")]
    assert stage_of("sinoiran.book.glue") > stage_of("sinoiran.analysis.series")


def test_analysis_never_loads_a_file():
    """Functions of the analysis stage take frames: no loader, no file reading."""
    for path in (PACKAGE / "analysis").glob("*.py"):
        text = path.read_text()
        for forbidden in ("sinoiran.data.tables", "read_csv", "open(", "read_text("):
            assert forbidden not in text, f"{path.name} uses {forbidden}"


def test_claims_hold_no_table_primitives():
    """The claims stage judges with the analysis stage's functions; it does not filter tables itself."""
    for path in (PACKAGE / "claims").glob("*.py"):
        text = path.read_text()
        for primitive in ('tiv["vintage"]', 'groupby("supplier")', "np.add.at", ".between("):
            assert primitive not in text, f"{path.name} computes on a table itself ({primitive})"


def test_analysis_imports_nothing_from_data():
    """Analysis functions take frames and what each release covers as arguments (a
    :class:`sinoiran.base.releases.Coverage`); they never read the manifest or the package themselves, so
    they can be run on any tables, in any folder."""
    for path in sorted((PACKAGE / "analysis").glob("*.py")):
        imports = [module for _, module in imported_modules(path) if module.startswith("sinoiran.data")]
        assert imports == [], f"{path.name} imports {imports}"


def test_analysis_builds_no_sentences_for_the_book():
    """Sentences are made in book/ (trend_text, unusual_text); analysis returns numbers and frames."""
    for path in sorted((PACKAGE / "analysis").glob("*.py")):
        assert not path.stem.endswith("_text"), path.name
        tree = ast.parse(path.read_text())
        builders = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef)
            and (node.name.endswith("_sentence") or node.name in ("findings", "question"))
        ]
        assert builders == [], f"{path.name} builds sentences: {builders}"


def test_no_import_cycle_anywhere_in_the_package():
    """No module imports itself through others, inside a stage or across stages (function-level imports
    included: an import hidden in a function is still a dependency)."""
    graph = {module_name(path): imported_package_modules(path) & NAMES for path in MODULES}
    assert import_cycles(graph) == []


def test_the_cycle_rule_catches_a_cycle_hidden_in_a_function(tmp_path):
    one, other = tmp_path / "one.py", tmp_path / "other.py"
    one.write_text("from sinoiran.make import warm\n")
    other.write_text("def f():\n    from sinoiran.make.project import chapters\n")
    assert imported_package_modules(one) == {"sinoiran.make.warm"}
    assert imported_package_modules(other) == {"sinoiran.make.project"}
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert import_cycles(graph) == [["a", "b", "c"], ["e"]]
