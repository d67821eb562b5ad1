"""`peeradvisor why ID FILE` and `peeradvisor why-not ID FILE`: explain one finding, or its absence.

FILE is an answers file or `scenario:NAME`. `why` gives the finding's reasons, the chain of derived
facts behind it (each with the rule that concluded it and that rule's own reasons) and the evidence.
`why-not` checks each condition of the rule against the answers and, for derived facts it needed,
why the rules that would have concluded them did not fire; a rule replaced by a more specific finding
says which.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from peeradvisor import safe_text
from peeradvisor.cli_errors import handle_errors
from peeradvisor.commands.common import echo
from peeradvisor.commands.params import KbOption
from peeradvisor.render.formats import DataFormat

if TYPE_CHECKING:
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


def why(finding_id: FindingId, target: Target, fmt: FormatOption = DataFormat.text, kb: KbOption = None) -> None:
    """Explain a finding: its reasons, the derived facts it built on, and the evidence."""
    from peeradvisor.analysis.why import why_data, why_of
    from peeradvisor.render.why import why_text

    knowledge, rule, run, _ = _prepare(kb, finding_id, target)
    result = why_of(rule, run, knowledge)
    text = safe_text.json_dumps(why_data(result), indent=2) if fmt == DataFormat.json \
        else why_text(result, _width())
    echo(text)


def why_not(finding_id: FindingId, target: Target, fmt: FormatOption = DataFormat.text,
            kb: KbOption = None) -> None:
    """Explain why a rule did not fire: each condition met or not, and the derived facts it lacked."""
    from peeradvisor.analysis.why import why_not_of
    from peeradvisor.analysis.whynot import verdict_data
    from peeradvisor.render.why import whynot_text

    knowledge, rule, run, source = _prepare(kb, finding_id, target)
    result = why_not_of(rule, run, knowledge)
    if fmt == DataFormat.json:
        data = {"format": "peeradvisor/whynot@1", "source": source, "fired": result.fired,
                **verdict_data(result.verdict)}
        if result.replaced_by is not None:
            data["replaced_by"] = {"id": result.replaced_by.id, "title": result.replaced_by.title,
                                   "rank": result.replaced_by.rank}
        echo(safe_text.json_dumps(data, indent=2))
        return
    echo(whynot_text(result, source, _width()))


def _prepare(kb_root: Path | None, rule_id: str, target: str) -> tuple[KnowledgeBase, Rule, Run, str]:
    from peeradvisor.analysis.whatif import load_data
    from peeradvisor.analysis.why import Run, find_rule
    from peeradvisor.answers import answers_from_data
    from peeradvisor.kb import load_kb

    knowledge = load_kb(kb_root)
    rule = find_rule(knowledge, rule_id)
    data, source = load_data(target, knowledge.root)
    return knowledge, rule, Run.of(answers_from_data(data, source), knowledge), source


def _width() -> int:
    from peeradvisor.console import make_console

    return make_console().width or 80
