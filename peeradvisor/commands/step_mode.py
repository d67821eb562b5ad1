"""Step through any answers file's reasoning: `advise FILE --step` and `scenarios run NAME --step`.

The whole trace is computed first (it takes milliseconds), so the trainer can go forward, back and
jump: Enter or space next, `b` back, a number and Enter to go to that step, `s` the facts at this step,
`e` the end, `?` the keys, `q` quit. `--present` shows one step per screen for a projector (80×24);
without it the steps scroll, and `--no-pause` prints them all (for a handout, or a script).
"""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.commands.keys import KeyReader
from peeradvisor.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from peeradvisor.kb.loader import KnowledgeBase
    from peeradvisor.render.steps import Line, Words

StepOption = Annotated[bool, typer.Option(
    "--step", help="Step through the reasoning, one rule at a time: Enter next, b back, a number to jump, "
                   "s facts, ? keys, q quit.")]
PresentOption = Annotated[bool, typer.Option(
    "--present", help="Step through for a projector: one step per screen, large and uncluttered (implies "
                      "--step; fits 80x24).")]
NoPauseOption = Annotated[bool, typer.Option("--no-pause", help="With --step: print every step without "
                                                                "waiting (for a handout or a script).")]
AllStepsOption = Annotated[bool, typer.Option(
    "--all-steps", help="With --step: show every rule firing, repeats included (they are folded by default).")]
DetailOption = Annotated[bool, typer.Option(
    "--detail", help="With --step: add rule ids, fact names and field paths for an analyst.")]


@dataclass(frozen=True)
class StepOptions:
    """How to step: format (text or json), pausing, presenter view, every firing, analyst detail."""

    fmt: str = "text"
    pause: bool = True
    present: bool = False
    every: bool = False
    detail: bool = False


def step_through(data: dict[str, Any], source: str, kb: KnowledgeBase, sets: list[str], options: StepOptions,
                 title: str = "", story: str = "", scenario: str | None = None, output: Path | None = None) -> int:
    """Trace the answers (changed by SETS) and show the trace: as JSON, printed, or stepped through."""
    from peeradvisor.analysis.trace import trace_of

    if options.fmt not in ("text", "json"):
        raise UsageError("--step shows the reasoning as text or json; use --format text or --format json")
    if options.present and not options.pause:
        raise UsageError("--present waits for the presenter's keys; leave out --no-pause")
    trace = trace_of(data, source, kb, sets)
    if options.fmt == "json":
        from peeradvisor.commands.common import emit
        from peeradvisor.render.trace import render

        emit(render(trace, kb, scenario), output)
        return 0
    from peeradvisor.console import make_console
    from peeradvisor.render.plain import Plain
    from peeradvisor.render.steps import Words

    words = Words(trace, trace.view(options.every), Plain.of(kb), options.detail)
    title = title or trace.answers.organisation
    console = make_console()
    if output is not None:
        from peeradvisor.commands.common import emit

        buffer = io.StringIO()
        console.file = buffer
        Player(words, console, title, story).run_on(0)
        emit(buffer.getvalue(), output)
        return 0
    player = Player(words, console, title, story)
    if options.present:
        return player.present()
    if not options.pause:
        player.run_on(0)
        return 0
    return player.scroll()


def compare(data: dict[str, Any], source: str, kb: KnowledgeBase, sets: list[str], detail: bool = False) -> int:
    """What if, for a trainer: the change in plain words, then the findings before and after."""
    from peeradvisor.analysis.trace import trace_of
    from peeradvisor.console import make_console
    from peeradvisor.render.plain import Plain
    from peeradvisor.render.steps import Words

    trace = trace_of(data, source, kb, sets)
    words = Words(trace, trace.view(), Plain.of(kb), detail)
    Player(words, make_console(), "", "").show(words.comparison_lines()[1:])
    return 0


def advise_steps(file: Path, sets: list[str], options: StepOptions, output: Path | None, kb_root: Path | None,
                 memo_options: bool = False) -> int:
    """`advise FILE --step`: step through one answers file's reasoning (or `scenario:NAME`)."""
    from peeradvisor.analysis.whatif import load_data
    from peeradvisor.kb import load_kb

    if file.is_dir():
        raise UsageError(f"{file} is a folder: --step goes through one answers file; give one of its files")
    if memo_options:
        raise UsageError("--step shows the reasoning, not the report: leave out --all, --date and --since")
    if output is not None:
        from peeradvisor.commands.common import guard_output

        guard_output(output, (file,))
    kb = load_kb(kb_root)
    data, source = load_data(str(file), kb.root)
    return step_through(data, source, kb, sets, options, output=output)


