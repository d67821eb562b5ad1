"""One assessment's reasoning, kept whole for a trainer to step through (pure).

`trace_of` runs the engine over an answers file (a scenario's answers, or any team's), optionally
changed by `--set` specs, and keeps everything a step view, a `--format json` trace and a what-if
comparison need: the answers as run, the facts, every firing as a step, and the reports before and
after the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..answers import Answers, answers_from_data
from ..core import build_report, run_engine
from ..engine import Firing
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..report import Report
from .steps import Shown, Step, build_steps, fold
from .whatif import Change, WhatIf, apply_sets, diff, parse_set, revalidate, split_path


@dataclass(frozen=True)
class Trace:
    """The engine's reasoning for one assessment, with the what-if it was asked under (if any)."""

    source: str  # the answers file, or `scenario NAME`
    data: dict[str, Any]  # the answers as run (changed, when there are changes)
    answers: Answers
    facts: FactSet
    firings: list[Firing]  # every rule firing, in the order the engine made them
    steps: list[Step]  # the same firings as numbered steps
    report: Report
    changes: tuple[Change, ...] = ()
    original: dict[str, Any] = field(default_factory=dict)  # the answers before the changes
    before: Report | None = None  # the report before the changes

    def view(self, every: bool = False) -> list[Shown]:
        """The steps as a trainer sees them: repeats folded in, unless EVERY."""
        return fold(self.steps, self.report, every)

    def comparison(self) -> WhatIf | None:
        """What the changes did to the findings (None when nothing was changed)."""
        if not self.changes or self.before is None:
            return None
        return diff(self.before, self.report, self.changes)

    def was(self, change: Change) -> Any:
        """The value a change replaced (None when the answer was not given)."""
        return lookup(self.original, change.path)


def trace_of(data: dict[str, Any], source: str, kb: KnowledgeBase, specs: list[str] | tuple[str, ...] = ()
             ) -> Trace:
    """Run the answers (changed by the `--set` SPECS, if any) and keep every step of the reasoning."""
    before: Report | None = None
    changes = tuple(parse_set(s) for s in specs)
    run_data = data
    if changes:
        before = _report(answers_from_data(data, source), kb)
        run_data = apply_sets(data, list(changes))
        answers = revalidate(run_data, source, list(changes))
    else:
        answers = answers_from_data(data, source)
    facts, firings = run_engine(answers, kb)
    report = build_report(answers, kb, facts, firings)
    return Trace(source, run_data, answers, facts, firings, build_steps(firings, kb, facts), report, changes, data,
                 before)


def _report(answers: Answers, kb: KnowledgeBase) -> Report:
    facts, firings = run_engine(answers, kb)
    return build_report(answers, kb, facts, firings)


def changed_answers(data: dict[str, Any], source: str, specs: list[str] | tuple[str, ...]
                    ) -> tuple[Answers, tuple[Change, ...]]:
    """The answers changed by the `--set` SPECS, validated, and the changes (for `why --set`)."""
    changes = tuple(parse_set(s) for s in specs)
    if not changes:
        return answers_from_data(data, source), ()
    return revalidate(apply_sets(data, list(changes)), source, list(changes)), changes


def lookup(data: Any, path: str) -> Any:
    """The value at a `--set` PATH in answers data, or None where there is none (an inventory item
    answered in full gives its `{happening, importance}` mapping)."""
    node = data
    for key in split_path(path):
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        elif isinstance(node, dict):
            # an inventory key written unquoted in YAML (`2.1:`) arrives as a float
            node = node.get(key, next((v for k, v in node.items() if isinstance(k, float) and f"{k:g}" == key),
                                      None))
        else:
            return None
    return node
