"""The one place that makes rich consoles, and the named styles every terminal view uses.

Every console it makes shows text safely (render/safe_text.py): whatever is printed, by any view, no
escape sequence, control or bidi character from a file reaches the terminal; Rich's own colours and
cursor moves (control segments) pass as they are.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from typing import IO

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderableType, RenderHook
from rich.measure import Measurement
from rich.segment import Segment
from rich.theme import Theme

from . import safe_text

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


def make_console(*, stderr: bool = False, width: int | None = None, file: IO[str] | None = None) -> Console:
    """A console on stdout (or STDERR, or FILE: then plain text, no colour) that shows text safely."""
    no_color = bool(os.environ.get("NO_COLOR")) or file is not None
    env_width = os.environ.get("PEERADVISOR_WIDTH")
    if width is None and env_width and env_width.isdigit():
        width = int(env_width)
    console = _Console(file=file or (sys.stderr if stderr else sys.stdout), theme=THEME, no_color=no_color,
                      color_system=None if file is not None else "auto", width=width, highlight=False,
                      soft_wrap=False)
    console.push_render_hook(SafeText())
    return console


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """The reader stopped reading: the command's error handler ends the run quietly (exit 0)."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader closed the pipe")


class SafeText(RenderHook):
    """Pass everything printed through `safe_text.terminal`, after Rich has laid it out."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Safe(r) for r in renderables]


class _Safe:
    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for segment in console.render(self.renderable, options):
            if segment.control:  # Rich's own cursor moves and the like
                yield segment
            else:
                yield Segment(safe_text.terminal(segment.text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)
