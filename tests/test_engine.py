"""The engine (``sinoiran.make``) on a temporary project of two tiny notebooks: keys, the record of what a
chapter read, stale-chapter selection, the cache and its pruning, which pages Sphinx re-reads, and the pool's
retry policy. No kernel starts and Sphinx never runs (both are replaced where a test needs them), so these
run in seconds; the slow tests of ``test_chapters.py`` run the same engine on the book itself."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import nbformat
import pytest

from sinoiran.make import book, cache, execute, keys, pages, project, record, reread, sphinx, warm
from sinoiran.make.kernel import kernel_config, kernel_env, tidy

INDEX = """# A tiny book

The answer is {glue:text}`chapters/first.ipynb::answer:.0f`.

```{glue:figure} chapters/first.ipynb::figure
A figure.
```
"""


def notebook(path: Path, *code: str, prose: str = "# A chapter") -> Path:
    """A notebook of one Markdown cell and the code cells ``code``, with a kernelspec."""
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(prose), *(nbformat.v4.new_code_cell(c) for c in code)]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project with two chapters: ``first`` imports ``sinoiran.tiny.shown``, ``second`` imports nothing of
    the package and glues from ``first``; the landing page glues from ``first`` too."""
    root = tmp_path / "proj"
    (root / "chapters").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "data" / "table.csv").write_text("a,b\n1,2\n")
    (root / "data" / "other.csv").write_text("c\n3\n")
    (root / "data" / "package.json").write_text(json.dumps({"coverage": [1], "hashes": ["x"]}))
    package = root / "src" / "sinoiran" / "tiny"
    package.mkdir(parents=True)
    (root / "src" / "sinoiran" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "shown.py").write_text("from sinoiran.tiny import helper\n\ndef f():\n    return helper.g()\n")
    (package / "helper.py").write_text("def g():\n    import json\n    return 1\n")
    (package / "unused.py").write_text("X = 1\n")
    (root / "requirements.txt").write_text("pandas==3.1.1\n")
    (root / "_config.yml").write_text("title: tiny\nexecute:\n  execute_notebooks: cache\n  timeout: 42\n")
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: Chapters\n    chapters:\n"
        "      - file: chapters/first\n      - file: chapters/second\n      - file: glossary\n"
    )
    (root / "index.md").write_text(INDEX)
    (root / "glossary.md").write_text("# Glossary\n")
    notebook(root / "chapters" / "first.ipynb", "from sinoiran.tiny.shown import f\nf()", "%matplotlib inline")
    notebook(
        root / "chapters" / "second.ipynb",
        "1 + 1",
        prose="# Second\n\nFrom the first: {glue}`first.ipynb::answer`.",
    )
    return root


def chapter(root: Path, name: str) -> Path:
    return root / "chapters" / f"{name}.ipynb"


# --- what the book is made of -------------------------------------------------------------------


def test_pages_and_chapters_follow_the_toc(tiny):
    assert list(project.pages(tiny)) == ["index", "chapters/first", "chapters/second", "glossary"]
    assert project.chapters(tiny) == [chapter(tiny, "first"), chapter(tiny, "second")]
    assert project.docname(tiny, chapter(tiny, "second")) == "chapters/second"
    assert "index.md" in project.book_sources(tiny) and "chapters/first.ipynb" in project.book_sources(tiny)
    assert project.execution_timeout(tiny) == 42
    assert project.source_commit(tiny) == "unknown (not a git checkout)"


def test_the_commit_says_when_the_tree_differs_from_it(tiny):
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tiny, capture_output=True, text=True, check=True).stdout.strip()

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "tiny")
    commit = git("rev-parse", "HEAD")
    assert project.source_commit(tiny) == commit
    (tiny / "glossary.md").write_text("# Glossary, changed\n")
    assert project.source_commit(tiny) == f"{commit} + uncommitted changes"


def test_kernels_talk_over_local_sockets_with_a_fixed_hash_seed(monkeypatch):
    one, other = kernel_config(), kernel_config()
    assert one.KernelManager.transport == "ipc"
    assert one.KernelManager.ip != other.KernelManager.ip  # sockets of its own for each kernel
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    assert kernel_env()["PYTHONHASHSEED"] == "0"