@dataclass
class Navigator:
    """Where the trainer is: page 0 the introduction, 1..total the steps, then the end page(s)."""

    total: int
    end_pages: int = 1
    at: int = 0
    digits: str = ""
    stay: bool = False  # at the end, stay there (a presenter's screen) instead of finishing

    @property
    def last(self) -> int:
        return self.total + self.end_pages

    def press(self, key: str) -> tuple[str, str]:
        """What KEY does: (`show`|`facts`|`help`|`quit`|`finish`|`status`, a message for the status line)."""
        if key.isdigit():
            self.digits += key
            return "status", f"Go to step {self.digits} (Enter to go, Esc to cancel)"
        if key == "backspace":
            self.digits = self.digits[:-1]
            return "status", f"Go to step {self.digits}" if self.digits else ""
        if key == "esc":
            self.digits = ""
            return "status", ""
        if self.digits and key in ("enter", "space"):
            number, self.digits = int(self.digits), ""
            if not 1 <= number <= self.total:
                return "status", f"There is no step {number}: the steps run from 1 to {self.total}."
            self.at = number
            return "show", ""
        self.digits = ""
        return self._command(key)

    def _command(self, key: str) -> tuple[str, str]:
        if key in ("enter", "space", "right", "down", "n", "j"):
            if self.at >= self.last:
                return ("status", "This is the end: q quits, b goes back.") if self.stay else ("finish", "")
            self.at += 1
            return "show", ""
        if key in ("b", "left", "up", "p", "k"):
            if self.at == 0:
                return "status", "This is the start."
            self.at -= 1
            return "show", ""
        if key == "e":
            self.at = self.total + 1
            return "show", ""
        named = {"s": "facts", "?": "help", "h": "help", "q": "quit"}
        if key in named:
            return named[key], ""
        shown = key if len(key) == 1 else key.upper()
        return "status", f"“{shown}” does nothing here; ? shows the keys."


