"""Browser-page helpers for the browser tests."""

from __future__ import annotations

import re
from typing import Any

# Browser console messages that are not failures. Each needs a reason.
IGNORED_CONSOLE_ERRORS: list[tuple[re.Pattern[str], str]] = [
    # (pattern, why it is unavoidable)
]


class ConsoleErrors:
    """Collects console errors and uncaught page errors."""

    def __init__(self, page: Any) -> None:
        """Start listening on ``page``."""
        self.messages: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, msg: Any) -> None:
        if msg.type == "error":
            location = msg.location or {}
            self.messages.append(
                f"console.error: {msg.text} ({location.get('url', '')}:{location.get('lineNumber', '')})"
            )

    def _on_page_error(self, error: Any) -> None:
        self.messages.append(f"pageerror: {error}")

    def unexpected(self) -> list[str]:
        """Messages not covered by IGNORED_CONSOLE_ERRORS."""
        return [m for m in self.messages if not any(p.search(m) for p, _ in IGNORED_CONSOLE_ERRORS)]