def test_an_executed_notebook_is_stored_the_same_however_the_kernel_flushed():
    out = nbformat.v4.new_output
    outputs = [
        out("stream", name="stdout", text="2022 vintage: 795\n"),
        out("stream", name="stdout", text="verdict: close\n"),  # flushed apart by a slow step
        out("stream", name="stderr", text="a warning\n"),
        out("display_data", data={"text/plain": "a table"}),
        out("stream", name="stdout", text="after the table\n"),
    ]
    cell = nbformat.v4.new_code_cell("print(...)", metadata={"execution": {"t": "x"}}, outputs=outputs)
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("prose")])
    tidy(nb)
    assert nb.cells[0].metadata == {}
    assert [(o["output_type"], o.get("name"), o.get("text")) for o in nb.cells[0].outputs] == [
        ("stream", "stdout", "2022 vintage: 795\nverdict: close\n"),
        ("stream", "stderr", "a warning\n"),
        ("display_data", None, None),
        ("stream", "stdout", "after the table\n"),
    ]


# --- keys -----------------------------------------------------------------------------------------


def test_imports_are_found_at_any_depth():
    code = "import sinoiran.a\nfrom sinoiran.b import c\ndef f():\n    from sinoiran import d\nimport pandas\n"
    assert keys.package_imports(code) == {"sinoiran.a", "sinoiran.b", "sinoiran.b.c", "sinoiran", "sinoiran.d"}
    assert keys.package_imports("this is not python (") == frozenset()


def test_a_chapter_runs_the_modules_it_imports_and_theirs(tiny):
    modules = {str(p.relative_to(tiny / "src")) for p in keys.chapter_modules(tiny, chapter(tiny, "first"))}
    assert modules == {
        "sinoiran/__init__.py",
        "sinoiran/tiny/__init__.py",
        "sinoiran/tiny/shown.py",
        "sinoiran/tiny/helper.py",
    }
    assert keys.chapter_modules(tiny, chapter(tiny, "second")) == []


def test_the_key_moves_with_what_the_chapter_depends_on_and_nothing_else(tiny):
    first = chapter(tiny, "first")
    read = ["data/table.csv", "data/package.json::coverage"]
    before = keys.chapter_key(tiny, first, read)
    assert keys.chapter_key(tiny, first, read) == before  # stable

    def changed(step) -> bool:
        step()
        return keys.chapter_key(tiny, first, read) != before

    assert not changed(lambda: (tiny / "data" / "other.csv").write_text("c\n4\n"))  # a table it did not read
    assert not changed(lambda: (tiny / "src" / "sinoiran" / "tiny" / "unused.py").write_text("X = 2\n"))
    package = json.loads((tiny / "data" / "package.json").read_text())
    package["hashes"] = ["y"]  # another field of a file of which it read one field
    assert not changed(lambda: (tiny / "data" / "package.json").write_text(json.dumps(package)))
    nb = nbformat.read(first, as_version=4)
    nb.cells[0].source += "\n\nMore prose."
    assert not changed(lambda: nbformat.write(nb, first))  # prose does not run
    assert changed(lambda: (tiny / "src" / "sinoiran" / "tiny" / "helper.py").write_text("def g():\n    return 2\n"))


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "data" / "table.csv").write_text("a,b\n1,3\n"),
        lambda root: (root / "data" / "package.json").write_text(json.dumps({"coverage": [2], "hashes": ["x"]})),
        lambda root: (root / "data" / "new.csv").write_text("d\n"),  # the listing of data/
        lambda root: (root / "requirements.txt").write_text("pandas==3.1.2\n"),
        lambda root: (root / "data" / "table.csv").unlink(),
        lambda root: notebook(chapter(root, "first"), "from sinoiran.tiny.shown import f\nf() + 1"),
    ],
    ids=["table-read", "field-read", "table-added", "lock", "table-removed", "code"],
)
def test_the_key_moves_with_each_input(tiny, change):
    first, read = chapter(tiny, "first"), ["data/table.csv", "data/package.json::coverage"]
    before = keys.chapter_key(tiny, first, read)
    change(tiny)
    assert keys.chapter_key(tiny, first, read) != before


