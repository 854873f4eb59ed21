"""The environment files agree: requirements.in, the hashed lock, environment.yml, pyproject."""

from __future__ import annotations

import re

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from conftest import ROOT


def lock_pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text()
    pins = {}
    for block in re.split(r"\n(?=\S)", text):
        first = block.splitlines()[0]
        if first.startswith("#") or not first.strip():
            continue
        name, version = re.match(r"^([A-Za-z0-9_.\-]+)==(\S+)", first).groups()
        assert "--hash=sha256:" in block, f"requirements.txt: {name} has no hash"
        pins[name.lower().replace("_", "-")] = version
    return pins


def test_every_locked_package_is_pinned_with_a_hash():
    pins = lock_pins()
    assert len(pins) > 50
    assert "jupyter-book" in pins and Version(pins["jupyter-book"]) < Version("2")


def test_lock_satisfies_every_direct_requirement():
    pins = lock_pins()
    for line in (ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{name} is in requirements.in but not in the lock: run `make lock`"
        assert req.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} violates {req.specifier}"


def test_environment_yml_installs_exactly_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.startswith("python")]
    assert python == ["python=3.11"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    # Only the lock file, with hashes required: nothing conda could resolve differently.
    assert pip_section == ["--require-hashes", "-r requirements.txt"]
    conda_packages = [d for d in deps if isinstance(d, str)]
    assert set(conda_packages) == {"python=3.11", "pip"}


def test_pyproject_dependencies_are_satisfied_by_the_lock():
    import tomllib

    pins = lock_pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.12"
    extras = [dep for group in project["optional-dependencies"].values() for dep in group]
    for dep in [*project["dependencies"], *extras]:
        req = Requirement(dep)
        name = req.name.lower().replace("_", "-")
        assert name in pins, f"{dep}: not in the lock"
        assert req.specifier.contains(pins[name], prereleases=True), dep


def test_pyproject_declares_every_third_party_package_the_package_imports():
    import ast
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {Requirement(d).name.lower() for d in project["dependencies"]}
    declared |= {Requirement(d).name.lower() for group in project["optional-dependencies"].values() for d in group}
    # import name -> distribution name, where they differ
    distribution = {
        "yaml": "pyyaml",
        "myst_nb": "myst-nb",
        "jupyter_cache": "jupyter-cache",
        "sphinx": "jupyter-book",
        "docutils": "jupyter-book",
        "markdown_it": "markdown-it-py",
    }
    imported = set()
    for path in (ROOT / "src" / "sinoiran").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            imported |= {n.split(".")[0] for n in names}
    import sys

    third_party = {n for n in imported if n not in sys.stdlib_module_names and n not in {"sinoiran", "__future__"}}
    missing = sorted(n for n in third_party if distribution.get(n, n).lower() not in declared)
    assert missing == [], f"imported but not declared in pyproject.toml: {missing}"
