"""`peeradvisor options FILE`: the same answers under each employer × setting arrangement, side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.consensus import FormatOption
from peeradvisor.commands.params import KbOption
from peeradvisor.render.formats import DocumentFormat


def register(app: typer.Typer) -> None:
    app.command("options")(options)


@handle_errors
def options(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Answers file (YAML or JSON).", show_default=False)],
    fmt: FormatOption = DocumentFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                 help="Write here instead of stdout.")] = None,
    kb: KbOption = None,
) -> None:
    """Compare the nine arrangements (NHS, voluntary, partnership × inpatient, community, BME)."""
    from peeradvisor.analysis.options import build_options
    from peeradvisor.commands.common import build_and_emit
    from peeradvisor.render.options import RENDERERS

    build_and_emit(file, kb, build_options, fmt, RENDERERS, output)