def test_the_inputs_key_covers_data_code_and_lock(tiny):
    before = keys.dependency_key(tiny)
    (tiny / "src" / "sinoiran" / "tiny" / "__pycache__").mkdir()
    (tiny / "src" / "sinoiran" / "tiny" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert keys.dependency_key(tiny) == before  # compiled files are not inputs
    (tiny / "data" / "other.csv").write_text("c\n5\n")
    assert keys.dependency_key(tiny) != before


# --- the record of what a chapter read ---------------------------------------------------------


def test_what_a_chapter_read_is_recorded_relative_to_the_project(tiny):
    absolute = str((tiny / "data" / "table.csv").resolve())
    entry = record.entry(tiny, chapter(tiny, "first"), [absolute, f"{tiny / 'data' / 'package.json'}::coverage"], 1.234)
    assert entry["files_read"] == ["data/package.json::coverage", "data/table.csv"]
    assert entry["seconds"] == 1.23 and entry["key"] == keys.chapter_key(
        tiny, chapter(tiny, "first"), entry["files_read"]
    )
    assert keys.relative(tiny, "/elsewhere/file.csv::f") == "/elsewhere/file.csv::f"  # outside: kept absolute
    assert keys.read_dependency(tiny, "data/gone.csv") == b"<missing>"
    record.save(tiny, {"first.ipynb": entry})
    assert record.load(tiny) == {"first.ipynb": entry}


def test_the_longest_chapter_runs_first_and_unknown_ones_before_it(tiny):
    first, second = chapter(tiny, "first"), chapter(tiny, "second")
    assert record.longest_first([first, second], {"first.ipynb": {"seconds": 1}, "second.ipynb": {"seconds": 5}}) == [
        second,
        first,
    ]
    assert record.longest_first([first, second], {"first.ipynb": {"seconds": 9}}) == [second, first]


# --- the cache and stale chapters --------------------------------------------------------------


def executed(path: Path, value: str = "2"):
    """``path`` as if executed: every code cell shows ``value``."""
    nb = nbformat.read(path, as_version=4)
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), start=1):
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": value}, execution_count=count)]
        cell.execution_count = count
    return nb


def test_a_chapter_is_stale_until_executed_and_again_when_an_input_changes(tiny):
    first, second = chapter(tiny, "first"), chapter(tiny, "second")
    book_cache = cache.open_cache(tiny)
    assert execute.stale_chapters(tiny, book_cache, {}) == {first: "never executed", second: "never executed"}
    deps = {p.name: record.entry(tiny, p, ["data/table.csv"] if p == first else [], 1.0) for p in (first, second)}
    assert execute.stale_chapters(tiny, book_cache, deps) == {
        first: "no cached execution of this code",
        second: "no cached execution of this code",
    }
    for path in (first, second):
        cache.store(book_cache, path, executed(path))
    assert execute.stale_chapters(tiny, book_cache, deps) == {}
    (tiny / "data" / "table.csv").write_text("a,b\n9,9\n")  # read by the first chapter only
    assert execute.stale_chapters(tiny, book_cache, deps) == {first: "an input changed"}


def test_the_cache_serves_the_current_code_and_is_pruned_of_the_rest(tiny):
    first, second = chapter(tiny, "first"), chapter(tiny, "second")
    book_cache = cache.open_cache(tiny)
    cache.store(book_cache, first, executed(first, "old"))
    cache.store(book_cache, first, executed(first, "new"))  # the same code: replaced, not added
    assert len(book_cache.list_cache_records()) == 1
    assert cache.cached_notebook(book_cache, first).cells[0].outputs[0]["data"]["text/plain"] == "new"
    cache.store(book_cache, second, executed(second))
    notebook(first, "from sinoiran.tiny.shown import f\nf() * 2")  # new code: the old execution matches nothing
    assert cache.cached_notebook(book_cache, first) is None
    assert cache.prune(book_cache) == 1
    assert [r.uri for r in book_cache.list_cache_records()] == [str(second)]
    (tiny / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: C\n    chapters:\n      - file: chapters/first\n"
    )
    book_cache = cache.open_cache(tiny)  # the second chapter left the book: out of the project, and pruned
    assert [r.uri for r in book_cache.list_project_records()] == [str(first)]
    assert cache.prune(book_cache) == 1 and book_cache.list_cache_records() == []


