"""The Python API: load answers, advise, and ask why, why not and what if (pure, no printing).

    from peeradvisor import advise, load_answers
    report = advise(load_answers("examples/nhs-inpatient-new.yaml"))

Every function takes an optional knowledge base; without one it uses the bundled rules, loaded once.
Calls are independent and safe to make from several threads at once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .analysis.whatif import Change, WhatIf, apply_sets, diff, parse_set, revalidate
from .analysis.why import Run, Why, WhyNot, find_rule, why_not_of, why_of
from .answers import Answers, answers_to_data
from .core import advise as _advise
from .kb.loader import KnowledgeBase
from .kb.loader import load_kb as _load_kb
from .report import Report

__all__ = ["advise", "default_kb", "load_kb", "what_if", "why", "why_not"]


@functools.cache
def default_kb() -> KnowledgeBase:
    """The bundled knowledge base (or the one PEERADVISOR_KB points at), loaded once per process."""
    return _load_kb()


def load_kb(root: Path | str | None = None) -> KnowledgeBase:
    """Load and check a knowledge base: the folder holding rules/ and knowledge/ (default: the bundled one)."""
    return default_kb() if root is None else _load_kb(Path(root))


def advise(answers: Answers, kb: KnowledgeBase | None = None) -> Report:
    """The ranked, evidence-linked advice for one assessment (the contract's report)."""
    return _advise(answers, kb or default_kb())


def why(finding_id: str, answers: Answers, kb: KnowledgeBase | None = None) -> Why:
    """Why a finding was given: its reasons, the conclusions it built on, and its evidence.

    Raises UsageError when the finding's rule did not fire (ask `why_not`)."""
    knowledge = kb or default_kb()
    return why_of(find_rule(knowledge, finding_id), Run.of(answers, knowledge), knowledge)


def why_not(finding_id: str, answers: Answers, kb: KnowledgeBase | None = None) -> WhyNot:
    """Whether a finding's rule fired, each of its conditions checked, and the finding that replaced it."""
    knowledge = kb or default_kb()
    return why_not_of(find_rule(knowledge, finding_id), Run.of(answers, knowledge), knowledge)


def what_if(answers: Answers, changes: Mapping[str, Any] | Sequence[str],
            kb: KnowledgeBase | None = None) -> WhatIf:
    """The advice as given and with some answers changed, compared.

    CHANGES maps `--set` paths to values (`{"context.staffing_pressure": False}`), or is a list of
    `PATH=VALUE` strings as typed after `--set`. A value of None removes the answer (not known)."""
    knowledge = kb or default_kb()
    parsed = ([parse_set(spec) for spec in changes] if not isinstance(changes, Mapping)
              else [Change(path, value, "") for path, value in changes.items()])
    changed = revalidate(apply_sets(answers_to_data(answers), parsed), answers.organisation, parsed)
    return diff(_advise(answers, knowledge), _advise(changed, knowledge), tuple(parsed))
