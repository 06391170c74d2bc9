"""JupyterLab server helpers for the browser tests (used by conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

# User settings written into JUPYTERLAB_SETTINGS_DIR (never into the venv).
LAB_SETTINGS: dict[str, dict[str, Any]] = {
    # No requests to the internet for news or update checks.
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    # Every cell stays in the DOM, so `.jp-Cell` order == notebook cell order.
    # Start the notebook's kernel without asking (no kernel-selection dialog).
    "@jupyterlab/notebook-extension/tracker": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    # Never write the (copied) notebooks back to disk.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # The extension manager would query a package index.
    "@jupyterlab/extensionmanager-extension/plugin": {"enabled": False},
}


@dataclass
class LabServer:
    """A running JupyterLab server."""

    base_url: str
    token: str
    root_dir: Path
    process: subprocess.Popen[bytes]
    state_dir: Path
    log_path: Path

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10.0) -> Any:
        """Call the Jupyter REST API with the token; returns decoded JSON or None."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base_url}{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def lab_url(self, notebook_name: str) -> str:
        """URL that opens ``notebook_name`` in a fresh (reset) default workspace."""
        return f"{self.base_url}/lab/tree/{notebook_name}?reset&token={self.token}"

    def shutdown_all_sessions(self) -> None:
        """Delete every session (this shuts its kernel down)."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass
        for kernel in self.api("GET", "/api/kernels") or []:
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except urllib.error.HTTPError:
                pass

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server log, for failure messages."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_settings(settings_dir: Path) -> None:
    """Write LAB_SETTINGS as JupyterLab user settings files under ``settings_dir``."""
    for plugin, values in LAB_SETTINGS.items():
        target = settings_dir / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))


def our_processes(state_dir: Path) -> list[psutil.Process]:
    """Live processes whose command line mentions our temporary folder.

    The server's root dir and the kernels' connection files (runtime dir) are
    all inside ``state_dir``, so this finds the server and its kernels, even
    though jupyter_client starts kernels in their own process group.
    """
    marker = str(state_dir)
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            cmdline = " ".join(proc.info["cmdline"] or [])
            if marker in cmdline and proc.info["status"] != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def stop_server(server: LabServer) -> list[str]:
    """Shut kernels and server down; kill leftovers; return what had to be killed."""
    process = server.process
    if process.poll() is None:
        try:
            server.shutdown_all_sessions()
            server.api("POST", "/api/shutdown")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    # Anything left in the server's process group (it was started as a new session).
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait(timeout=10)
    # Kernels live in process groups of their own: give them a moment, then check.
    deadline = time.monotonic() + 10
    leftovers = our_processes(server.state_dir)
    while leftovers and time.monotonic() < deadline:
        time.sleep(0.2)
        leftovers = our_processes(server.state_dir)
    strays = [f"{p.pid}: {' '.join(p.cmdline())}" for p in leftovers if p.is_running()]
    for proc in leftovers:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    return strays
