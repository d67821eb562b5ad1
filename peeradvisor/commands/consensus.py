"""`peeradvisor consensus FILE`: where stakeholder groups diverge, ranked, and the role star."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.params import KbOption
from peeradvisor.render.formats import DocumentFormat

FormatOption = Annotated[DocumentFormat, typer.Option("--format", "-f", help="Output format.")]


def register(app: typer.Typer) -> None:
    app.command("consensus")(consensus)


@handle_errors
def consensus(
    file: Annotated[Path, typer.Argument(metavar="FILE", show_default=False,
                                         help="Answers file with several respondents (YAML or JSON).")],
    fmt: FormatOption = DocumentFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                 help="Write here instead of stdout.")] = None,
    kb: KbOption = None,
) -> None:
    """Compare stakeholder groups: items where they diverge, ranked, and the role star."""
    from peeradvisor.analysis.consensus import build_consensus
    from peeradvisor.commands.common import build_and_emit
    from peeradvisor.render.consensus import RENDERERS

    build_and_emit(file, kb, build_consensus, fmt, RENDERERS, output)
