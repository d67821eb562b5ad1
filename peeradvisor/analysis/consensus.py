"""Where stakeholder groups agree and disagree about the role: the study's role star, made computable.

Pure: answers and the knowledge base in, a `Consensus` out (no I/O beyond the knowledge base's own
cached files). The study planned a *role star* "to enable organisations and teams to reach consensus on
expectations around core components of the peer worker role" (Chapter 5 › Organisational learning
tools); `build_consensus` gives a team the material for that conversation.

Per item, each stakeholder group's answers are pooled as `facts.pool` pools them (the mean of yes = 2,
partly = 1, no = 0; 1.5 and above is yes, 0.5 and below is no), and each group's importance is the mean
of its numeric ratings (1-4).

An item is **divergent** when at least two groups answered it and either
* one group's pooled answer is *yes* and another's is *no* (the engine's `divergent` fact, so rules that
  test `divergent: ITEM` fire on exactly these items; *partly* against *yes* or *no* is not divergence), or
* the groups' mean importance ratings are 2 or more points apart (e.g. 4 against 2).
Don't know and not relevant are left out of both tests.

Divergent items are **ranked** by how much the disagreement matters:

    priority = 0.45 × local importance + 0.35 × study importance + 0.20 × severity

* local importance: the highest mean importance any group here gave the item (scaled 1-4 → 0-1), because
  a disagreement matters as much as it matters to the group that cares most; 1 when any respondent put
  the item in their top three;
* study importance: the mean importance the study's respondents in the same stakeholder groups gave the
  item (Appendix 4, Tables 26-31), scaled the same way;
* severity: 1 for a yes/no split, otherwise the importance gap / 3.
A part with nothing to go on counts 0.5. Ties go to the earlier item in the inventory.

The role star's axes are data (knowledge/role_star.yaml). A group's score on an axis is the mean, over
its respondents and the axis's items, of yes = 1, partly = 0.5, no = 0 (no = 1, yes = 0 for the axis's
`inverse` items, whose "yes" means less of the component); None when it answered none of them, which the
pictures draw as a gap, never as 0.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import mean
from typing import Final, Literal

from peeradvisor import vocab
from peeradvisor.answers import Answers
from peeradvisor.facts import FactSet, build_facts
from peeradvisor.kb.loader import KnowledgeBase
from peeradvisor.kb.role_star import RoleStarFile, load_role_star
from peeradvisor.report import EvidenceOut, Out

FORMAT: Final = "peeradvisor/consensus@1"
IMPORTANCE_GAP = 2.0
NEUTRAL = 0.5
WEIGHTS = {"local": 0.45, "study": 0.35, "severity": 0.20}
STAR_SCORE = {"yes": 1.0, "partly": 0.5, "no": 0.0}
GROUP_TITLES = {"peer_worker": "Peer workers", "service_user": "Service users", "coworker": "Coworkers",
                "line_manager": "Line managers", "strategic_manager": "Strategic managers",
                "commissioner": "Commissioners"}


class GroupView(Out):
    """One stakeholder group's answers to one item."""

    group: str
    happening: str | None  # the group's pooled answer
    importance: float | None  # mean of the group's numeric ratings
    respondents: int  # respondents in the group who answered the item
    top3: int  # of them, how many put it in their top three
    study_importance: float | None = None  # Appendix 4 mean for this group (Tables 26-31)


class ItemView(Out):
    id: str
    short: str
    text: str
    happening: str | None  # pooled over everyone
    importance: float | None
    groups: list[GroupView]
    divergent: bool
    divergence: list[str]  # in words, why the item is divergent
    importance_gap: float | None
    study_importance: float | None
    priority: float
    locator: str  # where Chapter 3 discusses the item


class StarAxisOut(Out):
    id: str
    title: str
    about: str
    items: list[str]
    inverse: list[str]  # items scored the other way round (no = 1)
    evidence: list[EvidenceOut]


class StarLeftOut(Out):
    """An item about the role that is on no axis, and why."""

    item: str
    short: str
    reason: str


