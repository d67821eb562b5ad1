"""The engine's reasoning for a trainer: each step in plain words, the facts so far, the end, the keys.

Every screen is built as a list of `Line`s (text, style, indent) and wrapped here to the width, so its
height is known: the scrolling view prints them one after another, the presenter view (`screen`) fits
one step on an 80×24 terminal with a header and a footer. Plain words by default (no rule ids or fact
names); `detail` adds them for an analyst.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from peeradvisor.analysis.steps import Shown, Step, concluded_by, fact_family
from peeradvisor.analysis.trace import Trace
from peeradvisor.analysis.whatif import show_value
from peeradvisor.console import CAVEAT, HEADING, KIND_STYLE, MUTED, STRENGTH
from peeradvisor.core.describe import describe_fact
from peeradvisor.engine.facts import ContextFact, DerivedFact, DivergentFact, Fact, ItemFact, MeasureFact, facts_of
from peeradvisor.kb.conditions import (
    AllCondition,
    AnyCondition,
    ContextCondition,
    DerivedCondition,
    ItemCondition,
    NotCondition,
)
from peeradvisor.render.plain import Plain

DERIVE = STRENGTH  # the named style a conclusion is shown in
ACTION = {"barrier": "Recognises a barrier", "facilitator": "Recognises a facilitator", "risk": "Spots a risk",
          "conclusion": "Draws a conclusion", "warning": "Gives a warning",
          "recommendation": "Gives a recommendation", "strength": "Notes a strength", "caveat": "Adds a caveat"}
KIND_WORDS = {"warning": "warning", "recommendation": "recommendation", "strength": "strength", "caveat": "caveat"}
CONTENT = 15  # the most lines of content a presenter screen shows (title and body)


@dataclass(frozen=True)
class Line:
    text: str
    style: str | None = None
    indent: int = 0
    hang: int = 2


def wrap(lines: list[Line], width: int) -> list[tuple[str, str | None]]:
    """Lines wrapped to WIDTH with hanging indents: (text, style) per terminal row."""
    out: list[tuple[str, str | None]] = []
    for line in lines:
        rows = textwrap.wrap(line.text, max(20, width - 1), initial_indent=" " * line.indent,
                             subsequent_indent=" " * (line.indent + line.hang), break_on_hyphens=False) or [""]
        out += [(row, line.style) for row in rows]
    return out


@dataclass(frozen=True)
class Words:
    """Everything a screen is worded from: the trace, its view, plain words, and how much detail."""

    trace: Trace
    view: list[Shown]
    plain: Plain
    detail: bool = False

    @property
    def total(self) -> int:
        return len(self.view)

    # ------------------------------------------------------------------ the pieces of a step
    def action(self, step: Step) -> str:
        key = fact_family(step.concluded) if step.concluded else step.kind
        return ACTION.get(key, step.kind)

    def style(self, step: Step) -> str:
        return DERIVE if step.kind == "derive" else KIND_STYLE.get(step.kind, CAVEAT)

    def header(self, shown: Shown) -> str:
        extra = f" · {shown.step.rule_id}" if self.detail else ""
        return f"Step {shown.number} of {self.total} · {self.action(shown.step)}{extra}"

    def reasons(self, shown: Shown) -> list[str]:
        """Why the step's rule fired: the answers that matched, earlier conclusions, what did not hold."""
        step, trace = shown.step, self.trace
        if self.detail:
            out = list(step.matched)
            out += [f"uses {name} (step {at if at is not None else '?'})" for name, at in shown.uses]
            return out + list(step.holds)
        firing = trace.firings[step.number - 1]
        rule = self.plain.kb.rule(step.rule_id)
        rated = _rated_items(rule.conditions())
        out = list(dict.fromkeys(
            self.plain.fact(f, trace.facts, ratings=not isinstance(f, ItemFact) or f.id in rated)
            for f in firing.matched if not isinstance(f, DerivedFact)))
        out += [f"builds on step {at}: {self.plain.conclusion(name)}" if at is not None
                else f"builds on: {self.plain.conclusion(name)}" for name, at in shown.uses]
        for cond in rule.when:
            if isinstance(cond, NotCondition) and isinstance(cond.not_, DerivedCondition):
                out.append(f"and no step concluded that {self.plain.conclusion(cond.not_.derived)}")
            elif isinstance(cond, NotCondition):
                out.append(f"and {self.plain.condition(cond)}")
            elif isinstance(cond, ContextCondition) and cond.known is False:
                out.append(self.plain.condition(cond))
        return out

    def outcome(self, shown: Shown, brief: bool = False) -> list[Line]:
        """What the step adds: a conclusion (and who else reached it), or a finding and its place
        (BRIEF: the other ways to the same conclusion counted, not named)."""
        step = shown.step
        if step.concluded:
            name = f" ({step.concluded})" if self.detail else ""
            out = [Line(f"Concludes: {self.plain.conclusion(step.concluded)}{name}", HEADING, 2, 4)]
            out += self._also(shown, brief)
            if shown.used_by:
                steps = "step" if len(shown.used_by) == 1 else "steps"
                out.append(Line(f"Used at {steps} {_numbers(shown.used_by)}.", MUTED, 2, 4))
            return out
        if shown.replaced_by:
            by = next((s for s in self.view if s.step.rule_id == shown.replaced_by), None)
            where = f" (step {by.number})" if by else ""
            title = self.plain.kb.rule(shown.replaced_by).title
            ident = f" {shown.replaced_by}" if self.detail else ""
            return [Line(f"Not in the report: the more specific finding{ident}{where} replaces it: “{title}”.",
                         MUTED, 2, 4)]
        again = f" (reached {len(shown.also) + 1} ways)" if shown.also and not brief else ""
        rank = f"In the report at #{shown.rank}{again}." if shown.rank else "Not in the report."
        replaces = [s for s in self.view if s.replaced_by == step.rule_id]
        if replaces:
            which = f"finding (step {replaces[0].number})" if len(replaces) == 1 else \
                f"findings (steps {_numbers(tuple(s.number for s in replaces))})"
            rank += f" It replaces a more general {which}."
        return [Line(rank, MUTED, 2, 4)]

    def _also(self, shown: Shown, brief: bool = False) -> list[Line]:
        if not shown.also:
            return []
        if brief:
            ways = len(shown.also)
            return [Line(f"Also reached {ways} other way{'' if ways == 1 else 's'} (--all-steps shows "
                         f"{'it' if ways == 1 else 'each'}).", MUTED, 2, 4)]
        others = list(dict.fromkeys(s.rule_id for s in shown.also if s.rule_id != shown.step.rule_id))
        same = sum(1 for s in shown.also if s.rule_id == shown.step.rule_id)
        names = [(r if self.detail else f"“{self.plain.kb.rule(r).title}”") for r in others]
        if same:
            names.append(f"this rule on other answers{'' if same == 1 else f' ({same} more ways)'}")
        return [Line("Also concluded by " + "; ".join(names) + ".", MUTED, 2, 4)]

    # ------------------------------------------------------------------ whole screens
    def step_lines(self, shown: Shown) -> list[Line]:
        """A step for the scrolling view: header, title, reasons, what it adds."""
        reasons = [Line("Because:", None, 2)] + [Line(f"- {r}", None, 4, 2) for r in self.reasons(shown)]
        return [Line(self.header(shown), self.style(shown.step)), Line(shown.step.title, HEADING, 2, 2),
                *(reasons if len(reasons) > 1 else []), *self.outcome(shown)]

    def present_lines(self, shown: Shown, budget: int, width: int) -> list[Line]:
        """A step for a projector: a banner line, the title underlined, the reasons (cut to fit BUDGET
        rows, saying how many were left out) and what it adds, with room between them."""
        title_rows = wrap([Line(shown.step.title, HEADING, 0, 0)], width)
        rule = "━" * max(len(row) for row, _ in title_rows)
        header = f"STEP {shown.number} OF {self.total} · {self.action(shown.step).upper()}"
        header += f" · {shown.step.rule_id}" if self.detail else ""
        head = [Line(header, self.style(shown.step), 0, 0), Line(""),
                Line(shown.step.title, HEADING, 0, 0), Line(rule, HEADING, 0, 0), Line("")]
        tail = [Line(""), *(Line(x.text, x.style, 0, 2) for x in self.outcome(shown, brief=True))]
        every = self.reasons(shown)
        keep = len(every)
        while True:
            hidden = len(every) - keep
            body = [Line("Because", None, 0, 0), *[Line(f"• {r}", None, 2, 2) for r in every[:keep]]]
            if hidden:
                body.append(Line(f"… and {hidden} more: press s for every answer", MUTED, 2, 2))
            lines = head + (body if every else []) + tail
            if len(wrap(lines, width)) <= budget or keep == 0:
                return lines
            keep -= 1

    def banner(self) -> Line | None:
        """`What if: Often short-staffed: no (was yes)` (None when nothing was changed)."""
        trace = self.trace
        if not trace.changes:
            return None
        if self.detail:
            words = "; ".join(f"{c.path} = {c.raw or show_value(c.value)}" for c in trace.changes)
        else:
            words = "; ".join(self.plain.change(c, trace.original) for c in trace.changes)
        return Line(f"What if: {words}", CAVEAT, 0, 2)

    def intro(self, title: str, story: str, banner: bool = True) -> list[Line]:
        """The title, the story (or the answers' context), the what-if (BANNER) and what the steps hold."""
        out = [Line(title, HEADING, 0, 0)]
        out += [Line(" ".join(story.split()) or self.context_summary(), None, 0, 0)]
        what = self.banner() if banner else None
        out += [Line(""), *([what, Line("")] if what else [])]
        derives = sum(1 for s in self.view if s.step.kind == "derive")
        findings = len(self.trace.report.findings)
        folded = len(self.trace.steps) - self.total
        more = f" ({folded} repeats folded in; --all-steps shows them)" if folded else ""
        out.append(Line(f"{self.total} steps{more}: {derives} draw conclusions first (the study's barriers, "
                        f"facilitators and risks), then {self.total - derives} give findings; the report "
                        f"keeps {findings}.", MUTED, 0, 0))
        return out

    def context_summary(self) -> str:
        ctx, plain = self.trace.facts.context, self.plain
        parts = [plain.value(k, ctx[k]) for k in ("employer", "setting", "stage") if k in ctx]
        groups = [str(r.respondent.label or r.respondent.group.replace("_", " ")) for r in self.trace.answers.responses]
        who = f"{len(groups)} people answered ({', '.join(groups)})" if groups else "no inventory answers"
        return " · ".join([*parts, who])

    def facts_lines(self, at: int) -> list[Line]:
        """What the engine knows at view step AT: the conclusions so far, then the answers it was given."""
        out = [Line(f"What the engine knows at step {at} of {self.total}" if at else
                    "What the engine knows before the first step", HEADING, 0, 0)]
        concluded = concluded_by(self.view, at)
        out.append(Line("Concluded so far:" if concluded else "Concluded so far: nothing yet.", None, 0, 0))
        for name, number in concluded:
            extra = f" ({name})" if self.detail else ""
            out.append(Line(f"- {self.plain.conclusion(name)}{extra} (step {number})", DERIVE, 2, 2))
        facts = facts_of(self.trace.facts)

        def describe(fact: Fact) -> str:
            return describe_fact(fact, self.trace.facts) if self.detail else self.plain.fact(fact, self.trace.facts)

        parts: dict[str, list[str]] = {"The service": [], "Supervision and support": [], "Culture": []}
        for fact in facts:
            if isinstance(fact, ContextFact):
                part = {"supervision": "Supervision and support", "culture": "Culture"}.get(
                    fact.field.split(".")[0], "The service")
                parts[part].append(describe(fact))
        measures = self.trace.facts.measures
        parts["Who answered"] = [describe(f) for f in facts if isinstance(f, MeasureFact) and f.name in
                                 ("respondents", "groups", "items_answered")] if self.detail else [
            f"{measures.get('respondents', 0):g} people in {measures.get('groups', 0):g} stakeholder groups, "
            f"{measures.get('items_answered', 0):g} inventory items answered"]
        out.append(Line("From the answers:", None, 0, 0))
        out += [Line(f"{name}: " + " · ".join(texts), None, 2, 2) for name, texts in parts.items() if texts]
        items = [describe(f) for f in facts if isinstance(f, ItemFact | DivergentFact)]
        if items:
            out.append(Line(f"The inventory, pooled over {len(self.trace.answers.responses)} people:", None, 0, 0))
            out += [Line(f"- {x}", None, 2, 2) for x in items]
        return out

    def end_lines(self, stopped: int | None = None, compare: bool = True) -> list[Line]:
        """The end: what the report gives, and (COMPARE) what the what-if changed."""
        report = self.trace.report
        if stopped is not None:
            return [Line(f"Stopped at step {stopped} of {self.total}.", MUTED)]
        counts = report.counts()
        kinds = ", ".join(f"{n} {KIND_WORDS[k]}{'' if n == 1 else 's'}" for k, n in counts.items() if n)
        out = [Line(f"Done: {self.total} steps. The report gives {len(report.findings)} findings"
                    f"{': ' + kinds if kinds else ''}.", HEADING, 0, 0)]
        top = report.findings[:5]
        if top:
            out.append(Line("First in the report:"))
            out += [Line(f"{f.rank}. {f.title}" + (f" ({f.id})" if self.detail else ""), None, 2, 3) for f in top]
        return out + (self.comparison_lines() if compare else [])

    def comparison_lines(self, banner: bool = True) -> list[Line]:
        """Before and after the what-if: the findings that disappear, appear or move (empty without one)."""
        result = self.trace.comparison()
        if result is None:
            return []
        out = [Line(""), Line("Before and after", HEADING, 0, 0), *(self.changes_lines() if banner else [])]
        if not result.changed:
            return [*out, Line("Nothing changes: the same findings, in the same order.")]

        def place(rank: str, finding_id: str) -> str:
            return f"({rank}, {finding_id})" if self.detail else f"({rank})"

        sections = [
            ("Disappear", [f"{t} {place(f'was #{r}', i)}" for i, _, t, r in result.disappeared]),
            ("Appear", [f"{t} {place(f'now #{r}', i)}" for i, _, t, r in result.appeared]),
            ("Move", [f"{m.title} {place(f'#{m.before} → #{m.after}', m.id)}" for m in result.moved]),
            ("No longer concluded", [self.plain.conclusion(x) for x in result.derived_lost]),
            ("Now concluded", [self.plain.conclusion(x) for x in result.derived_gained]),
        ]
        for title, rows in sections:
            if rows:
                out += [Line(""), Line(f"{title} ({len(rows)}):", None, 0, 0)]
                out += [Line(f"- {row}", None, 2, 2) for row in rows]
        return [*out, Line(""), Line(f"Unchanged: {result.unchanged} findings keep their place.", MUTED, 0, 0)]

    def changes_lines(self) -> list[Line]:
        """The what-if, one change a line when there are several."""
        trace = self.trace
        if len(trace.changes) < 2:
            banner = self.banner()
            return [banner] if banner else []
        words = [f"{c.path} = {c.raw or show_value(c.value)}" if self.detail else self.plain.change(c, trace.original)
                 for c in trace.changes]
        return [Line("What if:", CAVEAT, 0, 0), *[Line(f"- {w}", CAVEAT, 2, 2) for w in words]]


