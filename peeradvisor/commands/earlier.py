"""The earlier assessment `advise FILE --since OLD_FILE` compares with.

OLD_FILE is either the earlier answers file, advised again here with today's rules (so every difference
comes from the answers), or a JSON report saved then with `advise --format json`: its findings, priorities
and rules stamp are taken as they were given, and the answers it carries (the `answers` key) are compared
with today's. Only a saved report can show that the rules have changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..answers import Answers, answers_from_data
from ..errors import InputError, Problem
from ..kb import KnowledgeBase
from ..render.prepared import Previous
from ..report import Report
from ..validation import problems
from ..vocab import ANSWERS_FORMAT
from ..yamlio import load_file

REPORT_FORMAT = "peeradvisor/report@1"


def load_previous(path: Path, kb: KnowledgeBase, run: Callable[[Answers, KnowledgeBase], Report]) -> Previous:
    """The earlier answers and their report: advised now (an answers file) or as saved (a JSON report)."""
    data = load_file(path)
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        answers = answers_from_data(data, str(path))
        return Previous(answers, run(answers, kb))
    return _saved_report(data, str(path))


def _saved_report(data: dict[str, Any], source: str) -> Previous:
    if "answers" not in data:
        raise InputError(source, "this saved report does not carry the answers it was made from (reports "
                                 "saved by an earlier peeradvisor do not); give the earlier answers file "
                                 "instead, or a report saved with `advise --format json`", "answers")
    answers = _nested(data["answers"], source)
    fields = {k: v for k, v in data.items() if k in Report.model_fields}
    try:
        report = Report.model_validate(fields)
    except ValidationError as exc:
        raise InputError(source, problems=[*problems(exc), Problem(
            f"is not a report this version can read; give the earlier answers file instead ({ANSWERS_FORMAT})")]
        ) from None
    return Previous(answers, report)


def _nested(data: Any, source: str) -> Answers:
    """The report's `answers`, with errors named by their path inside the report."""
    try:
        return answers_from_data(data, source)
    except InputError as exc:
        raise InputError(source, problems=[Problem(p.message, f"answers.{p.path}" if p.path else "answers")
                                           for p in exc.problems]) from None
