"""What only a browser can check about lrutils explorers (used by test_jupyterlab.py).

For every explorer (``.lrutils-explorer``) on the page, in a 1366x768 window:

- the live widget is shown, not also the static ``image/png`` its display carries;
- the picture is shown at its CSS size from a PNG with twice as many pixels (crisp, not
  stretched), and the picture and every control are inside the visible notebook area;
- no text in the picture is under 10 px where it is shown: the PNG carries its smallest font in
  PNG pixels (``lrutils:min-font-png-px``), scaled here by the displayed / natural width;
- the torch code under the picture shows exactly each slider's readout (or, if a parameter is
  left out, the readout is torch's default), before and after a keyboard move and a mouse drag,
  and each move redraws the picture; a release hook (``.lrutils-release-log``) fires once per move;
- screenshots of the window and of the explorer land in ``build/screenshots/``.

Then, at 900x900, every explorer still fits the width (controls wrap above the picture) and its
text stays at 10 px or more.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lrutils
from lrutils.curves.table import REQUIRED
from lrutils.explorer.code import STEPPING, value_text
from lrutils.text.i18n import LANGUAGES, catalog

EXPLORER = ".lrutils-explorer"
PLOT = "img.lrutils-plot"
SLIDER = ".widget-slider"
HANDLE = ".noUi-handle"
RELEASE_LOG = ".lrutils-release-log"
IMAGE_CHANGE_TIMEOUT = 15.0
CODE_CATCH_UP_SECONDS = 15.0
SETTLE_SECONDS = 0.5
KEY_PRESSES = 5
DRAG_FRACTION = 0.4
MIN_FONT_PX = 10.0
CSS_WIDTH = 540  # lrutils.explorer.picture.WIDTH_PX
DENSITY = 2
NARROW = {"width": 900, "height": 900}
NOT_TORCH = {
    label
    for english in ("loss flattens at", "loss noise")  # shape the scripted metric; not scheduler keywords
    for label in (english, *(catalog(lang).get(english, english) for lang in LANGUAGES))  # as the slider shows it
}

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
    // tEXt chunks: keyword NUL text
    const texts = {};
    let at = 8;
    const view = new DataView(buf);
    while (png && at + 8 <= bytes.length) {
        const length = view.getUint32(at);
        const type = String.fromCharCode(...bytes.slice(at + 4, at + 8));
        if (type === 'tEXt') {
            const body = String.fromCharCode(...bytes.slice(at + 8, at + 8 + length));
            const nul = body.indexOf('\\0');
            texts[body.slice(0, nul)] = body.slice(nul + 1);
        }
        at += 12 + length;
    }
    const box = img.getBoundingClientRect();
    return {digest: hex, size: bytes.length, png: png, texts: texts, naturalWidth: img.naturalWidth,
            naturalHeight: img.naturalHeight, width: box.width, height: box.height};
}"""

# Sliders (description, readout, disabled), the printed code and any error, from the explorer's DOM.
JS_STATE = """(root) => {
    const sliders = Array.from(root.querySelectorAll('.widget-slider')).map((s) => {
        const label = s.querySelector('.widget-label');
        const readout = s.querySelector('.widget-readout');
        const track = s.querySelector('.slider');
        return {name: label ? label.textContent.trim() : '', shown: readout ? readout.textContent.trim() : '',
                disabled: !!(track && track.hasAttribute('disabled'))};
    });
    const code = root.querySelector('.lrutils-code');
    const view = root.querySelector('.lrutils-view');
    const text = view ? view.innerText : '';
    return {sliders: sliders, code: code ? code.textContent : null,
            error: text.includes('Not drawn:') ? text.split('\\n')[0] : null};
}"""

# Rectangles of the picture, every control, and the visible part of the notebook.
JS_GEOMETRY = """(root) => {
    const rect = (e) => { const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}; };
    const img = root.querySelector('img.lrutils-plot');
    const selector = '.widget-slider, .widget-dropdown, .widget-checkbox, .widget-text';
    const controls = Array.from(root.querySelectorAll(selector)).filter((e) => e.offsetParent !== null);
    const scroller = root.closest('.jp-WindowedPanel-outer') || root.closest('.jp-NotebookPanel');
    const output = root.closest('.jp-OutputArea-output');
    return {image: rect(img), controls: controls.map(rect), scroller: rect(scroller),
            staticImages: output ? output.querySelectorAll('.jp-RenderedImage').length : -1,
            window: {width: window.innerWidth, height: window.innerHeight}};
}"""


