"""`peeradvisor why ID FILE` and `peeradvisor why-not ID FILE`: explain one finding, or its absence.

FILE is an answers file or `scenario:NAME`. `why` gives the finding's reasons, the chain of derived
facts behind it (each with the rule that concluded it and that rule's own reasons) and the evidence.
`why-not` checks each condition of the rule against the answers and, for derived facts it needed,
why the rules that would have concluded them did not fire; a rule replaced by a more specific finding
says which. `--set PATH=VALUE` asks under a what-if change, so a surprise in `advise --set` or a
step-through can be explained under the same change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor import safe_text
from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.common import echo
from peeradvisor.commands.params import KbOption, SetOption
from peeradvisor.render.formats import DataFormat

if TYPE_CHECKING:
    from peeradvisor.analysis.whatif import Change
    from peeradvisor.analysis.why import Run
    from peeradvisor.kb.loader import KnowledgeBase
    from peeradvisor.kb.models import Rule

Target = Annotated[str, typer.Argument(metavar="FILE", help="Answers file, or scenario:NAME.",
                                       show_default=False)]
FindingId = Annotated[str, typer.Argument(metavar="FINDING_ID", help="A rule id (see `peeradvisor rules`).",
                                          show_default=False)]
FormatOption = Annotated[DataFormat, typer.Option("--format", "-f", help="Output format.")]


def register(app: typer.Typer) -> None:
    app.command("why")(handle_errors(why))
    app.command("why-not")(handle_errors(why_not))


def why(finding_id: FindingId, target: Target, fmt: FormatOption = DataFormat.text, sets: SetOption = None,
        kb: KbOption = None) -> None:
    """Explain a finding: its reasons, the derived facts it built on, and the evidence."""
    from peeradvisor.analysis.why import why_data, why_of
    from peeradvisor.render.why import why_text

    knowledge, rule, run, asked = _prepare(kb, finding_id, target, sets or [])
    if asked.changes and not run.fired(rule.id):
        from peeradvisor.errors import UsageError

        again = " ".join(f"--set {c.path}={c.raw}" for c in asked.changes)
        raise UsageError(f"{rule.id} did not fire with {again}; `peeradvisor why-not {rule.id} {target} "
                         f"{again}` shows which conditions are not met")
    result = why_of(rule, run, knowledge)
    if fmt == DataFormat.json:
        echo(safe_text.json_dumps({**why_data(result), **asked.data()}, indent=2))
        return
    echo(asked.banner(knowledge, _width()) + why_text(result, _width()))


def why_not(finding_id: FindingId, target: Target, fmt: FormatOption = DataFormat.text, sets: SetOption = None,
            kb: KbOption = None) -> None:
    """Explain why a rule did not fire: each condition met or not, and the derived facts it lacked."""
    from peeradvisor.analysis.why import why_not_of
    from peeradvisor.analysis.whynot import verdict_data
    from peeradvisor.render.why import whynot_text

    knowledge, rule, run, asked = _prepare(kb, finding_id, target, sets or [])
    result = why_not_of(rule, run, knowledge)
    source = asked.label
    if fmt == DataFormat.json:
        data = {"format": "peeradvisor/whynot@1", "source": asked.source, **asked.data(), "fired": result.fired,
                **verdict_data(result.verdict)}
        if result.replaced_by is not None:
            data["replaced_by"] = {"id": result.replaced_by.id, "title": result.replaced_by.title,
                                   "rank": result.replaced_by.rank}
        echo(safe_text.json_dumps(data, indent=2))
        return
    echo(asked.banner(knowledge, _width()) + whynot_text(result, source, _width()))


@dataclass(frozen=True)
class Asked:
    """What a question was asked about: the answers' source, and the what-if changes made first."""

    source: str
    original: dict[str, Any]
    changes: tuple[Change, ...] = ()

    @property
    def label(self) -> str:
        return self.source + (" with the changes above" if self.changes else "")

    def data(self) -> dict[str, Any]:
        return {"changes": [{"path": c.path, "value": c.raw} for c in self.changes]} if self.changes else {}

    def banner(self, kb: KnowledgeBase, width: int) -> str:
        """`What if: Often short-staffed: no (was yes)` and a blank line, or nothing."""
        if not self.changes:
            return ""
        from peeradvisor.render.plain import Plain
        from peeradvisor.render.why import what_if_banner

        plain = Plain.of(kb)
        return what_if_banner([plain.change(c, self.original) for c in self.changes], width)


def _prepare(kb_root: Path | None, rule_id: str, target: str, sets: list[str]
             ) -> tuple[KnowledgeBase, Rule, Run, Asked]:
    from peeradvisor.analysis.trace import changed_answers
    from peeradvisor.analysis.whatif import load_data
    from peeradvisor.analysis.why import Run, find_rule
    from peeradvisor.kb import load_kb

    knowledge = load_kb(kb_root)
    rule = find_rule(knowledge, rule_id)
    data, source = load_data(target, knowledge.root)
    answers, changes = changed_answers(data, source, sets)
    return knowledge, rule, Run.of(answers, knowledge), Asked(source, data, changes)


def _width() -> int:
    from peeradvisor.console import make_console

    return make_console().width or 80
