"""Command line: ``python -m sinoiran ...``.

    python -m sinoiran ingest [KIND] FILE [--vintage LABEL] --output OUT.csv [--totals T.csv] [--deliveries D.csv]
    python -m sinoiran data build [--sources DIR] [--output DIR]
    python -m sinoiran data add FILE --vintage LABEL [--recipients A,B] [--sources DIR]
    python -m sinoiran data check [--data DIR]
    python -m sinoiran claims [--vintage LABEL|all] [--format csv|table|json]
    python -m sinoiran sensitivity [--jobs N] [--output results/sensitivity.csv]
    python -m sinoiran outputs [--jobs N]      (make outputs)
    python -m sinoiran book [--jobs N]         (make book)
    python -m sinoiran pdf                     (make pdf)
    python -m sinoiran report NOTEBOOK [-p NAME VALUE ...] [--output PAGE.html] [--pdf]   (make report)

Bad input ends with exit status 2 and one line naming file, column and row.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sinoiran.base.errors import InputError

DEFAULT_SOURCES = Path("..") / "shared" / "sources"


#: The export formats ``ingest`` reads (see :mod:`sinoiran.readers.detect`).
INGEST_KINDS = ("sipri-tiv", "sipri-register", "sipri-transfers", "mirror-json", "imf-dots")


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


def _ingest(args: argparse.Namespace) -> int:
    from sinoiran.readers import detect

    if len(args.target) == 2:
        kind, file = args.target
        if kind not in INGEST_KINDS:
            raise InputError(Path(kind), f"unknown export kind; choose one of {', '.join(INGEST_KINDS)}")
    elif len(args.target) == 1:
        file = args.target[0]
        kind = detect.detect(file).format
    else:
        raise InputError(
            Path(args.target[-1]), "give a file, or a kind and a file (python -m sinoiran ingest [KIND] FILE)"
        )
    output = _output_path(args.output)
    assert output is not None  # --output is required by the parser
    totals = _output_path(args.totals, "--totals")
    deliveries = _output_path(args.deliveries, "--deliveries")
    handler = {
        "sipri-tiv": _ingest_tiv,
        "sipri-register": _ingest_register,
        "sipri-transfers": _ingest_transfers,
        "mirror-json": _ingest_mirror,
        "imf-dots": _ingest_dots,
    }[kind]
    handler(Path(file), args.vintage, output, totals=totals, deliveries=deliveries, recipients=args.recipients)
    return 0


def _ingest_tiv(file: Path, vintage: str | None, output: Path, **extra: object) -> None:
    import pandas as pd

    from sinoiran.readers import sipri_tiv

    tables = sipri_tiv.read_tiv_tables(file)
    tidy = sipri_tiv.tidy_all(tables, vintage)
    _write(tidy, output)
    if extra.get("totals"):
        totals = pd.concat([t.totals for t in tables], ignore_index=True)
        totals.insert(0, "vintage", vintage or tables[0].default_vintage)
        _write(totals, extra["totals"])  # type: ignore[arg-type]
    described = "; ".join(f"{t.orientation} table for {t.country}, generated {t.generated:%d %b %Y}" for t in tables)
    print(
        f"{file}: {described}; {len(tidy)} delivered cells ({int((tidy['tiv'] == 0).sum())} below 0.5 million TIV)"
        f" -> {output}",
        file=sys.stderr,
    )


def _ingest_register(file: Path, vintage: str | None, output: Path, **extra: object) -> None:
    from sinoiran.readers import registers
    from sinoiran.readers.sipri_tiv import parse_generated, read_csv_rows

    if vintage is None:
        rows, _ = read_csv_rows(file)
        generated = parse_generated("\n".join(",".join(r) for r in rows[:30]))
        if generated is None:
            raise InputError(file, "the register prints no generation date: pass --vintage LABEL (the release year)")
        vintage = str(generated.year)
    keep = extra.get("recipients")
    wanted = frozenset(n.strip() for n in str(keep).split(",") if n.strip()) if keep else None
    register = registers.read_register(file, vintage, recipients=wanted)
    _write(register.deals, output)
    print(
        f"{file}: trade register ({register.layout} layout), {len(register.deals)} deals -> {output}", file=sys.stderr
    )


def _ingest_transfers(file: Path, vintage: str | None, output: Path, **extra: object) -> None:
    from sinoiran.readers import transfers

    parsed = transfers.read_transfers(file)
    tidy = transfers.tidy(parsed, vintage)
    _write(tidy, output)
    if extra.get("deliveries"):
        _write(parsed.deliveries, extra["deliveries"])  # type: ignore[arg-type]
    estimated = int(transfers.any_estimate(parsed.deliveries).sum())
    print(
        f"{file}: transfers export ({parsed.scope}), generated {parsed.generated:%d %b %Y}; "
        f"{len(parsed.deliveries)} deliveries ({estimated} with an estimate flag) in {len(tidy)} supplier-recipient-year"
        f" cells; {parsed.undelivered} orders without a delivery left out -> {output}",
        file=sys.stderr,
    )


def _ingest_mirror(file: Path, vintage: str | None, output: Path, **extra: object) -> None:
    from sinoiran.readers import mirror

    items = mirror.read_mirror(file)
    tidy = mirror.yearly_tiv(items, vintage or "mirror")
    _write(tidy, output)
    print(f"{file}: derived per-delivery mirror (not a SIPRI export); {len(tidy)} cells -> {output}", file=sys.stderr)


def _ingest_dots(file: Path, vintage: str | None, output: Path, **extra: object) -> None:
    from sinoiran.readers import imf

    trade = imf.read_dots_workbook(file)
    _write(trade, output)
    print(f"{file}: IMF DOTS workbook; {len(trade)} values (US$ million) -> {output}", file=sys.stderr)


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
    from sinoiran.base.paths import PROJECT_ROOT, data_dir
    from sinoiran.data.build import add_export

    sources = Path(args.sources) if args.sources else PROJECT_ROOT / DEFAULT_SOURCES
    output = Path(args.output) if args.output else data_dir()

    def names(value: str | None) -> list[str] | None:
        return [n.strip() for n in value.split(",") if n.strip()] if value else None

    for line in add_export(
        args.file,
        args.vintage,
        sources_dir=sources,
        out_dir=output,
        recipients=names(args.recipients),
        suppliers=names(args.suppliers),
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


def _sensitivity(args: argparse.Namespace) -> int:
    from sinoiran.book import sensitivity
    from sinoiran.data import tables
    from sinoiran.data.build import write_csv

    tiv = tables.tiv_deliveries()
    grid = sensitivity.parameter_grid()
    runnable, skipped = sensitivity.plan(grid, tiv, tables.complete_recipients())
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
    from sinoiran.book import runner

    times = runner.store_outputs(jobs=args.jobs)
    print(f"stored outputs of {len(times)} chapter(s)", file=sys.stderr)
    return 0


def _book(args: argparse.Namespace) -> int:
    from sinoiran.book import runner

    counts = runner.build_book(jobs=args.jobs)
    print(runner.report(counts), file=sys.stderr)
    return 0


def _pdf(args: argparse.Namespace) -> int:
    from sinoiran.book import pdf

    path = pdf.build_pdf()
    print(f"The PDF of the book is at {path} (and beside the HTML, {pdf.PDF_NAME})")
    return 0


def _report(args: argparse.Namespace) -> int:
    from sinoiran.book import report

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
        from sinoiran.book import pdf

        printed = pdf.print_to_pdf(page, page.with_suffix(".pdf"))
        print(f"and printed at {printed}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation)."""
    top = argparse.ArgumentParser(prog="python -m sinoiran", description=__doc__.split("\n")[0])
    commands = top.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest",
        help="turn a raw export into a tidy CSV (the format is detected from the file, or named first)",
        description="python -m sinoiran ingest [KIND] FILE --output OUT.csv; KIND is one of "
        + ", ".join(INGEST_KINDS)
        + " and is detected from the file's own header when left out.",
    )
    ingest.add_argument("target", nargs="+", metavar="[KIND] FILE", help="the export file, optionally after its kind")
    ingest.add_argument("--vintage", help="label for the release (default: the year the export was generated)")
    ingest.add_argument("--output", required=True, help="tidy CSV to write")
    ingest.add_argument("--totals", help="TIV tables: also write SIPRI's Total rows to this CSV")
    ingest.add_argument(
        "--deliveries", help="transfers exports: also write one row per delivery, with SIPRI's estimate flags"
    )
    ingest.add_argument(
        "--recipients", help="registers: keep only these recipients' deals (comma-separated); other rows are not read"
    )
    ingest.set_defaults(func=_ingest)

    data = commands.add_parser("data", help="build or check the tables in data/")
    actions = data.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="rebuild data/ from the raw exports")
    build.add_argument("--sources", help=f"folder of raw exports (default: {DEFAULT_SOURCES})")
    build.add_argument("--output", help="folder to write (default: the project's data/)")
    build.set_defaults(func=_data_build)
    add = actions.add_parser(
        "add", help="register a raw export in data/sources.toml and rebuild data/ (all or nothing)"
    )
    add.add_argument("file", help="the export (a SIPRI TIV table, transfers export or register)")
    add.add_argument("--vintage", required=True, help="the release it belongs to, e.g. 2025 (a new label is added)")
    add.add_argument("--sources", help=f"folder of raw exports (default: {DEFAULT_SOURCES}); the file is copied there")
    add.add_argument("--output", help="data folder to rebuild (default: the project's data/)")
    add.add_argument("--recipients", help="keep only these recipients' rows (comma-separated); needed for transfers")
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
    grid = commands.add_parser("sensitivity", help="rerun the trends chapter over vintages x break years x windows")
    grid.add_argument("--jobs", type=int, default=None, help="parallel runs (default: number of cores)")
    grid.add_argument("--output", default="results/sensitivity.csv", help="results table to write")
    grid.add_argument("--runs-dir", default="_build/sensitivity", help="where the executed notebooks go")
    grid.set_defaults(func=_sensitivity)
    outputs = commands.add_parser("outputs", help="re-execute every chapter and store its outputs (parallel)")
    outputs.add_argument("--jobs", type=int, default=None)
    outputs.set_defaults(func=_outputs)
    book = commands.add_parser("book", help="execute stale chapters into the data/src-keyed cache, then build the HTML")
    book.add_argument("--jobs", type=int, default=None)
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
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ValueError as err:  # unknown vintage and other argument-level errors
        print(f"error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error of ours
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
