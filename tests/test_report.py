"""``python -m sinoiran report``: a papermill run of a chapter as one readable page, its glue resolved."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import nbformat
import pytest

from sinoiran.data.vintages import current_coverage
from sinoiran.make import report

from conftest import ROOT
from workspace import copy_env


def _glued_cell(name: str, value: str, svg: str | None = None):
    data = {f"{report.RECORD}text/plain": repr(value)}
    if svg:
        data[f"{report.RECORD}image/svg+xml"] = svg
    output = nbformat.v4.new_output("display_data", data=data, metadata={"scrapbook": {"name": name}})
    return nbformat.v4.new_code_cell("glue(...)", outputs=[output])


def test_roles_directives_and_links_are_resolved(tmp_path):
    notebook = nbformat.v4.new_notebook()
    svg = '<svg xmlns="http://www.w3.org/2000/svg">\n <title>Lines of shares: China rises.</title></svg>'
    notebook.cells = [
        nbformat.v4.new_markdown_cell(
            "# Trends for {glue:text}`recipient`\n\n(a-target)=\n"
            "China's share rises by {glue:text}`slope:.2f` points a year {cite}`trends-newey1987`; "
            "see the [next chapter](sensitivity) and {term}`TIV`.\n\n"
            "```{glue:figure} fig\n:name: fig-x\n\nShares of {glue:text}`recipient`.\n```\n\n"
            "```{bibliography}\n:filter: docname in docnames\n```"
        ),
        _glued_cell("recipient", "Pakistan"),
        _glued_cell("slope", 1.23456),
        _glued_cell("fig", "<Figure>", svg=svg),
    ]
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, path)
    page = html.unescape(report.render(path).read_text())
    assert "<title>Trends for Pakistan</title>" in page
    assert "China's share rises by 1.23 points a year (Newey and West 1987)" in page
    assert "see the next chapter and TIV." in page
    assert 'alt="Lines of shares: China rises."' in page and "Figure 1. Shares of Pakistan." in page
    assert (
        "Works cited" in page and "{" + "glue" not in page and "{bibliography}" not in page and "a-target" not in page
    )


def test_the_run_shows_its_parameters_not_the_chapters_defaults(tmp_path):
    notebook = nbformat.v4.new_notebook()
    defaults = nbformat.v4.new_code_cell('recipient = "Iran"', metadata={"tags": ["parameters"]})
    injected = nbformat.v4.new_code_cell('recipient = "Pakistan"', metadata={"tags": ["injected-parameters"]})
    notebook.cells = [nbformat.v4.new_markdown_cell("# Trends"), defaults, injected, nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "run.ipynb"
    nbformat.write(notebook, path)
    page = html.unescape(report.render(path).read_text())
    assert page.count('recipient = "Pakistan"') == 1 and 'recipient = "Iran"' not in page
    assert "This run's parameters" in page and "1 + 1" in page
    notebook.cells = [defaults]  # a chapter run without papermill: its parameters are the defaults, shown
    nbformat.write(notebook, path)
    assert 'recipient = "Iran"' in html.unescape(report.render(path).read_text())


def test_a_missing_glue_value_is_shown_as_a_gap_not_hidden():
    assert report.glue_text({}, "overtaking_text") == "[overtaking_text: not computed in this run]"
    assert report.glue_text({"x": {"text/plain": "0.5"}}, "x:.0%") == "50%"
    assert report.glue_text({"x": {"text/plain": "'2016'"}}, "other.ipynb::x") == "2016"


def test_parameters_are_read_as_papermill_reads_them():
    assert report.parameter_value("2016") == 2016 and report.parameter_value("0.5") == 0.5
    assert report.parameter_value("China, Russia") == "China, Russia" and report.parameter_value("True") is True


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sinoiran", "report", *args],
        cwd=tmp_path,
        env=copy_env(ROOT),
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_a_papermill_run_for_pakistan_reads_as_one_page(tmp_path):
    """The trends chapter run for Pakistan by papermill, then rendered: the sentences the chapter generates
    for Pakistan are in the page, every glue role is resolved, the figure is drawn and described."""
    import papermill

    from sinoiran.analysis import trends
    from sinoiran.book import trend_text
    from sinoiran.data import tables
    from sinoiran.data.vintages import VINTAGES
    from sinoiran.make.kernel import kernel_config

    values = {"recipient": "Pakistan", "vintage": "2016", "suppliers": "China, United States", "break_year": 2001}
    executed = tmp_path / "trends-pakistan.ipynb"
    papermill.execute_notebook(
        str(ROOT / "chapters" / "trends.ipynb"),
        str(executed),
        parameters=values,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "chapters"),
        config=kernel_config(),
    )
    result = _run(tmp_path, str(executed), "--output", str(tmp_path / "pakistan.html"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("pakistan.html") and result.stderr == ""
    page = html.unescape((tmp_path / "pakistan.html").read_text())
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    run = trends.run(trends.TrendParameters.from_values(**values), tables.tiv_deliveries(), coverage=current_coverage())
    data_end = VINTAGES[run.parameters.vintage].data_end
    for sentence in [trend_text.observed_sentence(run, data_end), *trend_text.findings(run).values()]:
        assert " ".join(sentence.split()) in text, sentence
    assert "{" + "glue" not in page and "not computed in this run" not in page
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="Shares of Pakistan\'s arms imports', page)


@pytest.mark.slow
def test_a_parameter_that_does_not_fit_is_one_line(tmp_path):
    """One line, exit 2; the failed run leaves no half-executed notebook, and an earlier run at the same path is
    kept."""
    earlier = tmp_path / "runs" / "trends-window-0.ipynb"
    earlier.parent.mkdir()
    earlier.write_text("an earlier good run")
    result = _run(tmp_path, str(ROOT / "chapters" / "trends.ipynb"), "-p", "window", "0", "--executed", str(earlier))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {ROOT / 'chapters' / 'trends.ipynb'}: stopped: ParameterError: "
        "window=0: must be between 1 and the number of years in the period"
    ]
    assert earlier.read_text() == "an earlier good run" and sorted(earlier.parent.iterdir()) == [earlier]


def test_a_misspelt_parameter_name_is_refused_before_the_run(tmp_path):
    """papermill only warns about a parameter the chapter does not take, and runs it with its defaults: a report
    for the wrong country. The report command refuses it in one line, naming the parameters the chapter takes."""
    result = _run(tmp_path, str(ROOT / "chapters" / "own_country.ipynb"), "-p", "recipent", "Pakistan")
    assert result.returncode == 2
    line = result.stderr.strip().splitlines()
    assert len(line) == 1 and "unknown parameter(s) recipent" in line[0] and "recipient" in line[0]
    assert not list(tmp_path.glob("*.html"))
