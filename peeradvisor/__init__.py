"""peeradvisor: evidence-linked advice on introducing peer worker roles in mental health services.

The core is pure: `advise(load_answers(path), load_kb())` returns a `Report`.
"""

from .answers import Answers, load_answers, parse_answers
from .core import advise, engine_for
from .errors import InputError, KnowledgeError, PeeradvisorError
from .kb import KnowledgeBase, load_kb
from .report import Finding, Report

__all__ = [
    "Answers", "Finding", "InputError", "KnowledgeBase", "KnowledgeError", "PeeradvisorError", "Report",
    "advise", "engine_for", "load_answers", "load_kb", "parse_answers",
]
__version__ = "0.1.0"
