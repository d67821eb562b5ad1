"""Read a survey export (CSV or XLSX) into a header and rows of cells, within the answers files' limits.

CSV: UTF-8 with or without a byte-order mark, UTF-16 with one (Excel's "Unicode text"), or Windows-1252;
comma, semicolon or tab separated (found from the header row; Excel's `sep=;` first line is honoured).
XLSX: the first worksheet, read with openpyxl in read-only mode, formulas as their last computed values.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peeradvisor.errors import InputError
from peeradvisor.yamlio import MAX_BYTES, MAX_NODES, read_bytes

MAX_ROWS = 5_000  # respondents, plus the header
MAX_COLUMNS = 1_000
MAX_CELLS = MAX_NODES
MAX_UNZIPPED = 25 * MAX_BYTES  # an XLSX is a zip: its parts, unpacked, may not exceed this
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class Table:
    """The header row and the rows below it, numbered as a spreadsheet shows them (usually the header is row 1)."""

    source: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number, cells)


def read_table(path: Path) -> Table:
    """A CSV or XLSX file as a Table; refuses what is too large, binary, or not a table."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt", ".tsv"):
        raise InputError(source, "must be a .csv or .xlsx file (save or export the responses as one of these; "
                                 "an .xls or .ods workbook: save it as .xlsx)")
    data = read_bytes(path)
    if suffix == ".xlsx" or data.startswith(b"PK\x03\x04"):
        if suffix != ".xlsx":
            raise InputError(source, "is an Excel workbook, not CSV text; name it .xlsx")
        return _table(source, _xlsx_rows(source, data))
    return _table(source, _csv_rows(source, data))


def _table(source: str, rows: list[list[Any]]) -> Table:
    """The first row with anything in it is the header; rows keep the numbers a spreadsheet shows them with."""
    first = next((n for n, row in enumerate(rows) if any(_filled(c) for c in row)), None)
    if first is None:
        raise InputError(source, "has no header row")
    header = [("" if c is None else str(c)).strip() for c in rows[first]]
    while header and not header[-1]:
        header.pop()
    body = [(n + 1, cells) for n, cells in enumerate(rows) if n > first and any(_filled(c) for c in cells)]
    return Table(source, header, body)


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _check_size(source: str, rows: int, columns: int, cells: int) -> None:
    if rows > MAX_ROWS:
        raise InputError(source, f"has more than {MAX_ROWS:,} rows; is it really one service's responses?")
    if columns > MAX_COLUMNS:
        raise InputError(source, f"has more than {MAX_COLUMNS:,} columns; is it really a survey export?")
    if cells > MAX_CELLS:
        raise InputError(source, f"has more than {MAX_CELLS:,} cells; is it really one service's responses?")


# ------------------------------------------------------------------------------------------------ CSV
def decode(source: str, data: bytes) -> str:
    """The text of a CSV export, in the encodings survey tools and Excel really use."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(source, "starts like UTF-16 text but is not") from None
    if b"\x00" in data:
        raise InputError(source, "looks like a binary file, not CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(source, f"is neither UTF-8 nor Windows-1252 text (byte {exc.start})") from None


def _csv_rows(source: str, data: bytes) -> list[list[Any]]:
    text = decode(source, data)
    first, _, rest = text.partition("\n")
    if first.strip().lower().startswith("sep=") and len(first.strip()) == 5:  # Excel's separator line
        delimiter, text = first.strip()[4], rest
    else:
        delimiter = sniff(text)
    rows: list[list[Any]] = []
    cells = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for row in reader:
            rows.append(row)
            cells += len(row)
            _check_size(source, len(rows), len(row), cells)
    except csv.Error as exc:
        raise InputError(source, f"not valid CSV: line {reader.line_num}: {exc}") from None
    return rows


def sniff(text: str) -> str:
    """The separator that splits the header row into the most columns (comma when none does better)."""

    def columns(delimiter: str) -> int:
        try:
            return len(next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), []))
        except csv.Error:
            return 0

    return max(_DELIMITERS, key=columns)  # max keeps the first of equals: comma


# ----------------------------------------------------------------------------------------------- XLSX
def _xlsx_rows(source: str, data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    _check_zip(source, data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise InputError(source, f"cannot be read as an Excel workbook ({type(exc).__name__}); open it in Excel "
                                 "and save it again as an Excel Workbook (.xlsx)") from None
    try:
        if not book.worksheets:
            raise InputError(source, "has no worksheet to read")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some tools record the used range wrongly; read the rows as they are
        rows: list[list[Any]] = []
        cells = 0
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
            cells += len(values)
            _check_size(source, len(rows), len(values), cells)
        return rows
    finally:
        book.close()


def _check_zip(source: str, data: bytes) -> None:
    """Refuse a workbook that would unpack to far more than its size (a zip bomb) before parsing it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise InputError(source, "is not a valid .xlsx file (it is not a zip archive)") from None
    if unpacked > MAX_UNZIPPED:
        raise InputError(source, f"unpacks to {unpacked:,} bytes; the limit is {MAX_UNZIPPED:,}")