class StarLine(Out):
    """One stakeholder group on the star: a score per axis, in axis order."""

    group: str
    title: str
    scores: list[float | None]
    answered: list[int]  # answers behind each score


class RoleStar(Out):
    axes: list[StarAxisOut]
    lines: list[StarLine]
    evidence: list[EvidenceOut]
    left_out: list[StarLeftOut] = []


class Consensus(Out):
    format: Literal["peeradvisor/consensus@1"] = FORMAT
    organisation: str
    stage: str
    employer: str
    setting: str
    respondents: int
    groups: list[str]
    respondents_by_group: dict[str, int]
    items: list[ItemView]
    divergent: list[str]  # most important first
    star: RoleStar
    notes: list[str]


class _Tally:
    """Each group's raw answers, per item: importance ratings, respondents, top-three picks."""

    def __init__(self, answers: Answers) -> None:
        self.importance: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.answered: dict[tuple[str, str], int] = defaultdict(int)
        self.top3: dict[tuple[str, str], int] = defaultdict(int)
        self.star: dict[tuple[str, str], list[float]] = defaultdict(list)
        for response in answers.responses:
            group = response.respondent.group
            for item_id, answer in response.inventory.items():
                self.answered[item_id, group] += 1
                if isinstance(answer.importance, int):
                    self.importance[item_id, group].append(answer.importance)
                if answer.happening in STAR_SCORE:
                    self.star[item_id, group].append(STAR_SCORE[answer.happening])
            for item_id in response.top3:
                self.top3[item_id, group] += 1


def _scaled(value: float | None) -> float:
    return NEUTRAL if value is None else (value - 1) / 3


def _study_mean(kb: KnowledgeBase, item_id: str, group: str) -> float | None:
    table = kb.study.importance.get("stakeholder")
    return None if table is None else table.means.get(group, {}).get(item_id)


def _group_views(item_id: str, groups: list[str], facts: FactSet, tally: _Tally,
                 kb: KnowledgeBase) -> list[GroupView]:
    summary = facts.items[item_id]
    views = []
    for group in groups:
        key = (item_id, group)
        if not (tally.answered[key] or tally.top3[key]):
            continue
        ratings = tally.importance[key]
        views.append(GroupView(group=group, happening=summary.by_group.get(group),
                               importance=round(mean(ratings), 2) if ratings else None,
                               respondents=tally.answered[key], top3=tally.top3[key],
                               study_importance=_study_mean(kb, item_id, group)))
    return views


def _divergence(views: list[GroupView], answers: dict[str, frozenset[str]]) -> tuple[list[str], bool, float | None]:
    """The yes/no split is the engine's own (facts.ItemSummary.divergent): individual answers, not means."""
    reasons = []
    yes = [GROUP_TITLES[v.group] for v in views if "yes" in answers.get(v.group, ())]
    no = [GROUP_TITLES[v.group] for v in views if "no" in answers.get(v.group, ())]
    split = any(a != b for a in yes for b in no)
    if split:
        reasons.append(f"{' and '.join(no)} say no; {' and '.join(yes)} say yes")
    rated = sorted(((v.importance, n, v.group) for n, v in enumerate(views) if v.importance is not None),
                   key=lambda r: r[0])
    gap = round(rated[-1][0] - rated[0][0], 2) if len(rated) >= 2 else None
    if gap is not None and gap >= IMPORTANCE_GAP:
        (low, _, lo_g), (high, _, hi_g) = rated[0], rated[-1]
        reasons.append(f"importance {gap:g} points apart ({GROUP_TITLES[hi_g]} {high:g}, "
                       f"{GROUP_TITLES[lo_g]} {low:g})")
    return reasons, split, gap


def _priority(views: list[GroupView], split: bool, gap: float | None) -> tuple[float, float | None]:
    rated = [v.importance for v in views if v.importance is not None]
    local = 1.0 if any(v.top3 for v in views) else _scaled(max(rated)) if rated else NEUTRAL
    study_values = [v.study_importance for v in views if v.study_importance is not None]
    study = round(mean(study_values), 2) if study_values else None
    severity = 1.0 if split else (gap or 0.0) / 3
    score = (WEIGHTS["local"] * local + WEIGHTS["study"] * _scaled(study)
             + WEIGHTS["severity"] * min(severity, 1.0))
    return round(score, 3), study