def _digest(explorer: Any, timeout: float = IMAGE_CHANGE_TIMEOUT) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        result = explorer.locator(PLOT).first.evaluate(JS_IMAGE_DIGEST)
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{PLOT} shows no loadable image")
        time.sleep(0.05)


def _settle(explorer: Any, wait_idle: Callable[[], None]) -> dict[str, Any]:
    """Wait until the kernel is idle and the picture's bytes stop changing; return them."""
    wait_idle()
    last = _digest(explorer)
    stable_since = time.monotonic()
    deadline = stable_since + IMAGE_CHANGE_TIMEOUT
    while time.monotonic() - stable_since < SETTLE_SECONDS:
        if time.monotonic() > deadline:
            raise AssertionError("the plot image never stopped changing")
        time.sleep(0.1)
        current = _digest(explorer)
        if current["digest"] != last["digest"]:
            last, stable_since = current, time.monotonic()
    wait_idle()
    return last


def _wait_image_change(explorer: Any, before: dict[str, Any], what: str) -> None:
    deadline = time.monotonic() + IMAGE_CHANGE_TIMEOUT
    while time.monotonic() < deadline:
        if _digest(explorer)["digest"] != before["digest"]:
            return
        time.sleep(0.05)
    raise AssertionError(
        f"the plot image ({PLOT}) did not change within {IMAGE_CHANGE_TIMEOUT}s after {what}: "
        "does the explorer's slider observer redraw image.value?"
    )


def _readout(slider: Any) -> str:
    return str(slider.locator(".widget-readout").first.text_content() or "").strip()