class FakePool:
    """``warm.run_many`` without kernels: each chapter "executes" to itself with an output, reading the files
    given for it; a chapter named in ``failing`` raises."""

    def __init__(self, reads: dict[str, list[str]], failing: tuple[str, ...] = ()) -> None:
        self.reads, self.failing, self.calls = reads, failing, []

    def __call__(self, paths, jobs, timeout=600, env=None, cwd=None):
        self.calls.append(([p.name for p in paths], timeout))
        runs = {}
        for path in paths:
            if path.name in self.failing:
                runs[path] = warm.Run(path, error="ValueError: broken")
            else:
                runs[path] = warm.Run(path, executed(path), 0.5, self.reads.get(path.name, []))
        return {"runs": runs, "import_seconds": [1.0]}


def test_executing_the_stale_chapters_caches_and_records_them_and_only_them(tiny, monkeypatch):
    table = str((tiny / "data" / "table.csv").resolve())
    pool = FakePool({"first.ipynb": [table]})
    monkeypatch.setattr(warm, "run_many", pool)
    counts = execute.execute_stale(tiny, jobs=2)
    assert counts["executed"] == 2 and counts["cached"] == 0 and pool.calls[-1][1] == 42  # _config.yml's timeout
    assert record.load(tiny)["first.ipynb"]["files_read"] == ["data/table.csv"]
    assert execute.execute_stale(tiny)["executed"] == 0  # nothing changed: no pool at all
    assert len(pool.calls) == 1
    (tiny / "data" / "table.csv").write_text("a,b\n5,5\n")
    counts = execute.execute_stale(tiny)
    assert counts["executed_chapters"] == ["first.ipynb"] and counts["cached"] == 1


def test_a_failing_chapter_fails_the_build_and_the_others_are_kept(tiny, monkeypatch):
    monkeypatch.setattr(warm, "run_many", FakePool({}, failing=("second.ipynb",)))
    with pytest.raises(RuntimeError, match=r"1 chapter\(s\) failed to execute: second.ipynb: ValueError: broken"):
        execute.execute_stale(tiny)
    assert list(record.load(tiny)) == ["first.ipynb"]
    monkeypatch.setattr(warm, "run_many", FakePool({}))
    assert execute.execute_stale(tiny)["executed_chapters"] == ["second.ipynb"]


def test_make_outputs_writes_the_notebooks_that_ran_and_no_other(tiny, monkeypatch):
    second = chapter(tiny, "second")
    untouched = second.read_text()
    monkeypatch.setattr(warm, "run_many", FakePool({}, failing=("second.ipynb",)))
    with pytest.raises(RuntimeError, match="1 chapter"):
        execute.store_outputs(tiny, jobs=1)
    assert second.read_text() == untouched
    assert nbformat.read(chapter(tiny, "first"), as_version=4).cells[1].outputs[0]["data"]["text/plain"] == "2"


# --- pages: what Sphinx re-reads ------------------------------------------------------------------


def test_the_engine_knows_which_pages_glue_from_which_chapters(tiny):
    assert pages.glue_sources(tiny) == {"index": ["chapters/first"], "chapters/second": ["chapters/first"]}
    assert pages.to_reread(tiny, ["chapters/first"]) == ["chapters/first", "chapters/second", "index"]
    assert pages.to_reread(tiny, ["chapters/second"]) == ["chapters/second"]
    assert pages.to_reread(tiny, []) == []


def test_the_books_landing_page_glues_from_five_chapters():
    from conftest import ROOT

    assert pages.glue_sources(ROOT)["index"] == [
        "chapters/ahmadinejad",
        "chapters/claims_ledger",
        "chapters/conclusion",
        "chapters/sensitivity",
        "chapters/unusual",
    ]


