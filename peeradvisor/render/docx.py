"""The advice memo as a Word document a consultant can edit: real headings, bullet lists and tables.

python-docx's default document is the template, on A4 pages with the organisation and date in the
header and page numbers in the footer; the layout follows templates/memo.md.j2 section by section. All
text goes in as plain runs (never parsed as markup or fields). The bytes are reproducible: fixed
document properties dated from the memo, and fixed timestamps inside the zip.

Blocks are appended through `Body`, in constant time each: python-docx's own `add_paragraph` and
`add_table` search the whole body for its final section break on every call, and look styles up by
scanning the style sheet, which made a long memo quadratic (issue 17)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Tbl
from docx.oxml.text.paragraph import CT_P
from docx.shared import Length, Mm, Pt
from docx.text.paragraph import Paragraph

from peeradvisor import safe_text
from peeradvisor.render.memo import Memo

from .markdown import long_date

TABLE_STYLE = "Table Grid"
BULLET = "List Bullet"
NUMBERED = "List Number"


class Body:
    """The document's body, appended to block by block (paragraphs, headings, tables) in constant time."""

    def __init__(self, doc: DocxDocument) -> None:
        self._container = doc._body
        self._end = doc.element.body.sectPr  # the last section's properties: blocks go before it
        self._styles = doc.styles
        self._style_ids: dict[str, str] = {}
        section = doc.sections[-1]
        self._width = Length((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0))

    def _style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self._styles[name].style_id
        return self._style_ids[name]

    def _append(self, element: CT_P | CT_Tbl) -> None:
        if self._end is None:
            self._container._element.append(element)
        else:
            self._end.addprevious(element)

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph:
        p = OxmlElement("w:p")
        if style is not None:
            p.style = self._style_id(style)
        self._append(p)
        paragraph = Paragraph(p, self._container)
        if text:
            paragraph.add_run(text)
        return paragraph

    def add_heading(self, text: str, level: int) -> Paragraph:
        return self.add_paragraph(text, "Title" if level == 0 else f"Heading {level}")

    def add_table(self, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        """A grid table: the header row in bold, then ROWS; the columns share the text width evenly."""
        tbl = CT_Tbl.new_tbl(len(rows) + 1, len(header), self._width)
        tbl.tblStyle_val = self._style_id(TABLE_STYLE)
        self._append(tbl)
        trs = tbl.tr_lst
        for tc, text in zip(trs[0].tc_lst, header, strict=True):
            p = tc.p_lst[0]
            p.add_r()
            Paragraph(p, self._container).add_run(text).bold = True
        for tr, row in zip(trs[1:], rows, strict=True):
            for tc, text in zip(tr.tc_lst, row, strict=True):
                tc.p_lst[0].add_r().text = text


def render(memo: Memo, **_: object) -> bytes:
    memo = safe_text.every_string(memo, safe_text.plain)  # XML holds no controls, U+FFFE or U+FFFF
    document = Document()
    _page(document, memo)
    _properties(document, memo)
    doc = Body(document)
    _front(doc, memo)
    _since(doc, memo)
    _context(doc, memo)
    _points(doc, memo)
    _plan(doc, memo)
    _questions(doc, memo)
    _limits(doc, memo)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("Appendix", level=0)
    _since(doc, memo, full=True)
    _findings(doc, memo)
    _standing(doc, memo)
    _importance(doc, memo)
    _answers(doc, memo)
    doc.add_paragraph(f"Reference: {memo.citation}. doi:{memo.doi} ({memo.doi_url})")
    buffer = io.BytesIO()
    document.save(buffer)
    return _reproducible(buffer.getvalue())


def _page(doc: DocxDocument, memo: Memo) -> None:
    """A4 pages; the organisation and date in the header; page numbers in the footer."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
        header = section.header.paragraphs[0]
        header.text = f"{memo.organisation} · advice memo · {long_date(memo)}"
        header.runs[0].font.size = Pt(8)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ").font.size = Pt(8)
        _field(footer, "PAGE")
        footer.add_run(" of ").font.size = Pt(8)
        _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays the document out."""
    run = paragraph.add_run()
    run.font.size = Pt(8)
    parts = (("w:fldChar", "begin"), ("w:instrText", f" {code} "), ("w:fldChar", "separate"), ("w:t", "1"),
             ("w:fldChar", "end"))
    for tag, value in parts:
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        run._r.append(element)


def _properties(doc: DocxDocument, memo: Memo) -> None:
    props = doc.core_properties
    stamp = dt.datetime.combine(memo.date, dt.time(0, 0))
    props.title = memo.title[:255]  # Word's limit for a document property
    props.author = props.last_modified_by = "peeradvisor"
    props.subject, props.keywords = "Peer worker roles: advice memo", "peer workers; mental health"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    props.comments = f"Based on {memo.study_short}, doi:{memo.doi}"


def _table(doc: Body, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    doc.add_table(header, rows)
    doc.add_paragraph()


def _labelled(doc: Body, label: str, text: str) -> None:
    para = doc.add_paragraph()
    para.add_run(label).bold = True
    para.add_run(text)


def _front(doc: Body, memo: Memo) -> None:
    doc.add_heading(memo.title, level=0)
    doc.add_paragraph(long_date(memo))
    doc.add_paragraph(memo.summary)
    doc.add_heading("Start here", level=1)
    for p in memo.priorities:
        para = doc.add_paragraph(style=NUMBERED)
        para.add_run(p.action).bold = True
        if p.new:
            para.add_run(" (new)")
        doc.add_paragraph(f"Why: {p.why}")
        detail = f" · findings {', '.join(map(str, p.findings))}" if memo.detail else ""
        doc.add_paragraph(f"Who: {p.owner} · When: {p.when}{detail}")
    if not memo.priorities:
        doc.add_paragraph("Nothing here calls for action first: the answers raise no warning or recommendation.")


def _since(doc: Body, memo: Memo, *, full: bool = False) -> None:
    """The comparison after Start here (FULL: its untrimmed copy in the Appendix, when the front was trimmed)."""
    s = memo.since_full if full else memo.since
    if s is None:
        return
    whole = " (all in the Appendix)" if memo.since_full is not None and not full else ""
    doc.add_heading(s.heading, level=1)
    if s.organisation_note:
        doc.add_paragraph(f"Note: {s.organisation_note}")
    doc.add_paragraph(s.summary)

    def bullets(label: str, lines: list[tuple[str, str]], more: int) -> None:
        if not lines:
            return
        _labelled(doc, label, "")
        for text, why in [*lines, *([(f"and {more} more{whole}", "")] if more else [])]:
            para = doc.add_paragraph(text, style=BULLET)
            if why:
                para.add_run().add_break()
                para.add_run(why).italic = True

    bullets("Answers that changed", [(line, "") for line in s.answers], s.more_answers)
    more = [f"and {s.more_priorities} more changes to Start here{whole}"] if s.more_priorities else []
    for line in [*s.priorities, *more]:
        doc.add_paragraph(line, style=BULLET)
    ids = memo.detail
    bullets("No longer applies", [(f.title + (f" ({f.id})" if ids else ""), f.why) for f in s.resolved],
            s.more_resolved)
    bullets("New", [(f"{f.title} (finding {f.rank} in the Appendix{f'; {f.id}' if ids else ''})", f.why)
                    for f in s.new], s.more_new)
    bullets("Moved", [(line, "") for line in s.moved], s.more_moved)
    para = doc.add_paragraph()
    if s.rules_changed:
        para.add_run("Note: ").bold = True
    para.add_run(s.rules_note).font.size = None if s.rules_changed else Pt(8)


def _context(doc: Body, memo: Memo) -> None:
    doc.add_heading("The context as understood", level=1)
    known = [(c.label, c.value) for c in memo.context if c.value is not None]
    _table(doc, ("Aspect", "As understood"), known)
    unknown = [c.label for c in memo.context if c.value is None]
    doc.add_paragraph("Not known: " + ("; ".join(unknown) if unknown else
                                       "nothing; every context question was answered") + ".")


def _standing(doc: Body, memo: Memo) -> None:
    doc.add_heading("Where the service stands", level=1)
    doc.add_paragraph('Pooled answers to "is this happening?" for the questions of each domain.')
    _table(doc, ("Domain", "Items", "Yes", "Partly", "No", "Don't know / not relevant", "Not answered"),
           [(f"{d.id}. {d.title}", str(d.items), str(d.yes), str(d.partly), str(d.no), str(d.other),
             str(d.unanswered)) for d in memo.standing])


def _points(doc: Body, memo: Memo) -> None:
    doc.add_heading("Main points", level=1)
    for n, p in enumerate(memo.points, start=1):
        doc.add_heading(f"{n}. {p.title}", level=2)
        doc.add_paragraph(f"{p.lead} ({p.kind_label.lower()}; {p.support})")
        if p.advice:
            doc.add_paragraph(p.advice)
        if p.also:
            _labelled(doc, "Related", "")
            for title in p.also:
                doc.add_paragraph(title, style=BULLET)
    if not memo.points:
        doc.add_paragraph("No warning or recommendation.")
    if memo.more_points:
        doc.add_paragraph(f"{memo.more_points} more point(s) are in the Appendix.")
    if memo.strengths:
        _labelled(doc, "What is already working", "")
        for title in memo.strengths:
            doc.add_paragraph(title, style=BULLET)


def _plan(doc: Body, memo: Memo) -> None:
    doc.add_heading("Action plan", level=1)
    if not memo.plan:
        doc.add_paragraph("No finding names one of the study's 40 questions.")
        return
    label = [r.short + (f" ({r.item})" if memo.detail else "") for r in memo.plan]
    if memo.plan_status_known:
        _table(doc, ("Item", "What to do", "Now", "Who", "When"),
               [(name, r.do, r.now, r.owner, r.when) for name, r in zip(label, memo.plan, strict=True)])
        return
    doc.add_paragraph("Nobody has answered the study's 40 questions yet, so the plan does not say where each item "
                      "stands now.")
    _table(doc, ("Item", "What to do", "Who", "When"),
           [(name, r.do, r.owner, r.when) for name, r in zip(label, memo.plan, strict=True)])


def _questions(doc: Body, memo: Memo) -> None:
    doc.add_heading("What to ask next", level=1)
    for q in memo.questions:
        doc.add_paragraph(q.question + (f" ({q.effect})" if q.effect else ""), style=BULLET)
    if not memo.questions:
        doc.add_paragraph("No unanswered question would change this advice.")


def _limits(doc: Body, memo: Memo) -> None:
    doc.add_heading("What the study can and cannot say", level=1)
    for line in memo.limits:
        doc.add_paragraph(line, style=BULLET)
    for title in memo.caveats:
        doc.add_paragraph(f"{title} (see the Appendix)", style=BULLET)
    stamp = doc.add_paragraph().add_run(f"peeradvisor {memo.kb.version} · {memo.kb.rules} rules · "
                                        f"knowledge base {memo.kb.sha256[:12]}")
    stamp.font.size = Pt(7)


def _findings(doc: Body, memo: Memo) -> None:
    doc.add_heading("Every finding in full", level=1)
    for f in memo.findings:
        doc.add_heading(f"{f.rank}. {f.title}", level=2)
        detail = f" · rule {f.id} · score {f.score:.2f}" if memo.detail else ""
        doc.add_paragraph(f"{f.kind_label} · {f.support}{detail}")
        doc.add_paragraph(f.advice)
        if f.reasons:
            _labelled(doc, "Because", "")
            for reason in f.reasons:
                doc.add_paragraph(reason, style=BULLET)
        if memo.detail and f.because:
            _labelled(doc, "Because (analyst's view)", "")
            for reason in f.because:
                doc.add_paragraph(reason, style=BULLET)
        if f.replaces:
            doc.add_paragraph(f"Says more specifically: {'; '.join(f.replaces)}.")
        doc.add_paragraph(f"How widely the study supports it: {f.support_note}")
        _labelled(doc, "Evidence", f" ({memo.study_short}, doi:{memo.doi})")
        for e in f.evidence:
            doc.add_paragraph(e.locator + (f": “{e.excerpt}”" if e.excerpt else ""), style=BULLET)


def _importance(doc: Body, memo: Memo) -> None:
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


def _answers(doc: Body, memo: Memo) -> None:
    doc.add_heading("Answers given", level=1)
    if memo.answer_groups:
        _answer_groups(doc, memo)
        return
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


def _answer_groups(doc: Body, memo: Memo) -> None:
    """Many respondents: each stakeholder group's answers counted, one table per group."""
    doc.add_paragraph(memo.answers_note)
    for g in memo.answer_groups:
        doc.add_heading(g.heading, level=2)
        if not g.rows:
            doc.add_paragraph("No answers to the 40 questions.")
            continue
        _table(doc, ("Item", "Yes", "Partly", "No", "Don't know / not relevant", "Importance (n)", "Top 3"),
               [(f"{row.item} {row.short}", str(row.yes), str(row.partly), str(row.no), str(row.other),
                 "–" if row.importance is None else f"{row.importance:.2f} ({row.ratings})", str(row.top3))
                for row in g.rows])


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
