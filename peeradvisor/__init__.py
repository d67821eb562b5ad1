"""peeradvisor: evidence-linked advice on introducing peer worker roles in mental health services.

    from peeradvisor import advise, load_answers
    report = advise(load_answers("answers.yaml"))
    for finding in report.findings[:3]:
        print(finding.rank, finding.title)

The core is pure and typed (see docs/python-api.md). Names are imported on first use, so
`import peeradvisor` (and `peeradvisor --help`) does not load the inference engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis.whatif import WhatIf
    from .analysis.why import Why, WhyNot
    from .answers import Answers, load_answers, parse_answers
    from .api import advise, load_kb, what_if, why, why_not
    from .errors import InputError, KnowledgeError, PeeradvisorError, UsageError
    from .kb.loader import KnowledgeBase
    from .report import Finding, Report

__all__ = [
    "Answers", "Finding", "InputError", "KnowledgeBase", "KnowledgeError", "PeeradvisorError", "Report",
    "UsageError", "WhatIf", "Why", "WhyNot", "__version__", "advise", "load_answers", "load_kb",
    "parse_answers", "what_if", "why", "why_not",
]

_WHERE = {
    "Answers": "answers", "load_answers": "answers", "parse_answers": "answers",
    "advise": "api", "load_kb": "api", "what_if": "api", "why": "api", "why_not": "api",
    "InputError": "errors", "KnowledgeError": "errors", "PeeradvisorError": "errors", "UsageError": "errors",
    "KnowledgeBase": "kb.loader", "Finding": "report", "Report": "report",
    "WhatIf": "analysis.whatif", "Why": "analysis.why", "WhyNot": "analysis.why",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .kb.loader import package_version

        return package_version()
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
