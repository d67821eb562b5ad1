"""Turn the engine's firings into numbered steps that show how each conclusion feeds the next (pure).

A trainer steps through these one at a time (`peeradvisor advise FILE --step`, `peeradvisor scenarios run
NAME --step`); `why` walks the same links backwards from a finding to the answers it rests on. `fold`
gives the trainer's view: a conclusion reached again, or a finding given again on other answers, is
folded into the step that first reached it ("also concluded by …").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..core.describe import describe_fact, negated_reasons
from ..engine import DerivedFact, Firing
from ..facts import FactSet
from ..kb.loader import KnowledgeBase
from ..report import Report

# What each conclusion of a derive rule means, in words a team uses (the study's five barriers and five
# facilitators, Chapter 5, and the risks the rules name). A name missing here is worded from the title
# of the rule that concludes it (`fact_label`).
FACT_LABELS = {
    "barrier.shared_understanding_lacking": "the team lacks a shared understanding of the role",
    "barrier.peer_identity_undermined": "the peer worker's peer identity is being undermined",
    "barrier.role_support_lacking": "the peer worker lacks support specific to the role",
    "barrier.role_reshaped_to_structures": "the role is being reshaped to fit existing structures",
    "barrier.cultural_inflexibility": "the organisation's culture is not flexing to make room for the role",
    "facilitator.distinctiveness_valued": "what is distinctive about the role is understood and valued",
    "facilitator.peer_identity_maintained": "the peer worker keeps a peer identity",
    "facilitator.individual_supported": "the peer worker has support specific to the role",
    "facilitator.structures_evolving": "the team's structures are changing to fit the role",
    "facilitator.culture_evolving": "the organisation's culture is changing to empower peer workers",
    "risk.expectations.distinctiveness_eroded": "the role is at risk of losing what makes it distinct",
    "risk.themes.low_value_tasks": "the peer worker risks being given the tasks nobody else wants",
    "risk.team.lone_peer_worker": "there is only one peer worker in the team",
    "risk.team.manager_unprepared": "the peer worker's manager is not prepared for the role",
    "risk.diversity.language_gap": "the language of the role may not fit the communities served",
}


@dataclass(frozen=True)
class Link:
    """A derived fact a step used, and the step that concluded it."""

    name: str
    by: str  # the rule that concluded it
    step: int | None  # its step number (None if it was concluded outside this trace)


@dataclass(frozen=True)
class Step:
    """One rule firing, in words: what matched, what it used from earlier steps, what it concluded."""

    number: int
    rule_id: str
    kind: str
    title: str
    matched: tuple[str, ...]  # the answers that matched, described
    links: tuple[Link, ...]  # derived facts concluded at earlier steps
    holds: tuple[str, ...] = ()  # negative conditions, which hold because nothing matched them
    concluded: str | None = None  # the derived fact this step added (derive rules only)
    used_by: tuple[int, ...] = field(default=())  # later steps that used what this step concluded
    repeat: bool = False  # the same rule fired before, on another combination of facts
    already: int | None = None  # the step that first concluded the same fact (a repeat adds nothing new)


def build_steps(firings: Iterable[Firing], kb: KnowledgeBase, facts: FactSet) -> list[Step]:
    """Number the firings in the order the engine made them and link each derived fact to its source."""
    concluded_at: dict[tuple[str, str], int] = {}
    seen_rules: set[str] = set()
    drafts: list[Step] = []
    for number, firing in enumerate(firings, start=1):
        rule = kb.rule(firing.rule_id)
        matched: list[str] = []
        links: list[Link] = []
        for fact in firing.matched:
            if isinstance(fact, DerivedFact):
                key = (fact.name, fact.by)
                links.append(Link(key[0], key[1], concluded_at.get(key)))
            else:
                text = describe_fact(fact, facts)
                if text not in matched:
                    matched.append(text)
        key = (firing.concluded or "", firing.rule_id)
        already = concluded_at.get(key) if firing.concluded else None
        drafts.append(Step(number, rule.id, rule.kind, rule.title, tuple(matched), tuple(links),
                           tuple(negated_reasons(rule)), firing.concluded, (), rule.id in seen_rules,
                           already))
        seen_rules.add(rule.id)
        if firing.concluded:
            concluded_at.setdefault(key, number)
    return _with_forward_links(drafts)


def _with_forward_links(steps: list[Step]) -> list[Step]:
    users: dict[int, list[int]] = {}
    for step in steps:
        for link in step.links:
            if link.step is not None:
                users.setdefault(link.step, []).append(step.number)
    return [Step(s.number, s.rule_id, s.kind, s.title, s.matched, s.links, s.holds, s.concluded,
                 tuple(sorted(set(users.get(s.number, [])))), s.repeat, s.already) for s in steps]


def steps_for(steps: list[Step], rule_id: str) -> list[Step]:
    return [s for s in steps if s.rule_id == rule_id]


def ancestors(steps: list[Step], rule_id: str) -> list[Step]:
    """Every step that concluded something the rule's firings built on, nearest first (no repeats)."""
    by_number = {s.number: s for s in steps}
    out: list[Step] = []
    queue = [link.step for s in steps_for(steps, rule_id) for link in s.links]
    seen: set[int] = set()
    while queue:
        number = queue.pop(0)
        if number is None or number in seen:
            continue
        seen.add(number)
        step = by_number[number]
        out.append(step)
        queue.extend(link.step for link in step.links)
    return out


