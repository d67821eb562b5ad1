"""An assessment ready to render: its answers, its report, and an earlier assessment to compare with.

Kept apart from the renderers (and free of their imports) so that a command can prepare assessments, in
worker processes too, without loading rich, jinja or the memo models it may not need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from peeradvisor.answers import Answers
    from peeradvisor.kb.loader import KnowledgeBase
    from peeradvisor.report import Report


class Previous(NamedTuple):
    """An earlier assessment of the same service, with its report."""

    answers: Answers
    report: Report


@dataclass(frozen=True)
class Prepared:
    """One assessment, advised on and ready to render."""

    answers: Answers
    report: Report
    kb: KnowledgeBase
    date: dt.date
    previous: Previous | None = None


def memo_date(answers: Answers, given: dt.date | None, today: dt.date) -> dt.date:
    """The memo's date: the one given, else the assessment's, else today."""
    return given or answers.assessed_on or today
