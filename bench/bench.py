"""Benchmark the book build against the serial reference (``make bench``); append the figures to the history.

Everything runs on a temporary copy of the project (its own package shadows the
installed one, kernels included), side by side in one run, several times; the
script prints the median of each measurement and the ratios the project
targets, and appends one row per run to ``bench/history.csv`` (with the commit),
so that a regression shows up as a line in a diff. These machines are noisy:
compare the ratios, not the seconds.

Measurements
  cold      ``python -m sinoiran book`` with an empty _build (what ``make book`` runs), and its peak
            memory: the largest sum of resident memory over the build's whole process tree
  serial    the reference: ``jupyter-book build --all`` with ``execute_notebooks: force``
            (one fresh kernel per chapter, one chapter at a time)
  nochange  ``python -m sinoiran book`` again, nothing changed
  datachg   ``python -m sinoiran book`` after a valid change to one data table (events.csv), and how
            many chapters it re-executed (only those that read the table should run)
  test      the test suite as ``make test`` runs it
  compute   the chapters' own computation on warm kernels, without kernel start-up and imports,
            over the cores, plus one Sphinx pass without execution: what is left when imports are free
  imports   the import cost of one kernel (the stack and the package), on its own
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import yaml

# Scratch copies of the project are a test helper, kept outside the installed package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from workspace import change_one_table, copy_env, copy_project  # noqa: E402

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "bench" / "history.csv"
GIB = 1024**3


def timed(command: list[str], project: Path, memory: bool = False) -> tuple[float, int, str]:
    """Wall time of a command run in ``project``, its peak tree memory (bytes; when asked) and its output.

    On failure, show the end of its output and stop."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=project,
        env=copy_env(project),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    peak = 0
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.append(process.stdout.read() if process.stdout else ""))
    reader.start()
    while process.poll() is None:
        if memory:
            try:
                root = psutil.Process(process.pid)
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
        time.sleep(0.1)
    reader.join()
    seconds = time.perf_counter() - started
    text = "".join(output)
    if process.returncode != 0:
        sys.stderr.write(text[-6000:])
        raise SystemExit(f"bench: command failed ({process.returncode}): {' '.join(command)}")
    return seconds, peak, text


