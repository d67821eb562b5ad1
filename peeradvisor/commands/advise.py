"""`peeradvisor advise FILE`: ranked, evidence-linked findings for one assessment."""

from __future__ import annotations

from pathlib import Path

from ..answers import load_answers
from ..console import make_console
from ..core import advise as run_advise
from ..kb import load_kb
from ..render import json as json_render
from ..render import markdown as md_render
from ..render.terminal import show
from .common import emit


def advise(file: Path, fmt: str, output: Path | None, show_all: bool, kb_root: Path | None) -> int:
    answers = load_answers(file)
    kb = load_kb(kb_root)
    report = run_advise(answers, kb)
    if fmt == "json":
        emit(json_render.render(report), output, (file,))
    elif fmt == "md":
        emit(md_render.render(report), output, (file,))
    else:
        show(report, make_console(), limit=None if show_all else 12)
    return 0