def link_text(link: Link) -> str:
    """`uses barrier.x concluded at step 3 (rule-id)`"""
    where = f"concluded at step {link.step}" if link.step is not None else "concluded earlier"
    return f"uses {link.name} {where} ({link.by})"


def step_data(step: Step) -> dict[str, object]:
    """A step as plain data for JSON output."""
    return {
        "step": step.number, "rule": step.rule_id, "kind": step.kind, "title": step.title,
        "matched": list(step.matched), "holds": list(step.holds),
        "uses": [{"name": x.name, "by": x.by, "step": x.step} for x in step.links],
        "concluded": step.concluded, "already": step.already, "used_by": list(step.used_by),
    }


def fact_label(name: str, kb: KnowledgeBase) -> str:
    """A derived fact in plain words: `barrier.shared_understanding_lacking` -> `the team lacks …`."""
    if name in FACT_LABELS:
        return FACT_LABELS[name]
    title = next((r.title for r in kb.rules if r.concludes == name), "")
    if title:
        first = title.split()[0]
        return title if first.isupper() else title[0].lower() + title[1:]
    return name.rsplit(".", 1)[-1].replace("_", " ")


def fact_family(name: str) -> str:
    """`barrier`, `facilitator`, `risk` or `conclusion`: what kind of conclusion a derived fact is."""
    head = name.split(".", 1)[0]
    return head if head in ("barrier", "facilitator", "risk") else "conclusion"


@dataclass(frozen=True)
class Shown:
    """One step of the trainer's view: a firing, and the later firings folded into it."""

    number: int  # its number in the view, 1..n
    step: Step  # the first firing
    also: tuple[Step, ...] = ()  # later firings that reached the same conclusion or gave the same finding
    uses: tuple[tuple[str, int | None], ...] = ()  # conclusions the first firing built on: (name, view number)
    used_by: tuple[int, ...] = ()  # later view numbers that built on its conclusion
    rank: int | None = None  # its place in the report (findings only)
    replaced_by: str | None = None  # the more specific finding that replaces it in the report


def _fold_key(step: Step, every: bool) -> tuple[str, str]:
    if every:
        return ("step", str(step.number))
    return ("fact", step.concluded) if step.concluded else ("rule", step.rule_id)


def fold(steps: list[Step], report: Report, every: bool = False) -> list[Shown]:
    """The trainer's view of STEPS: repeats folded into the first step (EVERY: one view step per firing)."""
    groups: dict[tuple[str, str], list[Step]] = {}
    for step in steps:
        groups.setdefault(_fold_key(step, every), []).append(step)
    number_of = {s.number: n for n, group in enumerate(groups.values(), start=1) for s in group}
    replaced = {old: f.id for f in report.findings for old in f.replaces}
    drafts: list[Shown] = []
    for n, group in enumerate(groups.values(), start=1):
        # what the first firing built on (a folded firing's own route shows with --all-steps)
        uses = dict.fromkeys((x.name, None if x.step is None else number_of[x.step]) for x in group[0].links)
        finding = report.finding(group[0].rule_id) if group[0].kind != "derive" else None
        drafts.append(Shown(n, group[0], tuple(group[1:]), tuple(uses), (),
                            finding.rank if finding else None, replaced.get(group[0].rule_id)))
    users: dict[int, set[int]] = {}
    for shown in drafts:
        for _, at in shown.uses:
            if at is not None and at != shown.number:
                users.setdefault(at, set()).add(shown.number)
    return [Shown(s.number, s.step, s.also, s.uses, tuple(sorted(users.get(s.number, ()))), s.rank,
                  s.replaced_by) for s in drafts]


def concluded_by(view: list[Shown], number: int) -> list[tuple[str, int]]:
    """The conclusions drawn at view steps 1..NUMBER, with the step that drew each (first first)."""
    return [(s.step.concluded, s.number) for s in view[:number] if s.step.concluded]