def config_with(project: Path, execute: str) -> Path:
    config = yaml.safe_load((project / "_config.yml").read_text())
    config["execute"]["execute_notebooks"] = execute
    path = project / f"_config.{execute}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def build_report(project: Path) -> dict:
    """What the last ``python -m sinoiran book`` did (the runner's ``_build/book-build.json``)."""
    from sinoiran.book.runner import BUILD_RECORD

    path = project / BUILD_RECORD
    return json.loads(path.read_text()) if path.exists() else {}


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the build measurements")
    parser.add_argument("--test-reps", type=int, default=1, help="repetitions of the test-suite measurement")
    parser.add_argument("--no-history", action="store_true", help="do not append to bench/history.csv")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    keys = ["cold", "serial", "nochange", "datachg", "test", "compute", "imports", "peak_gib", "datachg_executed"]
    results: dict[str, list[float]] = {k: [] for k in keys}
    book = [str(BIN / "python"), "-m", "sinoiran", "book"]
    with tempfile.TemporaryDirectory(prefix="sinoiran-bench-") as folder:
        project = copy_project(Path(folder) / "proj")
        os.environ.update(copy_env(project))
        force, off = config_with(project, "force"), config_with(project, "off")
        chapters = 0
        for rep in range(args.reps):
            shutil.rmtree(project / "_build", ignore_errors=True)
            seconds, peak, output = timed(book, project, memory=True)
            report = build_report(project)
            chapters = report.get("chapters", chapters)
            results["cold"].append(seconds)
            results["peak_gib"].append(peak / GIB)
            results["imports"] += report.get("import_seconds", [])
            compute = report.get("chapter_seconds", 0.0) / cores
            results["nochange"].append(timed(book, project)[0])
            change_one_table(project)
            seconds, _, output = timed(book, project)
            results["datachg"].append(seconds)
            results["datachg_executed"].append(build_report(project).get("executed", -1))
            shutil.rmtree(project / "_build", ignore_errors=True)
            results["serial"].append(
                timed([str(BIN / "jupyter-book"), "build", str(project), "--all", "--config", str(force)], project)[0]
            )
            shutil.rmtree(project / "_build", ignore_errors=True)
            sphinx = timed([str(BIN / "jupyter-book"), "build", str(project), "--all", "--config", str(off)], project)
            results["compute"].append(compute + sphinx[0])
            print(f"rep {rep + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in results.items() if v), file=sys.stderr)
        for rep in range(args.test_reps):
            # a fresh copy: the build measurements changed a data table on purpose
            fresh = copy_project(Path(folder) / f"tests{rep}")
            command = [str(BIN / "python"), "-m", "pytest", "-q", "-n", "auto", "--dist", "loadscope"]
            results["test"].append(timed([*command, "-p", "no:cacheprovider"], fresh)[0])
    median = {k: statistics.median(v) for k, v in results.items() if v}
    print(f"\nMachine: {cores} cores; medians over {args.reps} repetitions ({args.test_reps} for the test suite)\n")
    labels = {
        "cold": "(a) cold make book, empty cache (s)",
        "serial": "(b) reference: serial force build, --all (s)",
        "nochange": "(c) rebuild, nothing changed (s)",
        "datachg": "(d) rebuild after changing one data table (s)",
        "datachg_executed": f"    chapters (d) re-executed, of {chapters}",
        "test": "(e) make test (pytest -n auto) (s)",
        "compute": "    chapters' own computation / cores + Sphinx (s)",
        "imports": "    imports of one kernel (s)",
        "peak_gib": "    peak memory of (a), whole process tree (GiB)",
    }
    print(f"{'measurement':<52}{'median':>10}")
    for key, label in labels.items():
        if key in median:
            print(f"{label:<52}{median[key]:>10.2f}")
    ratios = {}
    if all(k in median for k in ("cold", "serial", "nochange", "datachg", "compute")):
        ratios = {
            "serial/cold": median["serial"] / median["cold"],
            "nochange/cold": median["nochange"] / median["cold"],
            "cold/compute": median["cold"] / median["compute"],
            "datachg/cold": median["datachg"] / median["cold"],
        }
        if "test" in median:
            ratios["test/cold"] = median["test"] / median["cold"]
        print("\nratios (targets in brackets)")
        print(
            f"  serial / cold        {ratios['serial/cold']:6.2f}   [>= 2.5: the cold build beats the serial reference]"
        )
        print(f"  nochange / cold      {ratios['nochange/cold']:6.3f}   [< 0.1]")
        print(
            f"  cold / compute       {ratios['cold/compute']:6.2f}   (what start-up, imports and scheduling still cost)"
        )
        print(f"  datachg / cold       {ratios['datachg/cold']:6.2f}   (one table: only the chapters that read it run)")
        if "test" in ratios:
            print(f"  test / cold          {ratios['test/cold']:6.2f}   [<= 3]")
        print(f"  peak memory          {median['peak_gib']:6.2f}   [< 1.5 GiB]")
    if not args.no_history:
        row = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
            "commit": commit(),
            "cores": cores,
            "reps": args.reps,
            **{k: round(median[k], 2) for k in keys if k in median},
            **{k: round(v, 2) for k, v in ratios.items()},
        }
        columns = ["date", "commit", "cores", "reps", *keys, "serial/cold", "nochange/cold", "cold/compute"]
        columns += ["datachg/cold", "test/cold"]
        new = not HISTORY.exists()
        with HISTORY.open("a", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            if new:
                writer.writeheader()
            writer.writerow(row)
        print(f"\nappended to {HISTORY.relative_to(ROOT)} (commit it with the change it measures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
