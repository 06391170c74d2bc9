#!/usr/bin/env bash
# Install what the real-browser test suite (tests/browser) needs, idempotently:
#   - Debian's chromium at /usr/bin/chromium (only if missing);
#   - Debian's fonts-nanum, a Hangul font for Chromium (the Korean edition's prose and JupyterLab's
#     Korean interface; figures carry their own font inside lrutils), only if missing;
#   - the Python package playwright==1.65.2 into the venv given as $1 (default .venv).
# Never runs `playwright install`: that downloads its own browser build, which
# cannot be fetched here. The suite drives the system chromium instead.
# Works non-interactively (CI=true, no stdin).
set -euo pipefail

VENV="${1:-.venv}"
PLAYWRIGHT_VERSION="1.65.2"
export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
else
    SUDO="sudo -n"
fi

if [ ! -x /usr/bin/chromium ]; then
    echo "install_browser: installing Debian chromium" >&2
    $SUDO apt-get update </dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium </dev/null
else
    echo "install_browser: /usr/bin/chromium present" >&2
fi

if [ ! -e /usr/share/fonts/truetype/nanum/NanumGothic.ttf ]; then
    echo "install_browser: installing Debian fonts-nanum (Hangul for Chromium)" >&2
    $SUDO apt-get update </dev/null
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-nanum </dev/null
else
    echo "install_browser: fonts-nanum present" >&2
fi

PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
    echo "install_browser: no python at $PY (create the venv first)" >&2
    exit 1
fi

installed="$("$PY" -c 'import importlib.metadata as m
try:
    print(m.version("playwright"))
except m.PackageNotFoundError:
    print("")' </dev/null)"
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
    echo "install_browser: installing playwright==$PLAYWRIGHT_VERSION into $VENV" >&2
    "$PY" -m pip install --disable-pip-version-check --no-input "playwright==$PLAYWRIGHT_VERSION" </dev/null
else
    echo "install_browser: playwright $PLAYWRIGHT_VERSION present in $VENV" >&2
fi

/usr/bin/chromium --version </dev/null >&2 || true
