"""Benchmark the book build against the serial reference and the floor (``make bench``).

Everything runs on a temporary copy of the project (its own package shadows the
installed one, kernels included), side by side in one run, several times; the
script prints the median of each measurement and the ratios the project
targets. These machines are noisy: compare the ratios, not the seconds.

Measurements
  cold      ``python -m sinoiran book`` with an empty _build (what ``make book`` runs)
  serial    the reference: ``jupyter-book build --all`` with ``execute_notebooks: force``
  nochange  ``python -m sinoiran book`` again, nothing changed
  datachg   ``python -m sinoiran book`` after a valid change to one data table
  test      the test suite as ``make test`` runs it (pytest -n auto --dist loadscope)
  floor     sum of each chapter's own execution time / cores + one Sphinx pass without execution
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

# Scratch copies of the project are a test helper, kept outside the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workspace import change_one_table, copy_env, copy_project  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], project: Path) -> float:
    """Wall time of a command run in ``project``; on failure, show the end of its output and stop."""
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=project,
        env=copy_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-6000:])
        raise SystemExit(f"bench: command failed ({result.returncode}): {' '.join(command)}")
    return time.perf_counter() - started


def config_with(project: Path, execute: str) -> Path:
    config = yaml.safe_load((project / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = execute
    path = project / f"_config.{execute}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def chapter_seconds(project: Path) -> dict[str, float]:
    """Each chapter's own execution time, run one at a time on copies of the notebooks."""
    import nbformat
    from nbclient import NotebookClient

    toc = yaml.safe_load((project / "_toc.yml").read_text())
    seconds = {}
    for entry in [c["file"] for part in toc["parts"] for c in part["chapters"]]:
        path = project / f"{entry}.ipynb"
        if not path.exists():
            continue
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(
            notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
        ).execute()
        seconds[path.name] = time.perf_counter() - started
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the build measurements")
    parser.add_argument("--test-reps", type=int, default=1, help="repetitions of the test-suite measurement")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    results: dict[str, list[float]] = {k: [] for k in ["cold", "serial", "nochange", "datachg", "test", "floor"]}
    book = [str(BIN / "python"), "-m", "sinoiran", "book"]
    with tempfile.TemporaryDirectory(prefix="sinoiran-bench-") as folder:
        project = copy_project(Path(folder) / "proj")
        os.environ.update(copy_env(project))  # kernels started here (the floor) use the copy too
        force, off = config_with(project, "force"), config_with(project, "off")
        for rep in range(args.reps):
            shutil.rmtree(project / "_build", ignore_errors=True)
            results["cold"].append(timed(book, project))
            results["nochange"].append(timed(book, project))
            change_one_table(project)
            results["datachg"].append(timed(book, project))
            shutil.rmtree(project / "_build", ignore_errors=True)
            results["serial"].append(
                timed([str(BIN / "jupyter-book"), "build", str(project), "--all", "--config", str(force)], project)
            )
            per_chapter = chapter_seconds(project)
            shutil.rmtree(project / "_build", ignore_errors=True)
            sphinx = timed([str(BIN / "jupyter-book"), "build", str(project), "--all", "--config", str(off)], project)
            results["floor"].append(sum(per_chapter.values()) / cores + sphinx)
            print(
                f"rep {rep + 1}: " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in results.items() if v), file=sys.stderr
            )
        for rep in range(args.test_reps):
            # a fresh copy: the build measurements changed a data table on purpose
            fresh = copy_project(Path(folder) / f"tests{rep}")
            results["test"].append(
                timed(
                    [
                        str(BIN / "python"),
                        "-m",
                        "pytest",
                        "-q",
                        "-n",
                        "auto",
                        "--dist",
                        "loadscope",
                        "-p",
                        "no:cacheprovider",
                    ],
                    fresh,
                )
            )
    median = {k: statistics.median(v) for k, v in results.items() if v}
    print(f"\nMachine: {cores} cores; medians over {args.reps} repetitions ({args.test_reps} for the test suite)\n")
    print(f"{'measurement':<48}{'median (s)':>12}")
    labels = {
        "cold": "(a) cold make book, empty cache",
        "serial": "(b) reference: serial force build (--all)",
        "nochange": "(c) rebuild, nothing changed",
        "datachg": "(d) rebuild after changing one data table",
        "test": "(e) make test (pytest -n auto)",
        "floor": "    floor: chapter time / cores + Sphinx pass",
    }
    for key, label in labels.items():
        if key in median:
            print(f"{label:<48}{median[key]:>12.1f}")
    if not all(k in median for k in ("cold", "serial", "nochange", "datachg", "floor")):
        return 0
    print("\nratios (targets in brackets)")
    print(
        f"  serial / cold        {median['serial'] / median['cold']:6.2f}   [>= 1.6: cold build faster than the serial reference]"
    )
    print(f"  nochange / cold      {median['nochange'] / median['cold']:6.3f}   [< 0.1]")
    print(f"  cold / floor         {median['cold'] / median['floor']:6.2f}   [<= 1.3]")
    print(
        f"  datachg / cold       {median['datachg'] / median['cold']:6.2f}   (a data change re-executes every chapter)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