class FakeSphinx:
    """``subprocess.run`` in place of ``jupyter-book build``: records the command and the re-read list (other
    commands, such as git's, run as usual)."""

    run = staticmethod(subprocess.run)

    def __init__(self, returncode: int = 0) -> None:
        self.returncode, self.calls = returncode, []

    def __call__(self, command, cwd, env=None, capture_output=False, text=False, **kwargs):
        if not command[0].endswith("jupyter-book"):
            return self.run(command, cwd=cwd, capture_output=capture_output, text=text, **kwargs)
        self.calls.append({"command": command, "reread": json.loads((Path(cwd) / sphinx.REREAD_FILE).read_text())})
        if self.returncode == 0 and "--builder" in command:
            html = Path(cwd) / "_build" / "html"
            html.mkdir(parents=True, exist_ok=True)
            (html / "index.html").write_text("<html></html>")
        return subprocess.CompletedProcess(command, self.returncode, "out", "err")


def test_sphinx_keeps_the_reread_list_until_a_pass_succeeds(tiny, monkeypatch):
    failing = FakeSphinx(returncode=1)
    monkeypatch.setattr(sphinx.subprocess, "run", failing)
    (tiny / sphinx.DOCTREES).mkdir(parents=True)
    with pytest.raises(RuntimeError, match="the html build failed"):
        sphinx.run_sphinx(tiny, reread=["chapters/first"])
    assert sphinx.pending(tiny) == ["chapters/first"]
    assert not (tiny / sphinx.DOCTREES).exists()  # the next pass reads every page and shows every warning again
    passing = FakeSphinx()
    monkeypatch.setattr(sphinx.subprocess, "run", passing)
    sphinx.run_sphinx(tiny, builder="singlehtml", reread=["index"], everything=True)
    assert passing.calls[0]["reread"] == ["chapters/first", "index"]
    assert passing.calls[0]["command"][-5:] == ["singlehtml", "-W", "-n", "--keep-going", "--all"]
    assert sphinx.pending(tiny) == []


def test_the_sphinx_extension_hands_the_engines_list_to_sphinx(tiny):
    class App:
        srcdir = str(tiny)

        def __init__(self):
            self.connected = []

        def connect(self, event, handler):
            self.connected.append(event)

    app = App()
    assert reread.setup(app)["parallel_read_safe"] and app.connected == ["env-get-outdated"]
    assert reread.named_pages(app, None, set(), set(), set()) == []
    (tiny / sphinx.REREAD_FILE).parent.mkdir(parents=True)
    (tiny / sphinx.REREAD_FILE).write_text('["index"]')
    assert reread.named_pages(app, None, set(), set(), set()) == ["index"]


def test_make_book_re_reads_only_the_executed_chapters_and_the_pages_gluing_from_them(tiny, monkeypatch):
    table = str((tiny / "data" / "table.csv").resolve())
    monkeypatch.setattr(warm, "run_many", FakePool({"first.ipynb": [table]}))
    fake = FakeSphinx()
    monkeypatch.setattr(sphinx.subprocess, "run", fake)
    first = book.build_book(tiny)
    assert first["executed"] == 2 and first["sphinx_all"] is True and "--all" in fake.calls[-1]["command"]
    assert json.loads((tiny / project.EXECUTION_RECORD).read_text())["chapters"]["first.ipynb"]["this_build"]
    assert book.build_book(tiny)["up_to_date"] is True and len(fake.calls) == 1  # no kernel, no Sphinx
    (tiny / "data" / "table.csv").write_text("a,b\n7,7\n")
    again = book.build_book(tiny)
    assert again["executed_chapters"] == ["first.ipynb"]
    assert again["reread"] == ["chapters/first", "chapters/second", "index"] == fake.calls[-1]["reread"]
    assert "--all" not in fake.calls[-1]["command"]
    (tiny / "glossary.md").write_text("# Glossary\n\nA new entry.\n")  # prose: Sphinx sees the change itself
    prose = book.build_book(tiny)
    assert prose["executed"] == 0 and prose["reread"] == []
    assert json.loads((tiny / project.BUILD_RECORD).read_text())["reread"] == []
    assert book.report(prose).startswith("The book is at ") and "no chapter re-executed" in book.report(prose)
    assert "is up to date" in book.report({"up_to_date": True})


