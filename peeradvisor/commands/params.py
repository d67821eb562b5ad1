"""Options several commands share, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

KbOption = Annotated[Path | None, typer.Option("--kb", envvar="PEERADVISOR_KB", hidden=True,
                                               help="Folder holding rules/ and knowledge/.")]
