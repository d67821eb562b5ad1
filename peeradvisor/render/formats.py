"""The output formats each kind of command offers: one enum per need, shared by every command."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """An assessment's advice: on screen, as a memo, or the contract's JSON."""

    text = "text"
    md = "md"
    html = "html"
    docx = "docx"
    json = "json"


class DocumentFormat(StrEnum):
    """A view that can be printed on screen, written as Markdown or HTML, or read by a program."""

    text = "text"
    json = "json"
    md = "md"
    html = "html"


class TextFormat(StrEnum):
    """A view for the screen, for a Markdown document, or for a program."""

    text = "text"
    json = "json"
    md = "md"


class DataFormat(StrEnum):
    """A view for the screen or for a program."""

    text = "text"
    json = "json"


class ListFormat(StrEnum):
    """A listing: a table on screen, or JSON."""

    table = "table"
    json = "json"