def _readout_changed(slider: Any, before: str, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while _readout(slider) == before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def scheduler_of(code: str) -> str:
    """The lrutils name the printed code is for: a recipe named in its comment, else the torch class."""
    recipe = re.search(r"# lrutils\.(\w+)\(", code)
    return recipe.group(1) if recipe else re.search(r"^scheduler = (\w+)\(", code, re.MULTILINE).group(1)


def _drawn_comments() -> re.Pattern[str]:
    """The printed code's "# 100 epochs drawn: ..." comment in every language of the catalog, ``{n}`` captured."""
    forms = []
    for english in STEPPING.values():
        for template in (english, *(catalog(lang).get(english, english) for lang in LANGUAGES)):
            before = template.split(":")[0]  # "{n} epochs drawn", "배치 {n}개를 그림"
            forms.append(re.escape(before).replace(re.escape("{n}"), r"(\d+)"))
    return re.compile("# (?:" + "|".join(dict.fromkeys(forms)) + ")")


DRAWN = _drawn_comments()


def printed(code: str, name: str) -> str | None:
    """The text the code gives for slider ``name``, or None if the code leaves it out."""
    if name == "base_lr":
        found = re.search(r"SGD\(model\.parameters\(\), lr=([^,)\s]+)", code)
    elif name == "n_steps":
        found = DRAWN.search(code)
        return next(g for g in found.groups() if g) if found else None
    else:
        found = re.search(rf"(?<![\w.]){re.escape(name)}=([^,)\s]+)", code)
    return found.group(1) if found else None


def mismatches(state: dict[str, Any]) -> list[str]:
    """Sliders whose readout differs from what the printed code says (or from torch's default if it is left out)."""
    code = state["code"]
    assert code, "the explorer shows no torch code (.lrutils-code)"
    spec = lrutils.get_spec(scheduler_of(code))
    known = {p.name: p for p in spec.params}
    problems = []
    for slider in state["sliders"]:
        name, shown = slider["name"], slider["shown"]
        if name in NOT_TORCH:
            continue
        text = printed(code, name)
        if text is None:
            param = known.get(name)
            if param is None or param.default is REQUIRED:
                problems.append(f"{name} shows {shown!r} but the code does not give it:\n{code}")
            elif value_text(param.default) != shown:
                problems.append(f"{name} shows {shown!r}; the code leaves it at torch's default {param.default!r}")
        elif text != shown:
            problems.append(f"{name} shows {shown!r} but the code says {name}={text}")
    return problems


def _state(explorer: Any) -> dict[str, Any]:
    return explorer.evaluate(JS_STATE)


def _assert_code_matches(explorer: Any, when: str, timeout: float = CODE_CATCH_UP_SECONDS) -> dict[str, Any]:
    """The code shows every slider's readout, once the kernel has caught up (at most ``timeout`` s).

    A live-training explorer retrains in a timer callback after a release, and the kernel reports
    idle while it does: slider values sent meanwhile are handled after the training, so the code
    may lag the readouts for a moment on a loaded machine. A code that never catches up (issue 11's
    snapped values) still fails.
    """
    deadline = time.monotonic() + timeout
    while True:
        state = _state(explorer)
        problems = mismatches(state)
        if (state["error"] is None and not problems) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert state["error"] is None, f"{when}: the explorer says {state['error']}"
    assert not problems, f"{when}: " + "\n".join(problems)
    return state


def _scroll_to_top(explorer: Any) -> None:
    explorer.evaluate("(e) => e.scrollIntoView({block: 'start'})")
    time.sleep(0.2)


def _check_layout_wide(explorer: Any, digest: dict[str, Any], label: str) -> None:
    geometry = explorer.evaluate(JS_GEOMETRY)
    assert geometry["staticImages"] == 0, f"{label}: the static image/png is shown as well as the live widget"
    image = geometry["image"]
    assert abs(image["width"] - CSS_WIDTH) < 1, f"{label}: picture shown {image['width']:.0f} px wide, not {CSS_WIDTH}"
    assert digest["naturalWidth"] == DENSITY * CSS_WIDTH, (
        f"{label}: the PNG is {digest['naturalWidth']} px wide for {CSS_WIDTH} CSS px (want {DENSITY}x)"
    )
    assert abs(image["height"] * DENSITY - digest["naturalHeight"]) <= DENSITY, f"{label}: picture stretched"
    visible = geometry["scroller"]
    bottom = min(visible["bottom"], geometry["window"]["height"])
    boxes = [("picture", image)] + [(f"control {i}", box) for i, box in enumerate(geometry["controls"])]
    outside = [
        name
        for name, box in boxes
        if box["top"] < visible["top"] - 1 or box["bottom"] > bottom + 1 or box["right"] > visible["right"] + 1
    ]
    assert not outside, (
        f"{label}: {', '.join(outside)} outside the visible notebook area at "
        f"{geometry['window']['width']}x{geometry['window']['height']} (visible area {visible}, explorer needs "
        f"{max(b['bottom'] for _, b in boxes) - min(b['top'] for _, b in boxes):.0f} px)"
    )


def _check_layout_narrow(explorer: Any, digest: dict[str, Any], label: str) -> None:
    geometry = explorer.evaluate(JS_GEOMETRY)
    image, visible = geometry["image"], geometry["scroller"]
    assert image["right"] <= visible["right"] + 1 and image["left"] >= visible["left"] - 1, (
        f"{label}: the picture does not fit the notebook's width at 900 px ({image} in {visible})"
    )
    for box in geometry["controls"]:
        assert box["right"] <= visible["right"] + 1, f"{label}: a control sticks out of the notebook at 900 px"
        overlap_x = min(box["right"], image["right"]) - max(box["left"], image["left"])
        overlap_y = min(box["bottom"], image["bottom"]) - max(box["top"], image["top"])
        assert overlap_x <= 0 or overlap_y <= 0, f"{label}: a control overlaps the picture at 900 px"


def _check_fonts(digest: dict[str, Any], label: str) -> None:
    key = "lrutils:min-font-png-px"
    assert key in digest["texts"], f"{label}: the PNG does not say its smallest font ({key})"
    shown = float(digest["texts"][key]) * digest["width"] / digest["naturalWidth"]
    assert shown >= MIN_FONT_PX, f"{label}: the smallest text in the picture is {shown:.1f} px on screen"


def _release_log(explorer: Any) -> Any | None:
    output = explorer.locator("xpath=ancestor::*[contains(@class, 'jp-OutputArea-output')][1]")
    log = output.locator(RELEASE_LOG)
    return log.first if log.count() else None


def _check_release(log: Any, expected: int, state: dict[str, Any], what: str) -> None:
    """The hook fired ``expected`` times so far, and its last call saw the values on the screen."""
    deadline = time.monotonic() + 5.0
    text = ""
    while time.monotonic() < deadline:
        text = str(log.text_content() or "")
        if text.startswith(f"releases: {expected};"):
            break
        time.sleep(0.1)
    assert text.startswith(f"releases: {expected};"), f"after {what}: release log says {text!r}"
    time.sleep(1.0)  # a second release would come SETTLE_SECONDS after a stray late update
    assert str(log.text_content()).startswith(f"releases: {expected};"), f"after {what}: more than one release"
    for slider in state["sliders"]:
        assert f"{slider['name']}={slider['shown']}" in text, f"after {what}: release saw {text!r}, screen {slider}"


def _key_move(page: Any, slider: Any) -> str:
    handle = slider.locator(HANDLE).first
    before = _readout(slider)
    handle.focus()
    for key in ("ArrowRight", "ArrowLeft"):
        for _ in range(KEY_PRESSES):
            page.keyboard.press(key)
        if _readout_changed(slider, before, timeout=1.0):
            return key
    raise AssertionError(f"neither ArrowRight nor ArrowLeft changed the focused slider (still {before!r})")


def _drag(page: Any, slider: Any) -> None:
    handle = slider.locator(HANDLE).first
    handle.scroll_into_view_if_needed()
    before = _readout(slider)
    handle_box = handle.bounding_box()
    track_box = slider.locator(".noUi-target").first.bounding_box()
    assert handle_box and track_box, "slider handle or track is not visible"
    x = handle_box["x"] + handle_box["width"] / 2
    y = handle_box["y"] + handle_box["height"] / 2
    direction = 1 if x < track_box["x"] + track_box["width"] / 2 else -1
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + direction * DRAG_FRACTION * track_box["width"], y, steps=8)
    page.mouse.up()
    assert _readout_changed(slider, before), f"dragging the handle did not change the slider ({before!r})"


