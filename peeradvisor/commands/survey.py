"""`peeradvisor survey`, `import` and `merge`: many respondents through the tools they already use.

`survey` writes the questionnaire for a survey tool or a spreadsheet, `import` turns the export (one
respondent per row) into an answers file, `merge` joins answers files of one service. The logic lives in
peeradvisor/respondents/; this module parses options, loads, calls, writes.
"""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from peeradvisor.cli_errors import handle_errors, say
from peeradvisor.commands.params import KbOption
from peeradvisor.errors import InputError, Problem, UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

    from peeradvisor.answers import Answers
    from peeradvisor.respondents.template import SurveyQuestion


class SurveyFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    md = "md"


OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", show_default=False, help="The file to write; without it, standard output.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")]


def register(app: typer.Typer) -> None:
    app.command("survey")(survey)
    app.command("import")(import_responses)
    app.command("merge")(merge)


@handle_errors
def survey(
    fmt: Annotated[SurveyFormat | None, typer.Option(
        "--format", "-f", show_default=False,
        help="csv: the header row for a spreadsheet or survey tool; xlsx: a workbook with drop-downs and the "
             "questions in full; md: the questions in order for a form builder. Default: from the output's "
             "name, else csv.")] = None,
    output: OutputOption = None,
    force: ForceOption = False,
    kb: KbOption = None,
) -> None:
    """Write the questionnaire for an online form or a spreadsheet, one column per question."""
    from peeradvisor.kb import load_kb
    from peeradvisor.kb.questions import load_questionnaire
    from peeradvisor.respondents import forms
    from peeradvisor.respondents.template import build_survey

    chosen = fmt or _format_from(output)
    if chosen == SurveyFormat.xlsx and output is None:
        raise UsageError("--format xlsx makes a binary file; give --output FILE.xlsx")
    knowledge = load_kb(kb)
    questions = build_survey(load_questionnaire(knowledge), knowledge)
    renderers: dict[SurveyFormat, Callable[[list[SurveyQuestion]], str | bytes]] = {
        SurveyFormat.csv: forms.render_csv, SurveyFormat.md: forms.render_md, SurveyFormat.xlsx: forms.render_xlsx}
    _write(renderers[chosen](questions), output, (), force)


def _format_from(output: Path | None) -> SurveyFormat:
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    return SurveyFormat(suffix) if suffix in SurveyFormat.__members__ else SurveyFormat.csv


@handle_errors
def import_responses(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", show_default=False,
        help="The survey export: .csv (UTF-8 or Windows-1252; comma or semicolon) or .xlsx, one respondent "
             "per row, a header row first.")],
    context: Annotated[Path, typer.Option(
        "--context", metavar="CONTEXT.yaml", show_default=False,
        help="An answers file without responses: format, organisation, stage and context of the service.")],
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Turn a survey export (CSV or XLSX, one respondent per row) into an answers file."""
    from peeradvisor.answers import answers_from_data, load_answers
    from peeradvisor.respondents.importer import notes, read_responses
    from peeradvisor.respondents.merge import service_fields
    from peeradvisor.respondents.tables import read_table

    _check_output(output, (file, context), force)
    service = load_answers(context)
    imported = read_responses(read_table(file))
    data = {**service_fields(service), "responses": imported.responses}
    answers = answers_from_data(data, str(file))  # the file is contract-valid before it is written
    messages = notes(imported)
    if service.responses:
        messages.append(f"{context} has {len(service.responses)} response(s) of its own; import takes only its "
                        f"organisation, stage and context. To add them: peeradvisor merge {context} "
                        f"{output or 'ANSWERS.yaml'} -o ALL.yaml")
    _summary(f"Read {_who(answers)} from {file}", messages)
    header = f"# Imported by `peeradvisor import` from {file.name} (contract: peeradvisor/answers@1).\n"
    _write(header + _dump(data), output, (file, context), force)


@handle_errors
def merge(
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", show_default=False,
        help="Answers files of one service (same organisation, stage and context).")],
    output: OutputOption = None,
    allow_duplicates: Annotated[bool, typer.Option(
        "--allow-duplicates", help="Join even when two files have a respondent with the same label.")] = False,
    force: ForceOption = False,
) -> None:
    """Join answers files of one service (from assess on several machines, or several imports) into one."""
    from peeradvisor.answers import answers_from_data
    from peeradvisor.respondents.merge import merge as join

    if len(files) < 2:
        raise UsageError("give two or more answers files to join")
    _check_output(output, tuple(files), force)
    loaded = _load_all(files)
    merged = join([(str(path), answers) for path, answers in loaded], allow_duplicates=allow_duplicates)
    answers = answers_from_data(merged.data, "the joined file")
    _summary(f"Joined {_who(answers)} from {len(files)} files", merged.notes)
    names = ", ".join(p.name for p in files)
    header = f"# Joined by `peeradvisor merge` from {names} (contract: peeradvisor/answers@1).\n"
    _write(header + _dump(merged.data), output, tuple(files), force)


def _load_all(files: list[Path]) -> list[tuple[Path, Answers]]:
    """Every file loaded; the problems of all of them reported together."""
    from peeradvisor.answers import load_answers

    seen: dict[Path, Path] = {}
    loaded, problems = [], []
    for path in files:
        resolved = path.resolve()
        if resolved in seen:
            also = f" (also as {seen[resolved]})" if str(seen[resolved]) != str(path) else ""
            raise UsageError(f"{path} is given twice{also}; its responses would count twice")
        seen[resolved] = path
        try:
            loaded.append((path, load_answers(path)))
        except InputError as exc:
            problems += [Problem(p.message, p.path, source=p.source or exc.source) for p in exc.problems]
    if problems:
        raise InputError(str(files[0]), problems=problems)
    return loaded


# ------------------------------------------------------------------------------------------ writing
def _check_output(output: Path | None, inputs: tuple[Path, ...], force: bool) -> None:
    from peeradvisor.commands.common import guard_output

    if output is None:
        return
    guard_output(output, inputs)
    if output.exists() and not force:
        raise UsageError(f"{output} already exists; give --force to replace it, or another --output")


def _write(data: str | bytes, output: Path | None, inputs: tuple[Path, ...], force: bool) -> None:
    from peeradvisor.commands.common import emit

    _check_output(output, inputs, force)
    emit(data, output, inputs)


def _dump(data: dict[str, Any]) -> str:
    from peeradvisor.yamlio import dump_yaml

    return dump_yaml(data, compact=True)


def _who(answers: Answers) -> str:
    groups = Counter(r.respondent.group.replace("_", " ") for r in answers.responses)
    counts = ", ".join(f"{n} {g}{'s' if n > 1 else ''}" for g, n in groups.items())
    return f"{len(answers.responses)} respondent(s)" + (f" ({counts})" if counts else "")


def _summary(headline: str, notes: list[str]) -> None:
    say(headline)
    for note in notes:
        say(f"Note: {note}")
