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
  datachg   ``python -m sinoiran book`` after a valid change to one data table (events.csv), how
            many chapters it re-executed (only those that read the table should run) and how many
            pages Sphinx re-read (those chapters and the pages that glue from them), with the
            build's own split into execution and the Sphinx pass; events.csv is read by most chapters
  fewchg    the same after a change to a table few chapters read (un_embargoes.csv)
  test      the test suite as ``make test`` runs it (its ``TEST_ARGS``, read from the Makefile)
  compute   the chapters' own computation on warm kernels, without kernel start-up and imports,
            over the cores, plus one Sphinx pass without execution: what is left when imports are free
  imports   the import cost of one kernel (the stack and the package), on its own

Panel (in this process, on the project's own data; ``--only panel`` runs these alone, in a minute)
  panel     every recipient x every release held, computed from the loaded tables by
            ``sinoiran.analysis.panel`` (yearly and block shares, HHI, leaders, lead changes, the change
            between the paper's windows), and the peak of memory it allocates (tracemalloc, a run of its own)
  loop      the same through a naive per-recipient loop of the one-recipient functions
            (``shares.supplier_shares`` yearly and by block, ``series.period_mean`` per supplier and window)
  x10 x100  the panel on synthetic tables 10 and 100 times larger (every recipient copied, volumes
            jittered, same schema and coverage rules): how the cost grows with rows
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
#: The second table changed by the bench: one that few chapters read (the first, events.csv, is read by most).
FEW_READERS = "un_embargoes"
BUILD_KEYS = [
    "cold",
    "serial",
    "nochange",
    "datachg",
    "test",
    "compute",
    "imports",
    "peak_gib",
    "datachg_executed",
    "datachg_reread",
    "datachg_execute_s",
    "datachg_sphinx_s",
    "cold_execute_s",
    "cold_sphinx_s",
    "fewchg",
    "fewchg_executed",
    "fewchg_reread",
]
RATIO_KEYS = ["serial/cold", "nochange/cold", "cold/compute", "datachg/cold", "fewchg/cold", "test/cold", "test/serial"]
#: The project's targets for the ratios: (comparison, bound, what it says).
TARGETS = {
    "serial/cold": (">=", 2.5, "the cold build beats the serial reference"),
    "nochange/cold": ("<", 0.1, "a build with nothing changed does nothing"),
    "datachg/cold": ("<=", 0.5, "one table: only its readers run, only their pages are re-read"),
    "fewchg/cold": ("<=", 0.5, "the same for a table few chapters read"),
    "test/serial": ("<=", 2.0, "make test pays each execution once"),
}


def test_args(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The arguments ``make test`` gives pytest (``TEST_ARGS`` in the Makefile), so the bench times the same."""
    import re

    found = re.search(r"^TEST_ARGS\s*:?=\s*(.+)$", makefile.read_text(), re.M)
    return found[1].split() if found else ["-n", "auto"]


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
    from sinoiran.make.project import BUILD_RECORD

    path = project / BUILD_RECORD
    return json.loads(path.read_text()) if path.exists() else {}


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- the panel ---------------------------------------------------------------------------------


def traced_peak(function, *args) -> float:
    """The peak of memory allocated while ``function(*args)`` runs (MiB, Python and NumPy allocations, traced
    by ``tracemalloc``; a run of its own, since tracing slows allocation down)."""
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def compute_panel(tiv, coverage) -> dict:
    """Every table of the panel for every recipient x every release in ``tiv``."""
    from sinoiran.analysis import panel

    data = panel.build_panel(tiv, coverage)
    lead = panel.leaders(data)
    return {
        "yearly": panel.panel_shares(data),
        "blocks": panel.panel_shares(data, kind="block"),
        "hhi": panel.concentration(data),
        "leaders": lead,
        "lead_changes": panel.lead_changes(lead),
        "changes": panel.window_change(data),
    }


def naive_loop(tiv, coverage) -> dict:
    """The same tables through the one-recipient functions, one recipient (and supplier) at a time."""
    from sinoiran.analysis import panel, series
    from sinoiran.analysis.shares import supplier_shares
    from sinoiran.base.names import actor_kind

    before, after = panel.PAPER_WINDOWS
    out: dict[str, list] = {"yearly": [], "blocks": [], "hhi": [], "leaders": [], "changes": []}
    for release in coverage.releases:
        rows = tiv[tiv["vintage"] == release]
        info = coverage.releases[release]
        first, last = info.data_start, info.data_end
        for recipient in sorted(rows["recipient"].unique()):
            if actor_kind(recipient) != "state":
                continue
            own = rows[rows["recipient"] == recipient]
            suppliers = sorted(own["supplier"].unique())
            if coverage.gap(release, None, first, last, recipient=recipient) is None:
                common = dict(vintage=release, recipient=recipient, suppliers=suppliers, start=first, end=last)
                out["yearly"].append(supplier_shares(tiv, merge_soviet=False, **common, coverage=coverage))
                blocks = supplier_shares(tiv, window=5, merge_soviet=False, **common, coverage=coverage)
                out["blocks"].append(blocks)
                full = blocks[~blocks["zero_total"]]
                out["hhi"].append((full["share"] ** 2).groupby(full["period"]).sum())
                out["leaders"].append(full.loc[full.groupby("period")["tiv"].idxmax(), ["period", "supplier"]])
            if first <= before[0] and after[1] <= last:
                window = own[own["year"].between(before[0], after[1])]
                for supplier in sorted(window["supplier"].unique()):
                    if coverage.gap(release, [supplier], before[0], after[1], recipient=recipient) is None:
                        mean_before = series.period_mean(tiv, release, supplier, recipient, *before, coverage=coverage)
                        mean_after = series.period_mean(tiv, release, supplier, recipient, *after, coverage=coverage)
                        drop = 100 * (1 - mean_after / mean_before) if mean_before > 0 else float("nan")
                        out["changes"].append((mean_before, mean_after, drop))
    return out


def synthetic(tiv, coverage, factor: int, seed: int = 20261201):
    """``tiv`` with every recipient copied ``factor`` times ("Iran", "Iran #1", ...), volumes jittered by a
    log-normal factor (fixed seed), and each release's holdings widened to the copies: the same schema and the
    same coverage rules, ``factor`` times the rows."""
    import numpy as np
    import pandas as pd

    from sinoiran.base.releases import Coverage, Holding

    names = pd.Index(sorted(tiv["recipient"].unique()))
    codes = names.get_indexer(tiv["recipient"])
    copies = np.array([name if k == 0 else f"{name} #{k}" for k in range(factor) for name in names], dtype=object)
    which = np.repeat(np.arange(factor), len(tiv)) * len(names) + np.tile(codes, factor)
    jitter = np.random.default_rng(seed).lognormal(0.0, 0.1, len(which))
    frame = pd.DataFrame(
        {
            "vintage": np.tile(tiv["vintage"].to_numpy(), factor),
            "supplier": np.tile(tiv["supplier"].to_numpy(), factor),
            "recipient": copies[which],
            "year": np.tile(tiv["year"].to_numpy(), factor),
            "tiv": np.tile(tiv["tiv"].to_numpy(dtype=float), factor) * np.where(which < len(names), 1.0, jitter),
        }
    )

    def widened(holding: Holding) -> Holding:
        if holding.recipients is None:
            return holding
        wide = frozenset(r if k == 0 else f"{r} #{k}" for r in holding.recipients for k in range(factor))
        return Holding(holding.suppliers, wide, holding.first, holding.last)

    holdings = {label: tuple(widened(h) for h in held) for label, held in coverage.holdings.items()}
    return frame, Coverage(coverage.releases, holdings)


def bench_panel(reps: int, loop_reps: int, scales: tuple[int, ...]) -> dict[str, float]:
    """The panel's measurements (medians over repetitions), printed side by side."""
    from sinoiran.data import tables
    from sinoiran.data.vintages import current_coverage

    started = time.perf_counter()
    tiv, coverage = tables.tiv_deliveries(), current_coverage()
    load = time.perf_counter() - started
    compute_panel(tiv, coverage)  # warm: imports and first-call costs are not the computation
    panel_times, loop_times = [], []
    for _ in range(reps):
        started = time.perf_counter()
        result = compute_panel(tiv, coverage)
        panel_times.append(time.perf_counter() - started)
    for _ in range(loop_reps):
        started = time.perf_counter()
        naive_loop(tiv, coverage)
        loop_times.append(time.perf_counter() - started)
    rows = {name: len(frame) for name, frame in result.items()}
    figures = {
        "panel_rows": float(len(tiv)),
        "load_s": load,
        "panel_s": statistics.median(panel_times),
        "loop_s": statistics.median(loop_times),
        "panel_mib": traced_peak(compute_panel, tiv, coverage),
    }
    figures["loop/panel"] = figures["loop_s"] / figures["panel_s"]
    for scale in scales:
        big, big_coverage = synthetic(tiv, coverage, scale)
        times = []
        for _ in range(max(1, reps // (2 if scale < 100 else 3))):
            started = time.perf_counter()
            compute_panel(big, big_coverage)
            times.append(time.perf_counter() - started)
        figures[f"x{scale}_rows"] = float(len(big))
        figures[f"x{scale}_s"] = statistics.median(times)
        figures[f"x{scale}_mib"] = traced_peak(compute_panel, big, big_coverage)
        del big
    releases = sorted(set(tiv["vintage"]))
    print(
        f"\nPanel: {len(tiv):,} rows, {len(releases)} releases; tables: "
        + ", ".join(f"{k} {v:,}" for k, v in rows.items())
    )
    print(f"medians over {reps} repetitions of the panel, {loop_reps} of the loop\n")
    print(f"{'measurement':<60}{'median':>12}")
    print(f"{'load the tables (checksums and schemas) (s)':<60}{figures['load_s']:>12.3f}")
    print(f"{'(p) panel, every recipient x release, computation (s)':<60}{figures['panel_s']:>12.3f}   [< 1 s]")
    print(f"{'(l) per-recipient loop of one-recipient functions (s)':<60}{figures['loop_s']:>12.3f}")
    print(f"{'    (l) / (p)':<60}{figures['loop/panel']:>12.1f}   [>= 10]")
    print(f"{'    peak memory allocated by (p) (MiB)':<60}{figures['panel_mib']:>12.1f}")
    for scale in scales:
        per_million = figures[f"x{scale}_s"] / (figures[f"x{scale}_rows"] / 1e6)
        label = f"(p) on a synthetic table x{scale} ({figures[f'x{scale}_rows']:,.0f} rows) (s)"
        print(f"{label:<60}{figures[f'x{scale}_s']:>12.3f}   {per_million:.2f} s per million rows")
        print(f"{'    its peak memory allocated (MiB)':<60}{figures[f'x{scale}_mib']:>12.1f}")
    return figures


PANEL_KEYS = ["panel_rows", "panel_s", "loop_s", "loop/panel", "panel_mib", "x10_s", "x100_rows", "x100_s", "x100_mib"]
HISTORY_COLUMNS = ["date", "commit", "cores", "reps", *BUILD_KEYS, *RATIO_KEYS, *PANEL_KEYS]


def append_history(row: dict, columns: list[str]) -> None:
    """Append ``row`` to the history; a file with fewer columns is rewritten with the new header first."""
    existing: list[dict] = []
    if HISTORY.exists():
        with HISTORY.open(newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            existing = list(reader)
        if header != columns:
            with HISTORY.open("w", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(existing)
    new = not HISTORY.exists()
    with HISTORY.open("a", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow(row)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the build measurements")
    parser.add_argument("--test-reps", type=int, default=1, help="repetitions of the test-suite measurement")
    parser.add_argument("--no-history", action="store_true", help="do not append to bench/history.csv")
    parser.add_argument(
        "--only", choices=["all", "build", "panel"], default="all", help="the build measurements, the panel's, or both"
    )
    parser.add_argument("--panel-reps", type=int, default=5, help="repetitions of the panel (the loop: 3 at most)")
    args = parser.parse_args()
    panel_figures = bench_panel(args.panel_reps, min(3, args.panel_reps), (10, 100)) if args.only != "build" else {}
    if args.only == "panel":
        if not args.no_history:
            row = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"), "commit": commit(), "cores": os.cpu_count()}
            row |= {"reps": args.panel_reps, **{k: round(v, 3) for k, v in panel_figures.items() if k in PANEL_KEYS}}
            append_history(row, HISTORY_COLUMNS)
            print(f"\nappended to {HISTORY.relative_to(ROOT)} (commit it with the change it measures)")
        return 0
    cores = os.cpu_count() or 1
    keys = BUILD_KEYS
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
            results["cold_execute_s"].append(report.get("execute_seconds", 0.0))
            results["cold_sphinx_s"].append(report.get("sphinx_seconds", 0.0))
            results["peak_gib"].append(peak / GIB)
            results["imports"] += report.get("import_seconds", [])
            compute = report.get("chapter_seconds", 0.0) / cores
            results["nochange"].append(timed(book, project)[0])
            change_one_table(project)
            seconds, _, output = timed(book, project)
            results["datachg"].append(seconds)
            changed = build_report(project)
            results["datachg_executed"].append(changed.get("executed", -1))
            results["datachg_reread"].append(len(changed.get("reread", [])))
            results["datachg_execute_s"].append(changed.get("execute_seconds", 0.0))
            results["datachg_sphinx_s"].append(changed.get("sphinx_seconds", 0.0))
            change_one_table(project, FEW_READERS)
            seconds, _, output = timed(book, project)
            results["fewchg"].append(seconds)
            results["fewchg_executed"].append(build_report(project).get("executed", -1))
            results["fewchg_reread"].append(len(build_report(project).get("reread", [])))
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
            command = [str(BIN / "python"), "-m", "pytest", "-q", *test_args()]
            results["test"].append(timed([*command, "-p", "no:cacheprovider"], fresh)[0])
    median = {k: statistics.median(v) for k, v in results.items() if v}
    print(f"\nMachine: {cores} cores; medians over {args.reps} repetitions ({args.test_reps} for the test suite)\n")
    labels = {
        "cold": "(a) cold make book, empty cache (s)",
        "serial": "(b) reference: serial force build, --all (s)",
        "nochange": "(c) rebuild, nothing changed (s)",
        "datachg": "(d) rebuild after changing one data table (s)",
        "datachg_executed": f"    chapters (d) re-executed, of {chapters}",
        "datachg_reread": "    pages (d) had Sphinx re-read",
        "datachg_execute_s": "    of (d): executing those chapters (s)",
        "datachg_sphinx_s": "    of (d): the Sphinx pass (s)",
        "cold_execute_s": "    of (a): executing every chapter (s)",
        "cold_sphinx_s": "    of (a): the Sphinx pass (s)",
        "fewchg": f"(d') rebuild after changing {FEW_READERS}, a table few chapters read (s)",
        "fewchg_executed": f"    chapters (d') re-executed, of {chapters}",
        "fewchg_reread": "    pages (d') had Sphinx re-read",
        "test": "(e) make test (pytest -n auto) (s)",
        "compute": "    chapters' own computation / cores + Sphinx (s)",
        "imports": "    imports of one kernel (s)",
        "peak_gib": "    peak memory of (a), whole process tree (GiB)",
    }
    print(f"{'measurement':<72}{'median':>10}")
    for key, label in labels.items():
        if key in median:
            print(f"{label:<72}{median[key]:>10.2f}")
    ratios = {}
    if all(k in median for k in ("cold", "serial", "nochange", "datachg", "compute")):
        ratios = {
            "serial/cold": median["serial"] / median["cold"],
            "nochange/cold": median["nochange"] / median["cold"],
            "cold/compute": median["cold"] / median["compute"],
            "datachg/cold": median["datachg"] / median["cold"],
        }
        if "fewchg" in median:
            ratios["fewchg/cold"] = median["fewchg"] / median["cold"]
        if "test" in median:
            ratios["test/cold"] = median["test"] / median["cold"]
            ratios["test/serial"] = median["test"] / median["serial"]
        print(f"\n{'ratio':<16}{'measured':>10}   {'target':<10}{'met':<5}what it says")
        for key, value in ratios.items():
            if key in TARGETS:
                op, bound, says = TARGETS[key]
                met = {">=": value >= bound, "<": value < bound, "<=": value <= bound}[op]
                print(f"{key:<16}{value:>10.2f}   {op + ' ' + str(bound):<10}{'yes' if met else 'NO':<5}{says}")
            else:
                print(f"{key:<16}{value:>10.2f}   {'':<10}{'':<5}(what start-up, imports and scheduling cost)")
        print(
            f"{'peak memory':<16}{median['peak_gib']:>10.2f}   {'< 1.5 GiB':<10}{'yes' if median['peak_gib'] < 1.5 else 'NO':<5}"
        )
    if not args.no_history:
        row = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
            "commit": commit(),
            "cores": cores,
            "reps": args.reps,
            **{k: round(median[k], 2) for k in keys if k in median},
            **{k: round(v, 2) for k, v in ratios.items()},
            **{k: round(v, 3) for k, v in panel_figures.items() if k in PANEL_KEYS},
        }
        append_history(row, HISTORY_COLUMNS)
        print(f"\nappended to {HISTORY.relative_to(ROOT)} (commit it with the change it measures)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
