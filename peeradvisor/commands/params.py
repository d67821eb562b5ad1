"""Options several commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

KbOption = Annotated[Path | None, typer.Option("--kb", envvar="PEERADVISOR_KB", hidden=True,
                                               help="Folder holding rules/ and knowledge/.")]
SetOption = Annotated[list[str] | None, typer.Option(
    "--set", metavar="PATH=VALUE", show_default=False,
    help="What if: change an answer first, e.g. --set context.staffing_pressure=false or "
         "--set responses[0].inventory.4.4=yes (repeatable).")]
