"""Every notebook runs in a real JupyterLab in Chromium, and its explorer sliders work.

For each notebook: open it, run all cells, check that no cell failed (except
cells tagged ``raises-exception``), that every widget rendered, and that the
browser logged no errors. If it shows an explorer (``.lrutils-explorer``), move a
slider with the keyboard and another with a mouse drag, and check that the plot
image (``img.lrutils-plot``) changes each time.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .lab_server import LabServer
from .page_helpers import ConsoleErrors

pytestmark = pytest.mark.browser

KERNEL_TIMEOUT_MS = 60_000
RUN_ALL_TIMEOUT_MS = 150_000
WIDGET_TIMEOUT_MS = 20_000
IMAGE_CHANGE_TIMEOUT = 15.0
SETTLE_SECONDS = 0.5
KEY_PRESSES = 5
DRAG_FRACTION = 0.4

EXPLORER = ".lrutils-explorer"
PLOT = "img.lrutils-plot"
SLIDER_HANDLE = ".widget-slider .noUi-handle"

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

JS_IMAGE_DIGEST = """async (img) => {
    if (!img.src || !img.complete || img.naturalWidth === 0) return null;
    let buf;
    try {
        buf = await (await fetch(img.src)).arrayBuffer();
    } catch (e) {
        return null;  // the blob URL was just revoked by a newer update: retry
    }
    const bytes = new Uint8Array(buf);
    const png = bytes.length > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
    const hex = Array.from(digest).map((b) => b.toString(16).padStart(2, '0')).join('');
    return {digest: hex, size: bytes.length, png: png};
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


def _image_digest(page: Any, timeout: float = IMAGE_CHANGE_TIMEOUT) -> dict[str, Any]:
    """SHA-256 and size of the bytes shown by the explorer's plot image."""
    deadline = time.monotonic() + timeout
    while True:
        result = page.locator(EXPLORER).first.locator(PLOT).first.evaluate(JS_IMAGE_DIGEST)
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{PLOT} shows no loadable image")
        time.sleep(0.05)


def _settle(page: Any, name: str) -> dict[str, Any]:
    """Wait until the kernel is idle and the plot bytes stop changing; return them."""
    _wait_kernel_idle(page, name)
    last = _image_digest(page)
    stable_since = time.monotonic()
    deadline = stable_since + IMAGE_CHANGE_TIMEOUT
    while time.monotonic() - stable_since < SETTLE_SECONDS:
        if time.monotonic() > deadline:
            raise AssertionError("the plot image never stopped changing")
        time.sleep(0.1)
        current = _image_digest(page)
        if current["digest"] != last["digest"]:
            last, stable_since = current, time.monotonic()
    return last


def _wait_image_change(page: Any, before: dict[str, Any], what: str) -> dict[str, Any]:
    """Poll until the plot bytes differ from ``before``."""
    deadline = time.monotonic() + IMAGE_CHANGE_TIMEOUT
    while time.monotonic() < deadline:
        current = _image_digest(page)
        if current["digest"] != before["digest"]:
            return current
        time.sleep(0.05)
    raise AssertionError(
        f"the plot image ({PLOT}) did not change within {IMAGE_CHANGE_TIMEOUT}s after {what}: "
        "does the explorer's slider observer redraw image.value?"
    )


def _readout(handle: Any) -> str:
    """The slider's value as shown: the handle's aria-valuenow (set by noUiSlider) and the readout text."""
    return str(
        handle.evaluate(
            "(h) => { const s = h.closest('.widget-slider'); const r = s && s.querySelector('.widget-readout');"
            " return (h.getAttribute('aria-valuenow') || '') + ' | ' + (r ? r.textContent : ''); }"
        )
    )


def _readout_changed(handle: Any, before: str, timeout: float = 2.0) -> bool:
    """Poll until the slider's readout differs from ``before``; False on timeout."""
    deadline = time.monotonic() + timeout
    while _readout(handle) == before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _check_explorer(page: Any, name: str, stem: str, screenshot_dir: Path) -> None:
    """Keyboard- and mouse-move sliders of the first explorer; the plot must change."""
    explorer = page.locator(EXPLORER).first
    explorer.scroll_into_view_if_needed()
    handles = explorer.locator(SLIDER_HANDLE)
    n_handles = handles.count()
    assert n_handles >= 1, f"{EXPLORER} contains no slider ({SLIDER_HANDLE})"
    assert explorer.locator(PLOT).count() >= 1, f"{EXPLORER} contains no plot image ({PLOT})"

    def shot(label: str) -> None:
        explorer.screenshot(path=str(screenshot_dir / f"{stem}-explorer0-{label}.png"))

    before = _settle(page, name)
    assert before["png"], f"{PLOT} does not show PNG bytes"
    shot("before-keyboard")

    # Keyboard: focus the first slider's handle and press ArrowRight (ArrowLeft
    # if the slider is already at its maximum).
    key_handle = handles.nth(0)
    value_before = _readout(key_handle)
    key_handle.focus()
    for key in ("ArrowRight", "ArrowLeft"):
        for _ in range(KEY_PRESSES):
            page.keyboard.press(key)
        if _readout_changed(key_handle, value_before, timeout=1.0):
            break
    else:
        raise AssertionError(f"neither ArrowRight nor ArrowLeft changed the focused slider (still {value_before!r})")
    _wait_image_change(page, before, f"pressing {key} x{KEY_PRESSES} on the first slider")
    after_key = _settle(page, name)
    assert after_key["png"], f"{PLOT} does not show PNG bytes after the keyboard move"
    shot("after-keyboard")

    # Mouse: drag a handle (the second slider if there is one) by DRAG_FRACTION of its track.
    drag_handle = handles.nth(1 if n_handles > 1 else 0)
    drag_handle.scroll_into_view_if_needed()
    shot("before-drag")
    value_before = _readout(drag_handle)
    handle_box = drag_handle.bounding_box()
    track_box = drag_handle.locator("xpath=ancestor::*[contains(@class, 'noUi-target')][1]").bounding_box()
    assert handle_box and track_box, "slider handle or track is not visible"
    x = handle_box["x"] + handle_box["width"] / 2
    y = handle_box["y"] + handle_box["height"] / 2
    direction = 1 if x < track_box["x"] + track_box["width"] / 2 else -1
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + direction * DRAG_FRACTION * track_box["width"], y, steps=8)
    page.mouse.up()
    assert _readout_changed(drag_handle, value_before), (
        f"dragging the handle did not change the slider ({value_before!r})"
    )
    _wait_image_change(page, after_key, "dragging a slider handle with the mouse")
    after_drag = _settle(page, name)
    assert after_drag["png"], f"{PLOT} does not show PNG bytes after the drag"
    shot("after-drag")


def test_notebook_runs_and_sliders_work(
    notebook_path: Path,
    lab_server: LabServer,
    lab_page: tuple[Any, ConsoleErrors],
    screenshot_dir: Path,
) -> None:
    """Run all cells in JupyterLab; no errors, widgets render, explorer sliders redraw the plot."""
    page, console = lab_page
    name = notebook_path.name
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

    sessions = sorted(s["path"] for s in lab_server.api("GET", "/api/sessions"))
    assert sessions == [name], f"expected only {name}'s kernel to run, found sessions {sessions}"

    n_explorers = page.locator(EXPLORER).count()
    if any(re.search(r"\bexplore\(", src) for src in _code_sources(notebook_path)):
        assert n_explorers >= 1, f"the notebook calls explore( but no {EXPLORER} is shown"
    if n_explorers:
        _check_explorer(page, name, notebook_path.stem, screenshot_dir)

    unexpected = console.unexpected()
    assert not unexpected, "browser console errors:\n" + "\n".join(unexpected)
