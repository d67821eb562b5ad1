"""What a different answer would change, in a few plain words: "If no: 2 more warnings, including “…”; what
to do first changes." Used for next questions (screen and memos) and levers. No ids, no field paths."""

from __future__ import annotations

from collections.abc import Sequence

from ..kb.loader import KnowledgeBase
from ..report import NextQuestion, Outcome, Report

NOUNS = {"warning": ("warning", "warnings"), "recommendation": ("recommendation", "recommendations"),
         "strength": ("strength", "strengths"), "caveat": ("caveat", "caveats")}
ORDER = ("warning", "recommendation", "strength", "caveat")
VALUE_WORDS = {"true": "yes", "false": "no", "dont_know": "don't know", "not_relevant": "not relevant",
               "ad_hoc": "ad hoc", "agenda_for_change": "Agenda for Change", "organisation_scale":
               "the organisation's own scale", "from_service": "from the service", "social_care": "social care"}


def value_words(value: str) -> str:
    return VALUE_WORDS.get(value, value.replace("_", " "))


def _count(n: int, kind: str, more: bool) -> str:
    noun = NOUNS.get(kind, (kind, kind + "s"))[n != 1]
    return f"{n} {'more' if more else 'fewer'} {noun}"


def change_words(appear: Sequence[tuple[str, str]], go: Sequence[tuple[str, str]], priorities: int,
                 brief: bool = False) -> str:
    """APPEAR and GO are (kind, title) of findings; one short clause, the most important change first
    (BRIEF: only that, and whether what to do first changes)."""
    parts: list[str] = []
    named = False
    for kind in ORDER:
        sides = [([t for k, t in found if k == kind], more) for found, more in ((appear, True), (go, False))]
        for titles, more in sorted(sides, key=lambda side: -len(side[0])):  # the larger change first
            if not titles:
                continue
            text = _count(len(titles), kind, more)
            if not named:
                lead = "including " if len(titles) > 1 else ""
                text += f", {lead}“{titles[0]}”" if lead else f": “{titles[0]}”"
                named = True
            parts.append(text)
    if brief:
        parts = parts[:1]
    if priorities:
        parts.append("what to do first changes")
    return "; ".join(parts) if parts else "no change"


def outcome_titles(outcome: Outcome, kb: KnowledgeBase | None, report: Report) -> tuple[list[tuple[str, str]],
                                                                                      list[tuple[str, str]]]:
    def titled(ids: list[str]) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for i in ids:
            finding = report.finding(i)
            if finding is not None:
                out.append((finding.kind, finding.title))
            elif kb is not None:
                rule = kb.rule(i)
                out.append((rule.kind, rule.title))
        return out

    return titled(outcome.appear), titled(outcome.go)


def question_effects(question: NextQuestion, report: Report, kb: KnowledgeBase | None, most: int = 2,
                     brief: bool = True) -> list[str]:
    """Up to MOST lines "If no: …", the answers with the same effect together, the largest effects first."""
    grouped: dict[tuple[tuple[str, ...], tuple[str, ...], int], list[str]] = {}
    for outcome in question.outcomes:
        if outcome.appear or outcome.go or outcome.priorities:
            key = (tuple(outcome.appear), tuple(outcome.go), outcome.priorities)
            grouped.setdefault(key, []).append(value_words(outcome.value))
    ranked = sorted(grouped.items(), key=lambda kv: (-kv[0][2], -len(kv[0][0]) - len(kv[0][1])))
    lines = []
    for (appear, go, priorities), values in ranked[:most]:
        outcome = Outcome(value="", appear=list(appear), go=list(go), priorities=priorities)
        came, went = outcome_titles(outcome, kb, report)
        said = " or ".join(values)
        lines.append(f"If {said}: {change_words(came, went, priorities, brief)}.")
    return lines