def _locator(kb: KnowledgeBase, item_id: str) -> str:
    item = kb.items[item_id]
    domain = next(d.heading for d in kb.domains if d.id == item.domain)
    return f"Chapter 3 › {domain}" + (f" › {item.heading}" if item.heading != domain else "")


def item_view(item_id: str, groups: list[str], facts: FactSet, tally: _Tally, kb: KnowledgeBase) -> ItemView:
    summary = facts.items[item_id]
    views = _group_views(item_id, groups, facts, tally, kb)
    reasons, split, gap = _divergence(views, summary.group_answers)
    priority, study = _priority(views, split, gap)
    item = kb.items[item_id]
    return ItemView(id=item_id, short=item.short, text=item.text, happening=summary.happening,
                    importance=summary.importance, groups=views, divergent=bool(reasons), divergence=reasons,
                    importance_gap=gap, study_importance=study, priority=priority,
                    locator=_locator(kb, item_id))


def role_star(star: RoleStarFile, groups: list[str], tally: _Tally, kb: KnowledgeBase) -> RoleStar:
    """Score every group on every axis of the star (None where it answered none of the axis's items)."""
    lines = []
    for group in groups:
        scores: list[float | None] = []
        answered: list[int] = []
        for axis in star.axes:
            values = [1.0 - v if item_id in axis.inverse else v
                      for item_id in axis.items for v in tally.star[item_id, group]]
            scores.append(round(mean(values), 2) if values else None)
            answered.append(len(values))
        lines.append(StarLine(group=group, title=GROUP_TITLES[group], scores=scores, answered=answered))
    axes = [StarAxisOut(id=a.id, title=a.title, about=a.about, items=list(a.items), inverse=list(a.inverse),
                        evidence=[EvidenceOut(locator=e.locator, excerpt=e.excerpt) for e in a.evidence])
            for a in star.axes]
    evidence = [EvidenceOut(locator=e.locator, excerpt=e.excerpt) for e in star.evidence]
    left_out = [StarLeftOut(item=x.item, short=kb.items[x.item].short, reason=x.reason) for x in star.left_out]
    return RoleStar(axes=axes, lines=lines, evidence=evidence, left_out=left_out)


def _notes(groups: list[str], answers: Answers) -> list[str]:
    if not answers.responses:
        return ["The file has no responses: there is nothing to compare yet."]
    if len(groups) < 2:
        return ["Only one stakeholder group answered, so no item can diverge; the role star is meant to be "
                "completed by a range of stakeholders (Chapter 5 › Organisational learning tools)."]
    return []


def build_consensus(answers: Answers, kb: KnowledgeBase) -> Consensus:
    """Compare the stakeholder groups in ANSWERS: per-item views, divergent items ranked, the role star.

    Pure apart from reading knowledge/role_star.yaml once per knowledge base root (cached). Works on
    any valid answers file, including one saved by `assess`; with fewer than two groups nothing can
    diverge and `notes` says so.
    """
    facts = build_facts(answers)
    tally = _Tally(answers)
    present = {r.respondent.group for r in answers.responses}
    groups: list[str] = [g for g in vocab.GROUPS if g in present]
    order = {item_id: n for n, item_id in enumerate(vocab.ITEM_IDS)}
    items = [item_view(i, groups, facts, tally, kb) for i in sorted(facts.items, key=order.__getitem__)]
    ranked = sorted((i for i in items if i.divergent), key=lambda i: (-i.priority, order[i.id]))
    counts = {g: sum(1 for r in answers.responses if r.respondent.group == g) for g in groups}
    ctx = answers.context
    return Consensus(organisation=answers.organisation, stage=answers.stage, employer=ctx.employer,
                     setting=ctx.setting, respondents=len(answers.responses), groups=groups,
                     respondents_by_group=counts, items=items, divergent=[i.id for i in ranked],
                     star=role_star(load_role_star(kb.root.resolve()), groups, tally, kb),
                     notes=_notes(groups, answers))
