"""Each chapter's cache key: everything its outputs can depend on, hashed.

Jupyter Book's own cache keys a notebook on its code cells alone, so a changed
table in ``data/`` or function in ``src/`` would leave its outputs stale. A
chapter's key here (:func:`chapter_key`) covers its code cells and kernel, the
lock file, the package modules it can run (found by reading import statements,
:func:`chapter_modules`), the data manifest and listing, and the bytes of every
file it read when it last ran (recorded by the warm kernel, ``path`` or
``path::field`` for one field of a JSON file).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
from pathlib import Path

from sinoiran.base.paths import PROJECT_ROOT

#: Inputs every chapter depends on besides its own code cells (the execution record's inputs key).
DEPENDENCIES = ("data", "src/sinoiran", "requirements.txt")


def dependency_key(root: Path = PROJECT_ROOT, names: tuple[str, ...] = DEPENDENCIES) -> str:
    """sha256 (first 16 hex digits) over the bytes and relative paths of ``names`` (files, or folders read
    recursively, compiled files left out)."""
    digest = hashlib.sha256()
    for name in names:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            digest.update(str(file.relative_to(root)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def package_imports(code: str) -> frozenset[str]:
    """The ``sinoiran`` modules a piece of code imports (also inside functions; "from pkg import x" counts
    both ``pkg`` and ``pkg.x``, which may be a module). Code that does not parse imports nothing."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return frozenset(n for n in names if n == "sinoiran" or n.startswith("sinoiran."))


@functools.lru_cache(maxsize=512)
def _module_imports(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    """:func:`package_imports` of a source file, parsed once per version of the file (keyed by mtime and size)."""
    return package_imports(Path(path).read_text())


def notebook_code(path: Path) -> str:
    """A notebook's code cells as one program, IPython magics and shell lines left out."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    return "\n".join(
        "\n".join(line for line in c.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for c in notebook.cells
        if c.cell_type == "code"
    )


def chapter_modules(root: Path, path: Path) -> list[Path]:
    """The package's source files a chapter can run: the modules its code cells import, and theirs, transitively.

    Found by reading the import statements (also those inside functions), so it
    errs on the side of more files, never fewer; every parent package's
    ``__init__.py`` is included, since importing a module runs it."""
    src = os.path.join(root, "src")
    known: dict[str, list[str]] = {}  # module name -> its files (looked up once per call)

    def files_of(module: str) -> list[str]:
        if module not in known:
            parts = module.split(".")
            found = []
            for depth in range(1, len(parts) + 1):
                base = os.path.join(src, *parts[:depth])
                for candidate in (os.path.join(base, "__init__.py"), base + ".py"):
                    if os.path.isfile(candidate):
                        found.append(candidate)
            known[module] = found
        return known[module]

    todo = [f for name in package_imports(notebook_code(path)) for f in files_of(name)]
    seen: set[str] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        stat = os.stat(file)
        names = _module_imports(file, stat.st_mtime_ns, stat.st_size)
        todo += [f for name in names for f in files_of(name) if f not in seen]
    return sorted(Path(file) for file in seen)


def chapter_key(root: Path, path: Path, files_read: list[str]) -> str:
    """sha256 (16 hex digits) of everything a chapter's outputs can depend on (see the module docstring);
    ``files_read`` are relative to the project, or absolute."""
    import nbformat

    digest = hashlib.sha256()

    def add(label: str, payload: bytes) -> None:
        digest.update(label.encode() + b"\0" + payload + b"\0")

    notebook = nbformat.read(path, as_version=4)
    add("code", json.dumps([c.source for c in notebook.cells if c.cell_type == "code"]).encode())
    add("kernel", json.dumps(notebook.metadata.get("kernelspec", {}), sort_keys=True).encode())
    add("lock", (root / "requirements.txt").read_bytes())
    for module in chapter_modules(root, path):
        add(str(module.relative_to(root)), module.read_bytes())
    data = root / "data"
    add("data listing", "\n".join(sorted(p.name for p in data.iterdir() if p.is_file())).encode())
    if (data / "sources.toml").exists():
        add("data/sources.toml", (data / "sources.toml").read_bytes())
    for name in sorted(files_read):
        add(name, read_dependency(root, name))
    return digest.hexdigest()[:16]


def read_dependency(root: Path, name: str) -> bytes:
    """The bytes a recorded dependency stands for: a file's, or one field of a JSON file (``file::field``);
    ``<missing>`` for a file that is gone."""
    name, _, field = name.partition("::")
    file = Path(name) if Path(name).is_absolute() else root / name
    if not file.is_file():
        return b"<missing>"
    if field:
        return json.dumps(json.loads(file.read_text()).get(field), sort_keys=True).encode()
    return file.read_bytes()


def relative(root: Path, name: str) -> str:
    """A recorded dependency relative to the project when it lies inside it (``path::field`` kept whole)."""
    name, sep, field = name.partition("::")
    try:
        return str(Path(name).resolve().relative_to(root.resolve())) + sep + field
    except ValueError:
        return name + sep + field
