"""Say in a manager's words what the answers told the advisor (knowledge/phrases.yaml): no field paths,
codes or scores. `reasons` turns a finding's matched facts into short sentences; `why_sentence` makes a
priority's one-sentence "because"."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine.facts import ContextFact, DerivedFact, DivergentFact, Fact, GroupAnswerFact, ItemFact, MeasureFact
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..kb.models import PhrasesFile

# Context that frames the advice rather than explaining it: said only when nothing else is.
FRAMING = frozenset({"stage", "employer", "partner", "led_by", "setting", "setting_detail", "employment"})
WORRYING = frozenset({"no", "partly", "none", "ad_hoc", "dont_know"})


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _key(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _phrases(kb: KnowledgeBase) -> PhrasesFile:
    assert kb.phrases is not None, "knowledge/phrases.yaml was not loaded"
    return kb.phrases


def item_clause(kb: KnowledgeBase, item_id: str, happening: str | None) -> str | None:
    """`not happening: peer workers are recruited through a formal recruitment process`."""
    item = kb.items.get(item_id)
    template = _phrases(kb).item.get(happening or "")
    if item is None or template is None:
        return None
    return template.format(text=_lower_first(item.text.rstrip(".")))


def context_clause(kb: KnowledgeBase, field: str, value: object, stage: object = None) -> str | None:
    """`line managers are not prepared to support the peer role`; while the service is still planning (STAGE),
    in the future tense where phrases.yaml has it (`no one-to-one supervision is planned for peer workers`)."""
    phrases = _phrases(kb)
    for words in (phrases.planning.get(field, {}) if stage == "planning" else {}, phrases.context.get(field, {})):
        template = words.get(_key(value)) or words.get("any")
        if template:
            return template.format(value=value)
    return None


def _groups(kb: KnowledgeBase, answers: dict[str, frozenset[str]]) -> str:
    said = [f"{_phrases(kb).group.get(group, group)} said {'/'.join(sorted(a)).replace('_', ' ')}"
            for group, a in answers.items()]
    return ", ".join(said)


def fact_clause(fact: Fact, kb: KnowledgeBase, facts: FactSet | None = None, brief: bool = False) -> str | None:
    """One fact as a clause, or None when it says nothing a manager needs (a conclusion, a count).

    BRIEF leaves out who said what where groups disagree (for one-sentence summaries)."""
    if isinstance(fact, ContextFact):
        return context_clause(kb, fact.field, fact.value, facts.context.get("stage") if facts else None)
    if isinstance(fact, ItemFact):
        return item_clause(kb, fact.id, fact.happening)
    if isinstance(fact, GroupAnswerFact):
        clause = item_clause(kb, fact.item, fact.happening)
        return f"{_phrases(kb).group.get(fact.group, fact.group)} said {clause}" if clause else None
    if isinstance(fact, DivergentFact):
        item = kb.items.get(fact.item)
        if item is None:
            return None
        detail = ""
        if facts is not None and fact.item in facts.items and not brief:
            detail = f" ({_groups(kb, facts.items[fact.item].group_answers)})"
        return f"people disagree about whether {_lower_first(item.text.rstrip('.'))}{detail}"
    if isinstance(fact, MeasureFact):
        template = _phrases(kb).measure.get(fact.name)
        if template is None or fact.name in ("respondents", "groups", "items_answered"):
            return None
        value = f"{fact.value:.0%}" if fact.name == "peer_share" else f"{fact.value:g}"
        return template.format(value=value)
    assert isinstance(fact, DerivedFact)
    return None


def _weight(fact: Fact) -> int:
    """Order reasons so the telling ones come first: worrying answers, then other answers, framing last."""
    if isinstance(fact, ContextFact):
        if fact.field in FRAMING:
            return 3
        return 0 if _key(fact.value) in WORRYING or fact.value is True else 1
    if isinstance(fact, ItemFact | GroupAnswerFact):
        return 0 if fact.happening in WORRYING else 1
    if isinstance(fact, DivergentFact):
        return 0
    return 2


def reasons(leaves: Iterable[Fact], kb: KnowledgeBase, facts: FactSet | None = None) -> list[str]:
    """The answers behind a finding as sentences, most telling first (each once)."""
    ordered = sorted(dict.fromkeys(leaves), key=_weight)
    out: list[str] = []
    for fact in ordered:
        clause = fact_clause(fact, kb, facts)
        if clause and _upper_first(clause) not in out:
            out.append(_upper_first(clause))
    return out


def telling(leaves: Iterable[Fact]) -> list[Fact]:
    """The facts worth naming in one sentence: no framing context unless nothing else is there."""
    ordered = sorted(dict.fromkeys(leaves), key=_weight)
    kept = [f for f in ordered if _weight(f) < 3]
    return kept or ordered


def why_sentence(leaves: Iterable[Fact], found: str | None, kb: KnowledgeBase, facts: FactSet | None = None,
                 limit: int = 2, words: int = 20) -> str:
    """`Your answers show line managers are not prepared to support the peer role; the study found that …`."""
    clauses: list[str] = []
    chosen = telling(leaves)
    for fact in chosen:
        clause = fact_clause(fact, kb, facts, brief=True)
        if not clause or clause in clauses:
            continue
        if clauses and len(" ".join([*clauses, clause]).split()) > words:
            break  # one sentence a manager reads at a glance: a second answer only if it is short
        clauses.append(clause)
        if len(clauses) == limit:
            break
    framing_only = all(_weight(f) == 3 for f in chosen)
    said = ("Here, " if framing_only else "Your answers show ") + " and ".join(clauses) if clauses else ""
    study = f"the study found that {found.rstrip('.')}" if found else ""
    if said and study:
        return f"{said}; {study}."
    return _upper_first(said or study) + "."
