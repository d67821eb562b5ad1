"""The survey written out: a CSV header, a workbook with drop-downs, or Markdown for a form builder.

Each renderer takes the questions of `template.build_survey` and returns the file's content.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from .template import TOP3_TYPED, SurveyQuestion, header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

RESPONSE_ROWS = 200  # rows of the response sheet that get drop-downs
SHEET_RESPONSES = "Responses"
SHEET_QUESTIONS = "Questions"
STUDY = ("Gillard S, et al. New ways of working in mental health services. NIHR Health Services and Delivery "
         "Research 2014;2(19), Appendix 1")


def render_csv(questions: list[SurveyQuestion]) -> str:
    """The header row: one column per question, for a spreadsheet or a survey tool's import."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(header(questions))
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------- Markdown
def render_md(questions: list[SurveyQuestion]) -> str:
    """The questions in order, each title starting with its column code, for pasting into a form builder."""
    by_part = {q.part: q.answers for q in questions if q.part}
    lines = ["# The peer worker inventory", "",
             f"The 40 items of the study's structured interview ({STUDY}), each asked twice: A, is it "
             "happening here, and B, how important is it. Build one form question per entry below, in this "
             "order. **Start every question's title with its code exactly as written here** (for example "
             "`1.1 A: Formal recruitment`): `peeradvisor import` finds each answer by that code and ignores "
             "the rest of the title, so the wording after it may be changed.", "",
             "Every A question takes one of these answers (one per line, to paste as the options):", "",
             "```text", *by_part["A"], "```", "",
             "Every B question takes one of these:", "", "```text", *by_part["B"], "```", "",
             "Make no question other than `group` required: a respondent may leave any item unanswered.", ""]
    section = ""
    for q in questions:
        if q.section and q.section != section:
            section = q.section
            lines += [f"## {section}", ""]
        elif not q.section and section:
            section = ""
            lines += ["## Your top three", ""]
        lines += _md_question(q)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_question(q: SurveyQuestion) -> list[str]:
    title = [q.title, ""]
    if q.kind == "text":
        return [f"### {q.header}", "", *title, "Text, optional.", ""]
    if q.kind == "items":
        return [f"### {q.header}", "", *title,
                "Multiple choice (several answers), at most three, from these options. (Or a text question: "
                f"{TOP3_TYPED[0].lower()}{TOP3_TYPED[1:]})", "",
                "```text", *q.answers, "```", ""]
    if q.part:
        return [f"### {q.header}", "", *title, f"Choice: the {q.part} answers.", ""]
    return [f"### {q.header}", "", *title, "Choice, required, one of:", "", "```text", *q.answers, "```", ""]


# ----------------------------------------------------------------------------------------------- XLSX
def render_xlsx(questions: list[SurveyQuestion]) -> bytes:
    """A workbook: the response sheet (header, drop-downs on the answer cells) and the questions in full."""
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "peeradvisor"
    book.properties.title = "The peer worker inventory"
    _responses_sheet(book.worksheets[0], questions)
    _questions_sheet(book.create_sheet(SHEET_QUESTIONS), questions)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _responses_sheet(sheet: Worksheet, questions: list[SurveyQuestion]) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet.title = SHEET_RESPONSES
    sheet.append(header(questions))
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 48
    for index, q in enumerate(questions, start=1):
        column = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[column].width = 40 if q.kind == "items" else 16
        cells = f"{column}2:{column}{RESPONSE_ROWS + 1}"
        if q.kind == "choice":
            listed = ",".join(q.answers)
            check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=not q.required,
                                   showErrorMessage=True, errorTitle="Not one of the answers",
                                   error=f"Choose from the list: {', '.join(q.answers)}.")
        else:
            check = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="200",
                                   allow_blank=True)
        check.promptTitle = q.header if len(q.header) <= 32 else q.header[:31] + "…"  # Excel's limit
        check.prompt = (f"{q.question} {TOP3_TYPED}" if q.kind == "items" else q.question)[:255]
        check.showInputMessage = True
        check.add(cells)
        sheet.add_data_validation(check)


def _questions_sheet(sheet: Worksheet, questions: list[SurveyQuestion]) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.append(["column", "question", "answers", "section"])
    for q in questions:
        answers = "free text, optional" if q.kind == "text" else " | ".join(q.answers)
        if q.kind == "items":
            answers = TOP3_TYPED
        sheet.append([q.header, q.question, answers, q.section])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (34, 90, 60, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.append([])
    sheet.append([f"Source: {STUDY}. One respondent per row of the {SHEET_RESPONSES} sheet; then "
                  "peeradvisor import FILE.xlsx --context CONTEXT.yaml -o ANSWERS.yaml"])