def help_lines(keys: bool) -> list[Line]:
    """The keys of the step view (KEYS: one key at a time; otherwise typed, then Enter)."""
    then = "" if keys else " (then Enter)"
    rows = [("Enter or space", "next step"), ("b", "back one step"), ("a number, Enter", "go to that step"),
            ("s", "what the engine knows at this step"), ("e", "the end: the report, and what changed"),
            ("?", "these keys"), ("q", "quit")]
    out = [Line(f"Keys{then}", HEADING)]
    out += [Line(f"{key:<17}{what}", None, 2, 19) for key, what in rows]
    return [*out, Line(""), Line("Press any key to go back to the step.", MUTED)]


def screen(title: str, banner: Line | None, body: list[Line], where: str, keys: str, status: str, width: int,
           height: int, progress: float) -> list[tuple[str, str | None]]:
    """A presenter screen of exactly HEIGHT rows: the title and what-if banner, the body (cut to fit), a
    status row, a rule with WHERE and a progress bar (PROGRESS 0..1), and the keys."""
    top = wrap([Line(_cut(title, width - 1), MUTED)], width)
    top += wrap([banner], width)[:2] if banner else [("", None)]
    bar = max(0, width - 1 - len(where) - 4)
    done = round(bar * max(0.0, min(1.0, progress)))
    rule = f"── {where} " + "━" * done + "─" * (bar - done)
    bottom = [(_cut(status, width - 1), CAVEAT), (rule, MUTED), (_cut(keys, width - 1), MUTED)]
    room = max(1, height - len(top) - len(bottom) - 1)
    rows = wrap(body, width)
    if len(rows) > room:
        rows = [*rows[: room - 1], ("…", MUTED)]
    return top + [("", None)] + rows + [("", None)] * (room - len(rows)) + bottom


def _rated_items(conditions: list[AnyCondition]) -> set[str]:
    """The items whose importance or top-three place a rule tests (their ratings are worth showing)."""
    out: set[str] = set()
    for cond in conditions:
        if isinstance(cond, ItemCondition) and (cond.importance_ge is not None or cond.importance_le is not None
                                                or cond.top3 is not None):
            out.add(cond.item)
        elif isinstance(cond, NotCondition):
            out |= _rated_items([cond.not_])
        elif isinstance(cond, AllCondition):
            out |= _rated_items(list(cond.all_))
    return out


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _numbers(numbers: tuple[int, ...]) -> str:
    words = [str(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
