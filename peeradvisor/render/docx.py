"""The advice memo as a Word document a consultant can edit: real headings, bullet lists and tables.

python-docx's default document is the template; the layout follows templates/memo.md.j2 section by
section. All text goes in as plain runs (never parsed as markup or fields). The bytes are
reproducible: fixed document properties dated from the memo, and fixed timestamps inside the zip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument

from peeradvisor import safe_text
from peeradvisor.render.memo import Memo
from peeradvisor.render.memo.words import DIRECTION_LABEL

from .markdown import long_date

TABLE_STYLE = "Table Grid"
BULLET = "List Bullet"


def render(memo: Memo, **_: object) -> bytes:
    memo = safe_text.every_string(memo, safe_text.plain)  # XML holds no controls, U+FFFE or U+FFFF
    doc = Document()
    _properties(doc, memo)
    _front(doc, memo)
    _since(doc, memo)
    _context(doc, memo)
    _standing(doc, memo)
    _findings(doc, memo)
    _actions(doc, memo)
    _importance(doc, memo)
    _answers(doc, memo)
    doc.add_heading("What the study can and cannot say", level=1)
    for line in memo.limits:
        doc.add_paragraph(line, style=BULLET)
    doc.add_paragraph(f"Reference: {memo.citation}. doi:{memo.doi} ({memo.doi_url})")
    buffer = io.BytesIO()
    doc.save(buffer)
    return _reproducible(buffer.getvalue())


def _properties(doc: DocxDocument, memo: Memo) -> None:
    props = doc.core_properties
    stamp = dt.datetime.combine(memo.date, dt.time(0, 0))
    props.title = memo.title[:255]  # Word's limit for a document property
    props.author = props.last_modified_by = "peeradvisor"
    props.subject, props.keywords = "Peer worker roles: advice memo", "peer workers; mental health"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = f"Based on {memo.study_short}, doi:{memo.doi}"


def _table(doc: DocxDocument, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    doc.add_paragraph()


def _labelled(doc: DocxDocument, label: str, text: str) -> None:
    para = doc.add_paragraph()
    para.add_run(label).bold = True
    para.add_run(text)


def _front(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading(memo.title, level=0)
    doc.add_paragraph(f"{long_date(memo)} · stage: {memo.stage} · employer: {memo.employer} · "
                      f"setting: {memo.setting}")
    doc.add_paragraph(f"Advice from peeradvisor, based on {memo.citation}. doi:{memo.doi}")
    doc.add_heading("Summary", level=1)
    doc.add_paragraph(memo.summary)
    doc.add_heading("Top priorities", level=1)
    for n, f in enumerate(memo.priorities, start=1):
        _labelled(doc, f"{n}. {f.title}", f" ({f.kind}; finding {f.rank})")
    if not memo.priorities:
        doc.add_paragraph("No warnings or recommendations.")


def _since(doc: DocxDocument, memo: Memo) -> None:
    s = memo.since
    if s is None:
        return
    doc.add_heading("Changes since the earlier assessment", level=1)
    dated = f" dated {s.previous_date}" if s.previous_date else ""
    doc.add_paragraph(f"Compared with the earlier assessment of {s.previous_organisation}{dated}.")
    if not s.same_organisation:
        doc.add_paragraph("Note: the earlier file names a different organisation; check that it is the "
                          "same service.")
    parts = [
        (f"Findings resolved ({len(s.resolved)})", [f"{c.title} ({c.kind}; was {c.previous_rank})"
                                                    for c in s.resolved]),
        (f"New findings ({len(s.new)})", [f"{c.rank}. {c.title} ({c.kind})" for c in s.new]),
        (f"Findings still present ({len(s.unchanged)})",
         [f"{c.rank}. {c.title} (was {c.previous_rank}{_move(c.move)})" for c in s.unchanged]),
        (f"Items improved ({len(s.improved)})",
         [f"{c.item} {c.short}: {c.before} → {c.after}" for c in s.improved]),
        (f"Items worsened ({len(s.worsened)})",
         [f"{c.item} {c.short}: {c.before} → {c.after}" for c in s.worsened]),
    ]
    for heading, lines in parts:
        doc.add_heading(heading, level=2)
        for line in lines or ["none"]:
            doc.add_paragraph(line, style=BULLET)


def _move(move: int) -> str:
    return f", up {move}" if move > 0 else f", down {-move}" if move < 0 else ""


def _context(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading("The context as understood", level=1)
    known = [(c.label, c.value) for c in memo.context if c.value is not None]
    _table(doc, ("Aspect", "As understood"), known)
    unknown = [c.label for c in memo.context if c.value is None]
    doc.add_paragraph("Not known: " + ("; ".join(unknown) if unknown else
                                       "nothing; every context question was answered") + ".")


def _standing(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading("Where the service stands", level=1)
    doc.add_paragraph('Pooled answers to "is this happening?" for the inventory items of each domain.')
    _table(doc, ("Domain", "Items", "Yes", "Partly", "No", "Don't know / not relevant", "Not answered"),
           [(f"{d.id}. {d.title}", str(d.items), str(d.yes), str(d.partly), str(d.no), str(d.other),
             str(d.unanswered)) for d in memo.standing])


def _findings(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading("Findings", level=1)
    for f in memo.findings:
        doc.add_heading(f"{f.rank}. {f.title}", level=2)
        doc.add_paragraph(f"{f.kind_label} · themes: {', '.join(f.themes) or 'none'} · rule: {f.id}")
        doc.add_paragraph(f.advice)
        if f.items:
            _labelled(doc, "Items", "")
            for i in f.items:
                doc.add_paragraph(f"{i.id} {i.short}: {DIRECTION_LABEL[i.direction]}", style=BULLET)
        if f.because:
            _labelled(doc, "Why", "")
            for reason in f.because:
                doc.add_paragraph(reason, style=BULLET)
        _labelled(doc, "Evidence", f" ({memo.study_short}, doi:{memo.doi})")
        for e in f.evidence:
            doc.add_paragraph(e.locator + (f": “{e.excerpt}”" if e.excerpt else ""), style=BULLET)


def _actions(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading("Action plan", level=1)
    doc.add_paragraph('What the findings ask for, by inventory domain. "Now" is the service\'s pooled '
                      "answer today.")
    for d in memo.actions:
        doc.add_heading(f"{d.id}. {d.title}", level=2)
        rows = [(DIRECTION_LABEL[key], f"{a.item} {a.text}", a.now, ", ".join(map(str, a.findings)))
                for key in DIRECTION_LABEL for a in getattr(d, key)]
        _table(doc, ("Action", "Item", "Now", "Findings"), rows)
    if not memo.actions:
        doc.add_paragraph("No finding names an inventory item.")


def _importance(doc: DocxDocument, memo: Memo) -> None:
    imp = memo.importance
    doc.add_heading("Importance ratings compared with the study", level=1)
    study = f"{imp.context_column} cases ({imp.context_tables})"
    if imp.setting_column:
        study += f" and {imp.setting_column} services ({imp.setting_tables})"
    doc.add_paragraph("Mean importance, 1 (not at all important) to 4 (extremely important). Here: these "
                      f"respondents' mean (number of ratings). Study: Appendix 4 means for {study}.")
    if not imp.rows:
        doc.add_paragraph("No importance ratings were given.")
        return
    header = ["Item", "Here (n)", f"Study: {imp.context_column}"]
    if imp.setting_column:
        header.append(f"Study: {imp.setting_column}")
    rows = []
    for r in imp.rows:
        row = [f"{r.item} {r.short}", f"{r.local:.2f} ({r.ratings})", _mean(r.context)]
        if imp.setting_column:
            row.append(_mean(r.setting))
        rows.append(row)
    _table(doc, header, rows)


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _answers(doc: DocxDocument, memo: Memo) -> None:
    doc.add_heading("Answers given", level=1)
    for r in memo.answers:
        doc.add_heading(f"{r.label} ({r.group})", level=2)
        if not r.rows:
            doc.add_paragraph("No inventory answers.")
            continue
        _table(doc, ("Item", "Happening", "Importance", "Top 3"),
               [(f"{row.item} {row.short}", row.happening or "–", row.importance or "–",
                 "yes" if row.top3 else "") for row in r.rows])
    if not memo.answers:
        doc.add_paragraph("No respondents yet.")


def _reproducible(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so the same memo always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