class Player:
    """Shows a trace's pages on a console and follows the trainer's keys."""

    def __init__(self, words: Words, console: Console, title: str, story: str) -> None:
        self.words = words
        self.console = console
        self.title = title
        self.story = story

    # ------------------------------------------------------------------ pages
    def page(self, at: int, present: bool = False) -> list[Line]:
        words = self.words
        if at == 0:
            return words.intro(self.title, self.story)
        if at > words.total:
            return words.end_lines()
        if present:
            return words.present_lines(words.view[at - 1], self.room, self.width)
        return words.step_lines(words.view[at - 1])

    @property
    def width(self) -> int:
        return min(self.console.width or 80, 100)

    def show(self, lines: list[Line]) -> None:
        """Print LINES, wrapped to the console."""
        self._print(lines)

    def _print(self, lines: list[Line]) -> None:
        from peeradvisor.render.steps import wrap

        for text, style in wrap(lines, self.width):
            self.console.print(text, style=style, markup=False, highlight=False, soft_wrap=True)

    # ------------------------------------------------------------------ scrolling
    def run_on(self, at: int) -> None:
        """Print every page from AT to the end, without waiting."""
        for page in range(at, self.words.total + 2):
            if page:
                self.console.print()
            self._print(self.page(page))

    def scroll(self) -> int:
        """Steps printed one after another; the trainer moves with keys (the prompt goes to stderr)."""
        nav = Navigator(self.words.total, at=1)
        self._print(self.page(0))
        self.console.print()
        self._print(self.page(1))
        status = ""
        with KeyReader() as reader:
            while True:
                keys = self._ask(reader, nav, status)
                if keys is None:  # end of input: run on to the end
                    self.run_on(nav.at + 1)
                    return 0
                for key in keys:
                    action, status = nav.press(key)
                    if action in ("finish", "quit"):
                        self._leave(action, nav.at)
                        return 0
                    if action in ("show", "facts", "help"):
                        self.console.print()
                        self._print(self._overlay(action, nav, reader.keys))

    def _overlay(self, action: str, nav: Navigator, keys: bool) -> list[Line]:
        from peeradvisor.render.steps import help_lines

        if action == "facts":
            return self.words.facts_lines(min(nav.at, self.words.total))
        if action == "help":
            return help_lines(keys)[:-2]
        return self.page(nav.at)

    def _ask(self, reader: KeyReader, nav: Navigator, status: str) -> list[str] | None:
        where = f"step {nav.at} of {self.words.total}" if 1 <= nav.at <= self.words.total else \
            "the start" if nav.at == 0 else "the end"
        hint = status or f"{where} · Enter next · b back · number go to · ? keys · q quit"
        width = self.console.width or 80
        typer.echo(f"-- {hint} --"[: width - 1], err=True, nl=False)
        keys = reader.read()
        typer.echo("\r\x1b[K" if reader.keys and sys.stderr.isatty() else "", err=True, nl=not reader.keys)
        return keys

    def _leave(self, action: str, at: int) -> None:
        self.console.print()
        if action == "quit" and at <= self.words.total:
            self._print(self.words.end_lines(stopped=at))
        elif at <= self.words.total:
            self._print(self.words.end_lines())

    # ------------------------------------------------------------------ presenting
    def present(self) -> int:
        """One page per screen, redrawn on every key; the footer names the keys and the step."""
        from peeradvisor.render.steps import help_lines

        nav = Navigator(self.words.total, end_pages=len(self._end_pages()), stay=True)
        status = ""
        with KeyReader() as reader:
            while True:
                self._draw(self._body(nav.at), nav.at, status)
                keys = reader.read()
                if keys is None:
                    self._finish(nav.at)
                    return 0
                for key in keys:
                    action, status = nav.press(key)
                    if action in ("finish", "quit"):
                        self._finish(nav.at, stopped=action == "quit")
                        return 0
                    if action == "facts":
                        self._pages(reader, self.words.facts_lines(min(nav.at, self.words.total)), nav)
                    elif action == "help":
                        self._pages(reader, help_lines(reader.keys), nav)

    def _body(self, at: int) -> list[Line]:
        if at > self.words.total:
            return self._end_pages()[at - self.words.total - 1]
        from peeradvisor.console import MUTED
        from peeradvisor.render.steps import Line

        if at == 0:
            intro = self.words.intro(self.title, self.story, banner=False)  # the banner heads every screen
            return [*_titled(intro[0], self.width), *intro[1:], Line(""),
                    Line("Press Enter to begin; ? shows the keys.", MUTED, 0, 0)]
        return self.page(at, present=True)

    @property
    def height(self) -> int:
        return max(12, shutil.get_terminal_size((80, 24)).lines) if self.console.is_terminal else 24

    @property
    def room(self) -> int:
        """Rows a page's body may take: the screen less title, banner, status and footer."""
        return min(self.height - 8, 16)

    def _end_pages(self) -> list[list[Line]]:
        """The end as screens: the report's summary, then the before-and-after of a what-if."""
        from peeradvisor.console import HEADING
        from peeradvisor.render.steps import Line

        summary = self._chunks([*_titled(Line("The end", HEADING), self.width), Line(""),
                                *self.words.end_lines(compare=False)])
        compared = self.words.comparison_lines(banner=False)[1:]
        return summary + self._chunks([*_titled(compared[0], self.width), *compared[1:]] if compared else [])

    def _chunks(self, lines: list[Line]) -> list[list[Line]]:
        """LINES as screenfuls of rows, a heading (a row ending in a colon) kept with what follows it."""
        from peeradvisor.render.steps import Line, wrap

        rows = [Line(text, style, 0, 0) for text, style in wrap(lines, self.width)]
        chunks: list[list[Line]] = []
        while rows:
            cut = min(self.room, len(rows))
            if 1 < cut < len(rows) and rows[cut - 1].text.endswith(":"):
                cut -= 1
            chunks.append(rows[:cut])
            rows = rows[cut:]
        return chunks

    def _footer(self, at: int) -> str:
        total = self.words.total
        if at == 0:
            return "Introduction"
        if at <= total:
            return f"Step {at} of {total}"
        ends = self.words.total + len(self._end_pages())
        return "The end" + (f" ({at - total} of {ends - total})" if ends - total > 1 else "")

    def _draw(self, body: list[Line], at: int, status: str, keys: str = "", label: str = "") -> None:
        from peeradvisor.render.steps import screen

        total = self.words.total
        if not keys and at > total and at == total + len(self._end_pages()):
            keys = "b back · number+Enter go to · s facts · ? keys · q quit"
        keys = keys or "Enter next · b back · number+Enter go to · s facts · ? keys · q quit"
        progress = 0.0 if at == 0 else min(1.0, at / total) if total else 1.0
        where = f"{self._footer(at)} {label}".strip()
        title = "" if at == 0 else self.title  # the introduction has it in large
        rows = screen(title, self.words.banner(), body, where, keys, status, self.width, self.height, progress)
        self.console.clear()
        last = len(rows) - 1 if self.console.is_terminal else -1  # no newline after the bottom row: no scroll
        for n, (text, style) in enumerate(rows):
            self.console.print(text, style=style, markup=False, highlight=False, soft_wrap=True,
                               end="" if n == last else "\n")

    def _pages(self, reader: KeyReader, lines: list[Line], nav: Navigator) -> None:
        """Show LINES over the step, a screenful at a time: Enter for more, any other key goes back."""
        chunks = self._chunks(lines) or [[]]
        for n, chunk in enumerate(chunks, start=1):
            more = n < len(chunks)
            label = f"({n} of {len(chunks)})" if len(chunks) > 1 else ""
            keys = "Enter: more · any other key: back to the step" if more else "Any key: back to the step"
            self._draw(chunk, nav.at, "", keys, label)
            got = reader.read()
            if got is None or not more or got[0] not in ("enter", "space"):
                return

    def _finish(self, at: int, stopped: bool = False) -> None:
        self.console.clear()
        if stopped and 1 <= at <= self.words.total:
            self._print(self.words.end_lines(stopped=at))
        else:
            self.console.print()



def _titled(line: Line, width: int) -> list[Line]:
    """A title underlined, as large as a terminal allows."""
    from peeradvisor.console import HEADING
    from peeradvisor.render.steps import Line

    return [Line(line.text, HEADING, 0, 0), Line("━" * min(len(line.text), width - 1), HEADING, 0, 0)]
