"""Check evidence against the study text: every locator heading exists, every excerpt is verbatim."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import Problem, about
from .models import Rule

if TYPE_CHECKING:
    from .loader import KnowledgeBase

_HEAD = re.compile(r"(Chapter|Appendix) \d+$|(Table|Figure) \d+$|Abstract$|Scientific summary$"
                   r"|Plain English summary$")
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}

CHAPTER5_SECTIONS = (
    "Common issues across organisations and settings", "Peer workers in the NHS",
    "Peer workers in the voluntary sector", "Peer workers in organisational partnerships",
    "Peer workers in inpatient settings", "Peer workers in community settings",
    "Peer workers in BME-specific services", "Valuing what is distinctive about the peer worker role",
    "Maintaining peer identity", "Supporting the individual peer worker",
    "Evolving organisational structures to support the peer worker role",
    "Evolving organisational culture to empower peer workers", "Lack of shared understanding of the peer worker role",
    "Undermining of peer identity", "Lack of role-specific support",
    "Reshaping the role to fit existing organisational structures", "Cultural inflexibility within the organisation",
)


def norm(text: str) -> str:
    text = re.sub(r"</?i>|\*", "", text)
    for a, b in _QUOTES.items():
        text = text.replace(a, b)
    text = re.sub(r"\.\s*\.\s*\.|\u2026", " \u2026 ", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class Study:
    text: str
    headings: frozenset[str]

    @classmethod
    def read(cls, path: Path) -> Study:
        raw = path.read_text(encoding="utf-8")
        heads = frozenset(norm(line) for line in raw.splitlines() if 0 < len(line.strip()) < 160)
        return cls(norm(raw), heads)

    def locator_ok(self, locator: str) -> bool:
        parts = [p.strip() for p in locator.split("\u203a")]
        return bool(_HEAD.match(parts[0])) and all(norm(p) in self.headings for p in parts[1:])

    def excerpt_ok(self, excerpt: str) -> bool:
        at = 0
        for part in (p.strip(" ,;:") for p in norm(excerpt).split("\u2026")):
            if len(part.split()) < 3:
                continue
            at = self.text.find(part, at)
            if at < 0:
                return False
        return True


def _faults(rules: Iterable[Rule], study: Study) -> Iterator[tuple[Rule, str, str]]:
    """(rule, where in it, what is wrong) for every locator or excerpt the report does not bear out."""
    for rule in rules:
        for i, ev in enumerate(rule.evidence):
            if not study.locator_ok(ev.locator):
                yield rule, f"evidence[{i}].locator", f"locator not in the report: {ev.locator!r}"
            if ev.excerpt and not study.excerpt_ok(ev.excerpt):
                yield rule, f"evidence[{i}].excerpt", f"excerpt not verbatim: {ev.excerpt[:60]!r}"


def check_evidence(rules: Iterable[Rule], study: Study) -> list[str]:
    return [f"{rule.id}: {message}" for rule, _, message in _faults(rules, study)]


def evidence_problems(kb: KnowledgeBase, study: Study) -> list[Problem]:
    """As `check_evidence`, each problem placed in its rule (so that it can be given a line)."""
    return [about(kb, rule, at, message) for rule, at, message in _faults(kb.rules, study)]


def default_study_path(kb_root: Path) -> Path:
    return kb_root.parent / "shared" / "seed" / "000_6a7dee68b5e046ac.txt"