def _pick_sliders(explorer: Any) -> tuple[Any, Any]:
    """(keyboard, drag) sliders: a scheduler parameter for the keyboard when there is one, another to drag."""
    state = _state(explorer)
    enabled = [i for i, s in enumerate(state["sliders"]) if not s["disabled"]]
    assert enabled, f"{EXPLORER} contains no enabled slider"
    params = [i for i in enabled if state["sliders"][i]["name"] not in {"base_lr", "n_steps"}]
    key = params[0] if params else enabled[0]
    others = [i for i in enabled if i != key]
    drag = others[0] if others else key
    sliders = explorer.locator(SLIDER)
    return sliders.nth(key), sliders.nth(drag)


def check_explorers(page: Any, wait_idle: Callable[[], None], stem: str, screenshot_dir: Path) -> None:
    """Every explorer on the page: layout, fonts, code == readouts, keyboard and mouse moves, screenshots."""
    explorers = page.locator(EXPLORER)
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        _scroll_to_top(explorer)
        before = _settle(explorer, wait_idle)
        assert before["png"], f"{PLOT} does not show PNG bytes"
        state = _assert_code_matches(explorer, "before any move")
        label = f"{stem} explorer {index} ({scheduler_of(state['code'])})"
        shot = f"{stem}-explorer{index:02d}-{scheduler_of(state['code'])}"
        page.screenshot(path=str(screenshot_dir / f"{shot}-1366x768.png"))
        explorer.screenshot(path=str(screenshot_dir / f"{shot}-explorer.png"))
        _check_layout_wide(explorer, before, label)
        _check_fonts(before, label)
        log = _release_log(explorer)

        key_slider, drag_slider = _pick_sliders(explorer)
        key = _key_move(page, key_slider)
        _wait_image_change(explorer, before, f"pressing {key} x{KEY_PRESSES} on a slider")
        after_key = _settle(explorer, wait_idle)
        state = _assert_code_matches(explorer, f"{label}, after pressing {key}")
        if log is not None:
            _check_release(log, 1, state, "a keyboard move")

        _drag(page, drag_slider)
        _wait_image_change(explorer, after_key, "dragging a slider handle with the mouse")
        _settle(explorer, wait_idle)
        state = _assert_code_matches(explorer, f"{label}, after a mouse drag")
        if log is not None:
            _check_release(log, 2, state, "a mouse drag")
        _scroll_to_top(explorer)
        page.screenshot(path=str(screenshot_dir / f"{shot}-1366x768-after-moves.png"))

    if explorers.count() == 0:
        return
    page.set_viewport_size(NARROW)
    time.sleep(0.5)
    for index in range(explorers.count()):
        explorer = explorers.nth(index)
        _scroll_to_top(explorer)
        digest = _digest(explorer)
        state = _state(explorer)
        label = f"{stem} explorer {index} ({scheduler_of(state['code'])}) at 900 px"
        shot = f"{stem}-explorer{index:02d}-{scheduler_of(state['code'])}-900x900.png"
        page.screenshot(path=str(screenshot_dir / shot))
        _check_layout_narrow(explorer, digest, label)
        _check_fonts(digest, label)


def explorer_count(page: Any) -> int:
    """How many explorers the page shows."""
    return int(page.locator(EXPLORER).count())
