"""Command line: ``python -m sinoiran ...``.

    python -m sinoiran ingest [KIND] FILE --output OUT.csv [--vintage LABEL] [--recipients A,B] [--suppliers A,B]
                              [--totals T.csv] [--deliveries D.csv]
    python -m sinoiran data build [--sources DIR] [--output DIR]
    python -m sinoiran data add FILE [--vintage LABEL] [--recipients A,B] [--suppliers A,B]
    python -m sinoiran data check [--data DIR]
    python -m sinoiran claims [--vintage LABEL|all] [--format csv|table|json]
    python -m sinoiran panel --output OUT.csv [--release LABEL[,LABEL]|all] [--table changes|shares|blocks|...]
                             [--suppliers A,B] [--recipients A,B] [--windows 2005-2007:2008-2011]
    python -m sinoiran sensitivity [--jobs N] [--output results/sensitivity.csv]
    python -m sinoiran outputs [--jobs N]      (make outputs)
    python -m sinoiran book [--jobs N] [--execute-only]   (make book)
    python -m sinoiran pdf                     (make pdf)
    python -m sinoiran report NOTEBOOK [-p NAME VALUE ...] [--output PAGE.html] [--pdf]   (make report)

Bad input ends with exit status 2 and one line naming file, column and row.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sinoiran.base.errors import InputError, UsageError

DEFAULT_SOURCES = Path("..") / "shared" / "sources"


def _output_path(value: str | None, option: str = "--output") -> Path | None:
    """An output file path checked before any work: not a folder; its folder created if missing, and writable."""
    if value is None:
        return None
    path = Path(value)
    if path.is_dir():
        raise InputError(path, f"{option} is a folder; give a file name such as {path / 'out.csv'}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(path.parent, f"{option}: cannot create the folder ({error.strerror or error})") from None
    if not os.access(path.parent, os.W_OK):
        raise InputError(path.parent, f"{option}: folder is not writable")
    return path


def _write(frame, path: Path) -> None:
    from sinoiran.data.build import write_csv

    try:
        write_csv(frame, path)
    except OSError as error:
        raise InputError(path, f"cannot write: {error.strerror or error}") from None


def _names(value: str | None) -> list[str] | None:
    """Names given as "A, B" on the command line (None if not given)."""
    return [n.strip() for n in value.split(",") if n.strip()] if value else None


def _ingest(args: argparse.Namespace) -> int:
    from sinoiran.base.names import resolve_all
    from sinoiran.readers import formats, registers

    if len(args.target) == 2:
        kind, file = args.target
        if kind not in formats.FORMATS:
            raise UsageError(f"unknown export kind {kind!r}; choose one of {', '.join(formats.FORMATS)}")
    elif len(args.target) == 1:
        file, kind = args.target[0], None
    else:
        raise UsageError("give one file, or a kind and one file (python -m sinoiran ingest [KIND] FILE)")
    path = Path(file)
    output = _output_path(args.output)
    assert output is not None  # --output is required by the parser
    for given, option in ((output, "--output"), (args.totals, "--totals"), (args.deliveries, "--deliveries")):
        if given is not None and Path(given).suffix.lower() != ".csv":
            raise UsageError(f"{option} {Path(given).name}: ingest writes CSV; give a .csv file name")
    totals = _output_path(args.totals, "--totals")
    deliveries = _output_path(args.deliveries, "--deliveries")
    kind = kind or formats.detect(path).format
    wanted_recipients, wanted_suppliers = _names(args.recipients), _names(args.suppliers)
    prefilter = None
    if wanted_recipients and kind == "sipri-register":  # other recipients' rows are left unread
        held = registers.recipient_names(path)
        prefilter = frozenset(resolve_all(wanted_recipients, held, what="recipient", where=f"in {path.name}"))
    export = formats.read(path, kind, recipients=prefilter)
    fmt = formats.FORMATS[export.format]
    label = args.vintage
    guess = export.release
    if label is None and guess is not None:
        label = guess.label
    if label is None and fmt.main in ("deliveries", "deals"):
        raise InputError(path, "prints no generation date and holds no dated rows: pass --vintage LABEL")
    frame = export.frames[fmt.main]
    for role, wanted in (("recipient", wanted_recipients), ("supplier", wanted_suppliers)):
        if not wanted or role not in frame:
            continue
        names = resolve_all(wanted, export.names(role), what=role, where=f"in {path.name}")
        frame = frame[frame[role].isin(names)]
        if frame.empty:
            raise InputError(path, f"no rows left after keeping {role}s {', '.join(names)}")
    if fmt.main in ("deliveries", "deals"):
        frame = frame.copy()
        frame.insert(0, "vintage", label)
    _write(frame.reset_index(drop=True), output)
    if totals is not None and "totals" in export.frames:
        _write(
            export.frames["totals"].assign(vintage=label)[["vintage", "country", "orientation", "year", "tiv"]], totals
        )
    if deliveries is not None and "rows" in export.frames:
        rows = export.frames["rows"]
        for role, wanted in (("recipient", wanted_recipients), ("supplier", wanted_suppliers)):
            if wanted and role in rows:  # the same names as the main table keeps
                rows = rows[rows[role].isin(set(frame[role]))]
        _write(rows.reset_index(drop=True), deliveries)
    release = f"; release {label}" + (f" ({guess.reason})" if guess and args.vintage is None else "") if label else ""
    extra = "".join(f"; {note}" for note in export.notes)
    print(
        f"{path} [{export.format}]: {export.described}{release}{extra}; {len(frame)} row{'' if len(frame) == 1 else 's'} -> {output}",
        file=sys.stderr,
    )
    return 0


def _data_build(args: argparse.Namespace) -> int:
    from sinoiran.base.paths import PROJECT_ROOT
    from sinoiran.data.build import build_data

    sources = Path(args.sources) if args.sources else PROJECT_ROOT / DEFAULT_SOURCES
    if not sources.is_dir():
        raise InputError(
            sources,
            "sources folder not found. Expected a folder of raw exports laid out as ../shared/sources "
            "(see README, 'Data availability'); pass --sources DIR",
        )
    output = Path(args.output) if args.output else PROJECT_ROOT / "data"
    for path in build_data(sources, output):
        print(f"wrote {path}")
    return 0


def _data_add(args: argparse.Namespace) -> int:
    from sinoiran.base.paths import data_dir
    from sinoiran.data.add import add_export

    for line in add_export(
        args.file,
        args.vintage,
        out_dir=Path(args.output) if args.output else data_dir(),
        recipients=_names(args.recipients),
        suppliers=_names(args.suppliers),
        accept_label=args.accept_label,
    ):
        print(line)
    return 0


def _data_check(args: argparse.Namespace) -> int:
    from sinoiran.data.tables import check_data

    for line in check_data(Path(args.data) if args.data else None):
        print(line)
    return 0


def _claims(args: argparse.Namespace) -> int:
    from sinoiran import claims
    from sinoiran.book.display import cell_text
    from sinoiran.data import tables

    frame = claims.ledger(tables.load_inputs(), vintage=args.vintage)
    if args.format == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    elif args.format == "json":
        print(frame.to_json(orient="records", indent=2, force_ascii=False))
    else:
        shown = claims.for_display(frame)[["claim_id", "vintage", "paper_value", "recomputed_value", "verdict"]]
        for column in ("paper_value", "recomputed_value"):
            shown[column] = shown[column].map(cell_text)
        print(shown.to_string(index=False))
        counts = claims.verdict_counts(frame)
        print("\nVerdicts by vintage:\n" + counts.to_string())
    return 0


#: What ``python -m sinoiran panel --table`` writes, and the panel function that makes it.
PANEL_TABLES = {
    "changes": "each supplier's deliveries to each recipient in the two windows, the fall and the share change",
    "shares": "yearly shares of each recipient's imports, where the release holds every supplier",
    "blocks": "shares over SIPRI's five-year blocks",
    "concentration": "the HHI of each recipient's suppliers per five-year block",
    "leaders": "the leading supplier of each recipient per five-year block, with the runner-up",
    "lead-changes": "the blocks in which a recipient's leading supplier changed",
}


def _write_table(frame, path: Path) -> None:
    """Write a CSV, or Parquet when the name ends in .parquet and pyarrow is installed (it is not in the lock)."""
    if path.suffix.lower() in (".parquet", ".pq"):
        import importlib.util

        if importlib.util.find_spec("pyarrow") is None:
            raise UsageError(
                f"--output {path.name}: Parquet needs pyarrow, which this project's lock (requirements.txt) does not "
                "install; write CSV instead (--output panel.csv)"
            )
        try:
            frame.to_parquet(path, index=False)
        except OSError as error:
            raise InputError(path, f"cannot write: {error.strerror or error}") from None
        return
    if path.suffix.lower() != ".csv":
        raise UsageError(f"--output {path.name}: give a .csv (or .parquet) file name")
    _write(frame, path)


def _panel(args: argparse.Namespace) -> int:
    from sinoiran.analysis import panel
    from sinoiran.base.names import resolve_all
    from sinoiran.data import tables
    from sinoiran.data.vintages import current_coverage

    output = _output_path(args.output)
    assert output is not None  # --output is required by the parser
    if output.suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise UsageError(f"--output {output.name}: give a .csv (or .parquet) file name")
    windows = panel.parse_windows(args.windows)
    before, after = windows[0], windows[-1]
    coverage = current_coverage()
    tiv = tables.tiv_deliveries()
    wanted = None if args.release in (None, "all") else _names(args.release)
    if wanted:
        unknown = [r for r in wanted if r not in coverage.releases]
        if unknown:
            raise UsageError(
                f"--release: unknown release {unknown[0]!r}; releases held: {', '.join(coverage.releases)}"
            )
    kinds = ("state", "non-state actor", "international organisation", "unknown") if args.all_recipients else ("state",)
    data = panel.build_panel(tiv, coverage, releases=wanted, merge_predecessors=args.merge_predecessors, kinds=kinds)
    releases = list(data.releases)
    if args.table == "changes":
        covering = [r for r in releases if panel.covers(data, r, before, after)]
        if not covering:
            spans = ", ".join(f"{r} {'-'.join(map(str, data.years(r)))}" for r in releases)
            raise UsageError(f"--windows {args.windows}: no release chosen covers {before[0]}-{after[1]} ({spans})")
        skipped = [r for r in releases if r not in covering]
        data, releases = data.only(covering), covering
    else:
        skipped = []
    where = f"in release{'s' if len(releases) > 1 else ''} {', '.join(releases)}"
    suppliers = (
        resolve_all(_names(args.suppliers) or [], data.supplier_names, what="supplier", where=where)
        if args.suppliers
        else None
    )
    recipients = _panel_recipients(args, data, where) if args.recipients else None
    if args.table == "changes":
        if suppliers is None:  # each release's own major suppliers
            majors = {r: panel.major_suppliers(data, r, before[0], after[1]) for r in releases}
            frame = panel.window_change(data, before, after, suppliers=sorted({s for m in majors.values() for s in m}))
            frame = frame[[s in majors[r] for r, s in zip(frame["release"], frame["supplier"], strict=True)]]
            notes_suppliers = "; ".join(f"{r}: {', '.join(m)}" for r, m in majors.items())
        else:
            frame = panel.window_change(data, before, after, suppliers=suppliers)
            notes_suppliers = ", ".join(suppliers)
    elif args.table == "shares":
        frame = panel.panel_shares(data, kind="year", suppliers=suppliers)
    elif args.table == "blocks":
        frame = panel.panel_shares(data, kind="block", suppliers=suppliers)
    elif args.table == "concentration":
        frame = panel.concentration(data, kind="block")
    elif args.table == "leaders":
        frame = panel.leaders(data, kind="block")
    else:
        frame = panel.lead_changes(panel.leaders(data, kind="block"))
    if recipients is not None:
        frame = frame[frame["recipient"].isin(recipients)]
    if suppliers is not None and "supplier" in frame and args.table != "changes":
        frame = frame[frame["supplier"].isin(suppliers)]
    if frame.empty:  # a filter that matches nothing is an error that says why, never a header-only file
        raise UsageError(_empty_panel_reason(args, data, recipients, suppliers))
    if recipients is not None:  # name the releases that hold what was asked, not every release searched
        releases = [r for r in releases if r in set(frame["release"].astype(str))]
    # Sums of SIPRI's one-decimal cells carry binary noise (8930.620000000003): store them by the precision
    # policy, six significant digits, as every table of the project is.
    from sinoiran.book.glue import stored_frame

    _write_table(stored_frame(frame.reset_index(drop=True)), output)
    notes = [f"releases {', '.join(releases)}"]
    if args.table == "changes":
        notes.append(f"windows {before[0]}-{before[1]} and {after[0]}-{after[1]}")
        notes.append(f"suppliers {notes_suppliers}")
    if skipped:
        notes.append(f"skipped (years not covered): {', '.join(skipped)}")
    apart = data.kept_apart
    if len(apart) and recipients is None:  # with --recipients, the output is what was asked for
        notes.append(f"{apart['recipient'].nunique()} non-state, organisation or unknown recipients kept apart")
    print(
        f"panel [{args.table}]: {'; '.join(notes)}; {len(frame)} row{'' if len(frame) == 1 else 's'} -> {output}",
        file=sys.stderr,
    )
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from sinoiran.data import tables
    from sinoiran.data.build import write_csv
    from sinoiran.data.vintages import current_coverage
    from sinoiran.make import grid as sensitivity

    tiv = tables.tiv_deliveries()
    coverage = current_coverage()
    grid = sensitivity.parameter_grid(coverage=coverage)
    runnable, skipped = sensitivity.plan(grid, tiv, coverage)
    print(
        f"{len(grid)} combinations: {len(runnable)} to run, {len(skipped)} skipped (invalid for their vintage)",
        file=sys.stderr,
    )
    results = sensitivity.run_grid(runnable, Path(args.runs_dir), jobs=args.jobs)
    table = sensitivity.assemble(results, skipped)
    write_csv(table, Path(args.output))
    print(f"wrote {args.output} ({len(table)} rows)", file=sys.stderr)
    return 0


def _outputs(args: argparse.Namespace) -> int:
    from sinoiran.base.paths import PROJECT_ROOT
    from sinoiran.make.execute import store_outputs

    times = store_outputs(PROJECT_ROOT, jobs=args.jobs)
    print(f"stored outputs of {len(times)} chapter(s)", file=sys.stderr)
    return 0


def _book(args: argparse.Namespace) -> int:
    from sinoiran.make import book

    counts = book.build_book(jobs=args.jobs, execute_only=args.execute_only)
    print(book.report(counts), file=sys.stderr)
    return 0


def _empty_panel_reason(args: argparse.Namespace, data, recipients, suppliers) -> str:
    """Why the panel's table for these filters has no row, in one line, with what would give rows."""
    asked = []
    if recipients:
        asked.append(f"--recipients {', '.join(recipients)}")
    if suppliers:
        asked.append(f"--suppliers {', '.join(suppliers)}")
    line = f"panel [{args.table}]: no rows for {' and '.join(asked) or 'the releases chosen'}"
    if recipients:
        rows = data.deliveries
        rows = rows[rows["recipient"].isin(recipients) & (rows["tiv"] > 0)]
        held = rows.groupby("supplier")["tiv"].sum().sort_values(ascending=False)
        if held.empty:
            return line + "; the releases chosen hold no deliveries to them"
        line += f"; their suppliers held: {', '.join(held.index[:6])} (in releases {', '.join(sorted(set(rows['release'])))})"
        if args.table == "changes" and not suppliers:
            line += "; the changes table takes each release's major suppliers unless --suppliers names others"
    return line


