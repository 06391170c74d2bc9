"""Every notebook runs in a real JupyterLab in Chromium, and its explorers work and read well.

For each notebook: open it in a 1366x768 window, run all cells, check that no cell failed
(except cells tagged ``raises-exception``), that every widget rendered, and that the browser
logged no errors. Every figure and explorer picture is checked by ``figure_checks.check_figures``:
at most 720 x 520 px, whole on the screen when scrolled to, shown at its own size (not shrunk).
Every explorer (``.lrutils-explorer``) is then checked by
``explorer_checks.check_explorers``: layout and font size at 1366x768 and 900x900, the printed
torch code against the sliders' readouts after keyboard and mouse moves, screenshots.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import served_path
from .explorer_checks import EXPLORER, check_explorers, explorer_count
from .figure_checks import check_figures
from .lab_server import LabServer
from .page_helpers import ConsoleErrors

pytestmark = pytest.mark.browser

KERNEL_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 150_000
WIDGET_TIMEOUT_MS = 20_000


# JavaScript run in the page. `window.jupyterapp` exists thanks to
# --LabApp.expose_app_in_browser=True.
JS_KERNEL_STATUS = """(path) => {
    const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
    if (!w || !w.context || w.context.path !== path || !w.sessionContext) return null;
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    return kernel ? kernel.status : null;
}"""

# Start "Run All" without awaiting it in evaluate() (which has no timeout);
# its promise resolves once every cell has replied, then we poll the flag.
JS_RUN_ALL = """() => {
    window.__lrutilsRunAll = null;
    window.jupyterapp.commands.execute('notebook:run-all-cells').then(
        () => { window.__lrutilsRunAll = 'done'; },
        (err) => { window.__lrutilsRunAll = 'failed: ' + err; });
}"""

JS_ALL_EXECUTED = """(path) => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return false;
    const code = panel.content.widgets.filter((cell) => cell.model.type === 'code');
    // An error in an untagged cell makes the kernel abort the queue: nothing more will run.
    const unexpectedError = code.some((cell) =>
        !(cell.model.getMetadata('tags') || []).includes('raises-exception')
        && cell.model.outputs.toJSON().some((o) => o.output_type === 'error'));
    return unexpectedError || code.every(
        (cell) => !cell.model.sharedModel.getSource().trim() || cell.model.executionCount !== null);
}"""

# Per cell, from the notebook model (errors, execution count, widget-view
# outputs) and from the cell's DOM (rendered widget roots, widget errors). Error
# outputs render with the stderr mime type, so the model is what tells them apart.
JS_CELL_STATES = """(path) => {
    const panel = window.jupyterapp.shell.currentWidget;
    if (!panel || !panel.context || panel.context.path !== path) return null;
    const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';
    return panel.content.widgets.map((cell) => {
        const model = cell.model;
        const code = model.type === 'code';
        const outputs = code ? model.outputs.toJSON() : [];
        const prompt = cell.node.querySelector('.jp-InputArea-prompt');
        return {
            code: code,
            executionCount: code ? model.executionCount : null,
            prompt: prompt ? prompt.textContent.trim() : '',
            errors: outputs.filter((o) => o.output_type === 'error').map((o) => o.ename + ': ' + o.evalue),
            widgetOutputs: outputs.filter((o) => o.data && o.data[WIDGET_MIME] !== undefined).length,
            renderedWidgets: cell.node.querySelectorAll('.jp-OutputArea-output > .jupyter-widgets').length,
            failedWidgets: Array.from(cell.node.querySelectorAll('.jp-OutputArea-output'))
                .filter((o) => o.textContent.includes('Error displaying widget'))
                .map((o) => o.textContent.slice(0, 300)),
        };
    });
}"""


# How many outputs are plain images (a matplotlib figure; an explorer shows its widget instead).
JS_PNG_OUTPUTS = """(path) => {
    const panel = window.jupyterapp.shell.currentWidget;
    const WIDGET_MIME = 'application/vnd.jupyter.widget-view+json';
    return panel.content.widgets.filter((cell) => cell.model.type === 'code')
        .flatMap((cell) => cell.model.outputs.toJSON())
        .filter((o) => o.data && o.data['image/png'] !== undefined && o.data[WIDGET_MIME] === undefined).length;
}"""


def _cell_tags(notebook_path: Path) -> list[list[str]]:
    """Tags of every cell, in notebook order, read from the .ipynb JSON."""
    data = json.loads(notebook_path.read_text())
    return [list(cell.get("metadata", {}).get("tags", [])) for cell in data["cells"]]


def _code_sources(notebook_path: Path) -> list[str]:
    """Source of every code cell."""
    data = json.loads(notebook_path.read_text())
    out = []
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            src = cell["source"]
            out.append("".join(src) if isinstance(src, list) else src)
    return out


def _wait_kernel_idle(page: Any, name: str, timeout_ms: int = KERNEL_TIMEOUT_MS) -> None:
    page.wait_for_function(f"({JS_KERNEL_STATUS})({json.dumps(name)}) === 'idle'", timeout=timeout_ms, polling=100)


def test_notebook_runs_and_sliders_work(
    notebook_path: Path,
    lab_server: LabServer,
    lab_page: tuple[Any, ConsoleErrors],
    screenshot_dir: Path,
) -> None:
    """Run all cells in JupyterLab; no errors, widgets render, explorer sliders redraw the plot."""
    page, console = lab_page
    name = served_path(notebook_path)  # "ko/00_x.ipynb" for the Korean edition
    tags = _cell_tags(notebook_path)

    page.goto(lab_server.lab_url(name), wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started", timeout=KERNEL_TIMEOUT_MS)
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
        arg=len(tags),
        timeout=KERNEL_TIMEOUT_MS,
    )
    _wait_kernel_idle(page, name)

    page.evaluate(JS_RUN_ALL)
    page.wait_for_function("() => window.__lrutilsRunAll !== null", timeout=RUN_ALL_TIMEOUT_MS, polling=200)
    run_all = page.evaluate("() => window.__lrutilsRunAll")
    assert run_all == "done", f"Run All did not complete: {run_all}"
    # Run All's promise settles as soon as any cell replies with an error, even a cell tagged
    # raises-exception, and JupyterLab then shows '[ ]' for the cells still queued in the kernel,
    # which goes on running them (stop_on_error is off for tagged cells). So neither the promise,
    # nor the prompts, nor one idle status mean "finished": wait until every code cell has an
    # execution count. A timeout is not fatal here; the check below names the cells that never ran.
    try:
        page.wait_for_function(JS_ALL_EXECUTED, arg=name, timeout=RUN_ALL_TIMEOUT_MS, polling=200)
    except PlaywrightTimeoutError:
        pass
    _wait_kernel_idle(page, name, RUN_ALL_TIMEOUT_MS)

    cells = page.evaluate(JS_CELL_STATES, name)
    assert cells is not None, f"{name} is not the current JupyterLab widget"
    assert len(cells) == len(tags), "JupyterLab cells do not match the .ipynb cells"
    problems = []
    for index, (cell, cell_tags) in enumerate(zip(cells, tags, strict=True)):
        if not cell["code"]:
            continue
        if cell["errors"] and "raises-exception" not in cell_tags:
            problems.append(f"cell {index} raised {cell['errors']}")
        if cell["executionCount"] is None or not re.fullmatch(r"\[\d+\]:", cell["prompt"]):
            problems.append(f"cell {index} did not run (prompt {cell['prompt']!r})")
    assert not problems, "\n".join(problems)

    # Widgets: every widget-view output must render a widget root, none may fail.
    page.wait_for_function(
        f"(path) => {{ const cells = ({JS_CELL_STATES})(path); return cells !== null && cells.every("
        "(c) => c.renderedWidgets + c.failedWidgets.length >= c.widgetOutputs); }",
        arg=name,
        timeout=WIDGET_TIMEOUT_MS,
        polling=100,
    )
    cells = page.evaluate(JS_CELL_STATES, name)
    failed = [f"cell {i}: {text}" for i, cell in enumerate(cells) for text in cell["failedWidgets"]]
    assert not failed, "widgets failed to render:\n" + "\n".join(failed)
    n_outputs = sum(cell["widgetOutputs"] for cell in cells)
    n_rendered = sum(cell["renderedWidgets"] for cell in cells)
    assert n_rendered >= n_outputs, f"only {n_rendered} widget roots rendered for {n_outputs} widget outputs"

    figures = page.evaluate(JS_PNG_OUTPUTS, name)
    checked = check_figures(page, name)
    assert checked >= figures, f"{figures} image/png outputs but only {checked} images shown and checked"

    sessions = sorted(s["path"] for s in lab_server.api("GET", "/api/sessions"))
    assert sessions == [name], f"expected only {name}'s kernel to run, found sessions {sessions}"

    n_explorers = explorer_count(page)
    if any(re.search(r"\bexplore\(", src) for src in _code_sources(notebook_path)):
        assert n_explorers >= 1, f"the notebook calls explore( but no {EXPLORER} is shown"
    shots = name.removesuffix(".ipynb").replace("/", "-")  # ko-00_x: the Korean edition's screenshots apart
    check_explorers(page, lambda: _wait_kernel_idle(page, name), shots, screenshot_dir)

    unexpected = console.unexpected()
    assert not unexpected, "browser console errors:\n" + "\n".join(unexpected)
