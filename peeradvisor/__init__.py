"""peeradvisor: evidence-linked advice on introducing peer worker roles in mental health services.

The core is pure: `advise(load_answers(path), load_kb())` returns a `Report`. Names are imported on first
use, so `import peeradvisor` (and `peeradvisor --help`) does not load the inference engine.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Answers", "Finding", "InputError", "KnowledgeBase", "KnowledgeError", "PeeradvisorError", "Report",
    "advise", "engine_for", "load_answers", "load_kb", "parse_answers",
]
__version__ = "0.1.0"

_WHERE = {
    "Answers": "answers", "load_answers": "answers", "parse_answers": "answers",
    "advise": "core", "engine_for": "core",
    "InputError": "errors", "KnowledgeError": "errors", "PeeradvisorError": "errors",
    "KnowledgeBase": "kb", "load_kb": "kb",
    "Finding": "report", "Report": "report",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