def _panel_recipients(args: argparse.Namespace, data, where: str) -> list[str]:
    """The recipients asked for with --recipients, resolved among those the panel keeps; one of the kinds kept
    apart (non-state actors, organisations, unknown) is named as such, never an empty table."""
    from sinoiran.base.names import actor_kind, resolve, resolve_all

    typed = _names(args.recipients) or []
    try:
        return resolve_all(typed, data.kept_recipients, what="recipient", where=where)
    except UsageError as err:
        apart = sorted(set(data.kept_apart["recipient"])) if len(data.kept_apart) else []
        for name in typed:
            try:
                found = resolve(name, apart, what="recipient")
            except UsageError:
                continue
            raise UsageError(
                f"--recipients: {found} ({actor_kind(found)}) is kept apart from the panel of states; "
                "add --all-recipients to include it"
            ) from None
        raise err from None


def _pdf(args: argparse.Namespace) -> int:
    from sinoiran.make import pdf

    path = pdf.build_pdf()
    print(f"The PDF of the book is at {path} (and beside the HTML, {pdf.PDF_NAME})")
    return 0


def _report(args: argparse.Namespace) -> int:
    from sinoiran.make import report

    notebook = Path(args.notebook)
    if not notebook.is_file():
        raise InputError(notebook, "not found: give an executed notebook, or a chapter and its parameters (-p)")
    if args.parameter:
        parameters = {name: report.parameter_value(value) for name, value in args.parameter}
        label = "-".join(str(v) for v in parameters.values()).replace(" ", "").replace(",", "+")
        executed = Path(args.executed or Path("_build") / "runs" / f"{notebook.stem}-{label}.ipynb")
        try:
            report.run_chapter(notebook, executed, parameters)
        except report.RunError as err:  # the chapter's own one-line message, without papermill's traceback
            raise InputError(notebook, f"stopped: {err}") from None
        notebook = executed
    page = report.render(notebook, Path(args.output) if args.output else None)
    print(f"The report of {notebook} is at {page}")
    if args.pdf:
        from sinoiran.make import pdf

        printed = pdf.print_to_pdf(page, page.with_suffix(".pdf"))
        print(f"and printed at {printed}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    top = argparse.ArgumentParser(prog="python -m sinoiran", description=__doc__.split("\n")[0])
    commands = top.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest",
        usage="python -m sinoiran ingest [KIND] FILE --output OUT.csv [options]",
        help="turn a raw export into a tidy CSV (the format is detected from the file, or named first)",
        description="python -m sinoiran ingest [KIND] FILE --output OUT.csv; KIND is one of the formats of "
        "sinoiran.readers.formats and is detected from the file's own header when left out.",
    )
    ingest.add_argument(
        "target", nargs="+", metavar="[KIND] FILE", help="one export file, optionally after its kind (one file a run)"
    )
    ingest.add_argument(
        "--vintage",
        "--release",
        dest="vintage",
        help="label for the SIPRI release (default: suggested from the file's date and last year with data)",
    )
    ingest.add_argument("--output", required=True, help="tidy CSV to write")
    ingest.add_argument("--totals", help="TIV tables: also write SIPRI's Total rows to this CSV")
    ingest.add_argument(
        "--deliveries", help="transfers exports: also write one row per delivery, with SIPRI's estimate flags"
    )
    ingest.add_argument(
        "--recipients",
        help="keep only these recipients (comma-separated; 'USA', 'Turkiye', 'UAE' work); a register's other rows are "
        "not read",
    )
    ingest.add_argument("--suppliers", help="keep only these suppliers (comma-separated)")
    ingest.set_defaults(func=_ingest)

    data = commands.add_parser("data", help="build or check the tables in data/")
    actions = data.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="rebuild data/ from the raw exports")
    build.add_argument("--sources", help=f"folder of raw exports (default: {DEFAULT_SOURCES})")
    build.add_argument("--output", help="folder to write (default: the project's data/)")
    build.set_defaults(func=_data_build)
    add = actions.add_parser(
        "add",
        help="add a SIPRI export you downloaded to data/ (kept in data/added/, merged all or nothing; "
        "works in a plain clone)",
    )
    add.add_argument("file", help="the export (a SIPRI TIV table, transfers export or register)")
    add.add_argument(
        "--vintage",
        "--release",
        dest="vintage",
        help="the SIPRI release it belongs to (default: read from the file's date and last year with data)",
    )
    add.add_argument(
        "--accept-label", action="store_true", help="keep a --vintage label that contradicts what the file says"
    )
    add.add_argument("--output", help="data folder to add to (default: the project's data/)")
    add.add_argument(
        "--recipients", help="keep only these recipients' rows (comma-separated; 'USA', 'Turkiye', 'UAE' work)"
    )
    add.add_argument("--suppliers", help="keep only these suppliers' rows (comma-separated)")
    add.set_defaults(func=_data_add)
    check = actions.add_parser("check", help="verify every table's checksum and schema")
    check.add_argument("--data", help="data folder (default: the project's data/)")
    check.set_defaults(func=_data_check)
    ledger = commands.add_parser("claims", help="print the claims ledger: every claim recomputed, with a verdict")
    ledger.add_argument(
        "--vintage", default="all", help="a vintage label, or 'all' (default): one row per claim and vintage"
    )
    ledger.add_argument("--format", choices=["csv", "table", "json"], default="table")
    ledger.set_defaults(func=_claims)
    every = commands.add_parser(
        "panel",
        help="every recipient at once: shares, blocks, HHI, leaders and changes between two windows (CSV)",
        description="python -m sinoiran panel --output OUT.csv: the panel of every recipient of every release held "
        "(or of an all-pairs export added with `data add`). Tables: "
        + "; ".join(f"{k}: {v}" for k, v in PANEL_TABLES.items())
        + ". Shares only where a release holds every supplier of the recipient; non-state recipients are kept apart.",
    )
    every.add_argument("--output", required=True, help="file to write: .csv (.parquet needs pyarrow, not in the lock)")
    every.add_argument(
        "--table", choices=list(PANEL_TABLES), default="changes", help="what to write (default: changes)"
    )
    every.add_argument(
        "--release", "--vintage", dest="release", default="all", help="release label(s), comma-separated, or 'all'"
    )
    every.add_argument(
        "--suppliers",
        help="suppliers (comma-separated; 'USA', 'PRC', 'Russian Federation' work); default for changes: the five "
        "largest over the windows, plus Russia and China",
    )
    every.add_argument("--recipients", help="keep only these recipients' rows (comma-separated)")
    every.add_argument(
        "--windows",
        default="2005-2007:2008-2011",
        help="the two windows compared, FIRST-LAST:FIRST-LAST (default: the paper's)",
    )
    every.add_argument(
        "--merge-predecessors", action="store_true", help="count the Soviet Union as Russia and West Germany as Germany"
    )
    every.add_argument(
        "--all-recipients", action="store_true", help="keep non-state, organisation and unknown recipients in the panel"
    )
    every.set_defaults(func=_panel)
    grid = commands.add_parser("sensitivity", help="rerun the trends chapter over vintages x break years x windows")
    grid.add_argument("--jobs", type=int, default=None, help="parallel runs (default: number of cores)")
    grid.add_argument("--output", default="results/sensitivity.csv", help="results table to write")
    grid.add_argument("--runs-dir", default="_build/sensitivity", help="where the executed notebooks go")
    grid.set_defaults(func=_sensitivity)
    outputs = commands.add_parser("outputs", help="re-execute every chapter and store its outputs (parallel)")
    outputs.add_argument("--jobs", type=int, default=None)
    outputs.set_defaults(func=_outputs)
    book = commands.add_parser(
        "book", help="execute stale chapters into the keyed cache, then build the HTML re-reading what changed"
    )
    book.add_argument("--jobs", type=int, default=None)
    book.add_argument(
        "--execute-only", action="store_true", help="execute the stale chapters into the cache, build no HTML"
    )
    book.set_defaults(func=_book)
    whole = commands.add_parser("pdf", help="build the book, then print all of it as one PDF (Debian's Chromium)")
    whole.set_defaults(func=_pdf)
    rerun = commands.add_parser(
        "report",
        help="one HTML page of a chapter run by papermill, its glued numbers and sentences in place",
        description="Render an executed notebook (papermill's output) as one HTML page with its glue resolved; "
        "with -p, first run the chapter NOTEBOOK with those parameters (as papermill -p would).",
    )
    rerun.add_argument("notebook", help="an executed notebook, or a chapter to run first (with -p)")
    rerun.add_argument(
        "-p", "--parameter", nargs=2, action="append", metavar=("NAME", "VALUE"), help="a parameter of the run"
    )
    rerun.add_argument("--output", help="the HTML page to write (default: beside the executed notebook)")
    rerun.add_argument("--executed", help="with -p: where the executed notebook goes (default: under _build/runs/)")
    rerun.add_argument("--pdf", action="store_true", help="also print the page to PDF (Debian's Chromium)")
    rerun.set_defaults(func=_report)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (InputError, UsageError) as err:  # bad input or a bad argument: one line, no traceback
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
