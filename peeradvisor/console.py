"""The one place that makes rich consoles, and the named styles every terminal view uses."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.theme import Theme

WARNING = "warning"
RECOMMENDATION = "recommendation"
STRENGTH = "strength"
CAVEAT = "caveat"
MUTED = "muted"
HEADING = "heading"
ERROR = "error"

THEME = Theme({
    WARNING: "bold red",
    RECOMMENDATION: "bold cyan",
    STRENGTH: "bold green",
    CAVEAT: "bold yellow",
    MUTED: "dim",
    HEADING: "bold",
    ERROR: "bold red",
})

KIND_STYLE = {"warning": WARNING, "recommendation": RECOMMENDATION, "strength": STRENGTH, "caveat": CAVEAT}
# Meaning is never carried by colour alone: every kind also has a word and a symbol.
KIND_LABEL = {"warning": "! WARNING", "recommendation": "> RECOMMEND", "strength": "+ STRENGTH",
              "caveat": "? CAVEAT"}


def make_console(*, stderr: bool = False, width: int | None = None) -> Console:
    no_color = bool(os.environ.get("NO_COLOR"))
    env_width = os.environ.get("PEERADVISOR_WIDTH")
    if width is None and env_width and env_width.isdigit():
        width = int(env_width)
    return Console(file=sys.stderr if stderr else sys.stdout, theme=THEME, no_color=no_color,
                   width=width, highlight=False, soft_wrap=False)