def test_execute_only_builds_no_html(tiny, monkeypatch):
    monkeypatch.setattr(warm, "run_many", FakePool({}))
    fake = FakeSphinx()
    monkeypatch.setattr(sphinx.subprocess, "run", fake)
    counts = book.build_book(tiny, execute_only=True)
    assert counts["executed"] == 2 and fake.calls == [] and "no HTML was built" in book.report(counts)


# --- the pool's retry policy, without kernels ----------------------------------------------------


class FlakyKernel:
    """A stand-in for :class:`warm.WarmKernel`: the first ``fail_starts`` kernels fail to start; executing a
    chapter named ``bad.ipynb`` raises as a failing cell does."""

    started = 0
    fail_starts = 0

    def __init__(self, timeout=600, env=None):
        self.import_seconds = 0.1

    async def __aenter__(self):
        FlakyKernel.started += 1
        if FlakyKernel.started <= FlakyKernel.fail_starts:
            raise RuntimeError("Kernel didn't respond in 300 seconds\nmore detail")
        return self

    async def __aexit__(self, *exc):
        return None

    async def execute(self, path, cwd=None):
        from nbclient.exceptions import CellExecutionError

        if path.name == "bad.ipynb":
            raise CellExecutionError(
                "An error occurred while executing the following cell:\n...", "ValueError", "broken\nmore"
            )
        return warm.Run(path, notebook="executed", seconds=0.1)


@pytest.fixture
def flaky(monkeypatch):
    FlakyKernel.started = FlakyKernel.fail_starts = 0
    monkeypatch.setattr(warm, "WarmKernel", FlakyKernel)
    return FlakyKernel


def test_a_chapter_whose_kernel_failed_gets_one_more_kernel(flaky, tmp_path):
    flaky.fail_starts = 1
    paths = [tmp_path / "a.ipynb", tmp_path / "b.ipynb"]
    result = warm.run_many(paths, jobs=1)
    assert all(result["runs"][p].error is None for p in paths) and flaky.started == 2


def test_a_chapter_whose_kernels_keep_failing_is_reported_once(flaky, tmp_path):
    flaky.fail_starts = 99
    path = tmp_path / "a.ipynb"
    result = warm.run_many([path], jobs=2)
    assert result["runs"][path].error == "kernel failed: RuntimeError: Kernel didn't respond in 300 seconds"
    assert flaky.started == warm.ATTEMPTS


def test_a_failing_cell_is_not_retried_and_the_next_chapter_gets_a_new_kernel(flaky, tmp_path):
    bad, good = tmp_path / "bad.ipynb", tmp_path / "good.ipynb"
    result = warm.run_many([bad, good], jobs=1)
    assert result["runs"][bad].error == "ValueError: broken"
    assert result["runs"][good].error is None and flaky.started == 2


def test_warm_kernels_preload_every_module_a_chapter_may_import_and_no_engine_module():
    modules = warm.package_modules()
    assert "sinoiran.book.glue" in modules and "sinoiran.analysis.series" in modules
    assert not [m for m in modules if m.startswith(("sinoiran.make", "sinoiran.cli")) or "sphinx" in m]
    assert asyncio.iscoroutinefunction(warm.WarmKernel.execute)


# --- the sensitivity grid's runner and the PDF's contents, without kernels or a browser -----------


