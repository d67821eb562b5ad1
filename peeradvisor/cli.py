"""The command line: parse, load, call the core, render. Every command is a thin wrapper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_errors import DEBUG, handle_errors
from .commands.params import App, KbOption
from .commands.step_mode import AllStepsOption, NoPauseOption, PresentOption, StepOption
from .render.formats import ListFormat, ReportFormat

app = App(
    name="peeradvisor",
    help="Evidence-linked advice on introducing peer worker roles in mental health services "
         "(Gillard et al. 2014, NIHR HS&DR 2(19)).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)
rules_app = App(help="List, lint and measure the rules of the knowledge base.", no_args_is_help=False,
                        rich_markup_mode=None)
app.add_typer(rules_app, name="rules")



@app.callback()
def _root(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False
          ) -> None:
    DEBUG["on"] = debug


def _exit(code: int) -> None:
    if code:
        raise typer.Exit(code)


@app.command()
@handle_errors
def advise(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Answers file (YAML or JSON), or a folder of them.",
                                         show_default=False)],
    fmt: Annotated[ReportFormat, typer.Option(
        "--format", "-f", help="text: the findings on screen; md, html, docx: an advice memo; "
                               "json: the contract's report.")] = ReportFormat.text,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", show_default=False,
        help="Write here instead of stdout; for a FOLDER, the folder for its memos (required).")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="On screen: every finding in full, with its evidence, after the priorities.")] = False,
    detail: Annotated[bool, typer.Option(
        "--detail", help="For analysts: add rule ids, scores and the facts behind each finding.")] = False,
    date: Annotated[str | None, typer.Option(
        "--date", metavar="YYYY-MM-DD", show_default=False,
        help="Date of the memo; default: the assessment's date, else today.")] = None,
    since: Annotated[Path | None, typer.Option(
        "--since", metavar="OLD_FILE", show_default=False,
        help="The same service's earlier answers file, or the JSON report saved then: show what changed "
             "and why.")] = None,
    sets: Annotated[list[str] | None, typer.Option(
        "--set", metavar="PATH=VALUE", show_default=False,
        help="What if: change an answer (e.g. context.staffing_pressure=false) and show which findings "
             "disappear, appear or move. Repeatable; one file; text, md or json.")] = None,
    step: StepOption = False,
    present: PresentOption = False,
    no_pause: NoPauseOption = False,
    all_steps: AllStepsOption = False,
    levers: Annotated[bool, typer.Option(
        "--levers", help="The single changes to the answers given that would most improve the advice, each "
                         "with its --set line. One file; text, md or json.")] = False,
    kb: KbOption = None,
) -> None:
    """Give ranked, evidence-linked advice for an answers file, or a memo for each file of a folder."""
    if levers:
        from .commands.advise import advise_levers

        _exit(advise_levers(file, sets or [], fmt.value, output, kb))
        return
    if step or present:
        from .commands.step_mode import StepOptions, advise_steps

        options = StepOptions(fmt.value, not no_pause, present, all_steps, detail)
        _exit(advise_steps(file, sets or [], options, output, kb, show_all or date is not None or since is not None))
        return
    if sets:
        from .commands.advise import advise_what_if

        _exit(advise_what_if(file, sets, fmt.value, output, kb, detail))
        return
    from .commands.advise import advise as run

    _exit(run(file, fmt.value, output, show_all, kb, date, since, detail))


@app.command()
@handle_errors
def validate(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="Answers files to check.",
                                                show_default=False)],
) -> None:
    """Check answers files against the contract without advising."""
    from .commands.validate import validate as run

    _exit(run(files))


@rules_app.callback(invoke_without_command=True)
@handle_errors
def rules(
    ctx: typer.Context,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    kb: KbOption = None,
) -> None:
    """List every rule with its kind, themes, items and evidence."""
    if ctx.invoked_subcommand is None:
        from .commands.rules import list_rules

        _exit(list_rules(fmt.value, kb))


@rules_app.command("lint")
@handle_errors
def rules_lint(
    study: Annotated[Path | None, typer.Option(help="The study's text, to check locators and excerpts.")] = None,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="List the findings that no case or scenario gives.")] = False,
    kb: KbOption = None,
) -> None:
    """Check references, contradictions, limits, evidence, and the findings the cases never give."""
    from .commands.rules import lint_rules

    _exit(lint_rules(kb, study, verbose))


@rules_app.command("schema")
@handle_errors
def rules_schema() -> None:
    """Print the JSON schema of a rule file (for editors; committed as schema/rules.schema.json)."""
    from .commands.rules import print_schema

    _exit(print_schema())


@rules_app.command("coverage")
@handle_errors
def rules_coverage(
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    kb: KbOption = None,
) -> None:
    """Show which items, themes and Chapter 5 sections the rules reach."""
    from .commands.rules import show_coverage

    _exit(show_coverage(fmt.value, kb))


# Larger commands live in their own modules, each with `register(app)`; listed here, in help order.
_COMMAND_MODULES = ("assess", "survey", "scenarios", "explain_cmd", "consensus", "options")


def _register_commands() -> None:
    import importlib

    for name in _COMMAND_MODULES:
        importlib.import_module(f"{__package__}.commands.{name}").register(app)


_register_commands()


def main() -> None:
    import os

    # pydantic looks for plugins among every installed package's entry points on first validation (tens of
    # milliseconds at start-up); peeradvisor uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli_errors import check_stdout

    check_stdout()
    app()