def test_the_grid_skips_what_a_release_cannot_run_and_runs_the_rest_on_the_pool(tmp_path, monkeypatch):
    import pandas as pd

    from sinoiran.data import tables
    from sinoiran.data.vintages import current_coverage
    from sinoiran.make import grid

    tiv = tables.tiv_deliveries()
    combos = grid.parameter_grid(vintages=["2016", "2007"], break_years=(2008,), windows=(1,))
    runnable, skipped = grid.plan(combos, tiv, current_coverage())
    assert [p.vintage for p in runnable] == ["2016"] and list(skipped["vintage"]) == ["2007"]
    assert "vintage 2007 covers 1950-2006 only" in skipped["skipped"].iloc[0]  # with its reason
    assert grid.run_id(runnable[0]) == "2016_b2008_w1_1992-2015"

    def pool(paths, jobs, cwd=None, **kwargs):
        runs = {}
        for path in paths:
            nb = nbformat.read(path, as_version=4)
            record_output = nbformat.v4.new_output(
                "display_data",
                data={
                    "application/papermill.record/text/plain": repr(json.dumps({"vintage": "2016", "slope": 0.1234567}))
                },
                metadata={"scrapbook": {"name": "key_results_json"}},
            )
            code = [cell for cell in nb.cells if cell.cell_type == "code"]
            for cell in code:  # the chapter as a kernel would leave it: this run's record only
                cell.outputs = []
            code[-1].outputs = [record_output]
            runs[path] = warm.Run(path, nb, 0.1)
        return {"runs": runs, "import_seconds": [1.0]}

    monkeypatch.setattr(warm, "run_many", pool)
    results = grid.run_grid(runnable, tmp_path / "runs", jobs=1, progress=False)
    assert results.to_dict("records") == [{"vintage": "2016", "slope": 0.1234567}]
    assert "injected-parameters" in (tmp_path / "runs" / f"{grid.run_id(runnable[0])}.ipynb").read_text()
    table = grid.assemble(
        pd.DataFrame([{**grid._flat(runnable[0]), "denominator": "all suppliers", "slope": 0.1234567}]).drop(
            columns=["skipped"], errors="ignore"
        ),
        skipped,
    )
    assert list(table["vintage"]) == ["2007", "2016"] and table["slope"].iloc[1] == 0.123457  # six digits
    with pytest.raises(RuntimeError, match="no key_results_json"):
        grid.glued_results(notebook(tmp_path / "empty.ipynb", "1"))


def test_the_pdf_numbers_its_contents_from_the_bookmarks(tmp_path):
    from pypdf import PdfWriter

    from sinoiran.base.errors import InputError
    from sinoiran.make import pdf

    from conftest import ROOT

    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    writer.add_outline_item(title="What the replication found", page_number=0)
    writer.add_outline_item(title="Introduction: the paper", page_number=1)
    writer.add_outline_item(title="Introduction: the paper", page_number=2)  # a heading repeated (a glued value in it)
    path = tmp_path / "marks.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    marks = pdf.heading_pages(path.read_bytes())
    assert marks == [("What the replication found", 1), ("Introduction: the paper", 2), ("Introduction: the paper", 3)]
    assert pdf.contents_pages(["What the replication found", "Introduction: the paper"], marks) == {
        "What the replication found": 1,
        "Introduction: the paper": 2,
    }
    with pytest.raises(RuntimeError, match="no bookmark for the chapter 'Glossary'"):
        pdf.contents_pages(["Glossary"], marks)
    front = pdf.front_matter(ROOT)
    assert (
        front["title"].startswith("Iran's arms imports") and front["parts"][0]["chapters"][0] == "chapters/introduction"
    )
    with pytest.raises(InputError, match="chromium"):
        pdf.build_pdf(ROOT, chromium=tmp_path / "no-chromium")


def test_an_execution_without_html_leaves_its_pages_for_the_next_sphinx_pass(tiny, monkeypatch):
    table = str((tiny / "data" / "table.csv").resolve())
    monkeypatch.setattr(warm, "run_many", FakePool({"first.ipynb": [table]}))
    fake = FakeSphinx()
    monkeypatch.setattr(sphinx.subprocess, "run", fake)
    book.build_book(tiny)
    (tiny / "data" / "table.csv").write_text("a,b\n8,8\n")
    assert book.build_book(tiny, execute_only=True)["executed_chapters"] == ["first.ipynb"]
    assert sphinx.pending(tiny) == ["chapters/first", "chapters/second", "index"]
    later = book.build_book(tiny)  # nothing left to execute, but the pages are still re-read
    assert later["executed"] == 0 and fake.calls[-1]["reread"] == ["chapters/first", "chapters/second", "index"]
    assert sphinx.pending(tiny) == []
