"""Memos that scale with respondents (issue 17): beyond LIST_RESPONDENTS people the Appendix summarises the
answers by stakeholder group, so a memo's size stops growing with the number of people, and the Word renderer
appends every block without searching the whole document. Everything here is counted, never timed."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import docx
import pytest
from docx.oxml.xmlchemy import BaseOxmlElement
from test_decisions import memo_problems
from test_render import EXAMPLES

from peeradvisor import vocab
from peeradvisor.answers import Answers, answers_from_data, load_answers
from peeradvisor.core import advise
from peeradvisor.kb import KnowledgeBase
from peeradvisor.render import docx as docx_render
from peeradvisor.render import html as html_render
from peeradvisor.render import markdown as md_render
from peeradvisor.render.memo import LIST_RESPONDENTS, Memo, build_memo

DATE = dt.date(2026, 12, 1)
HAPPENING = ("yes", "partly", "no", "dont_know", "not_relevant")


def crowd(people: int) -> Answers:
    """PEOPLE respondents spread over the six groups, each answering five questions (one rated) and naming
    a top three: every group and every question is covered once there are a few hundred."""
    responses = []
    for n in range(people):
        items = [vocab.ITEM_IDS[(n * 7 + k * 3) % 40] for k in range(5)]
        inventory: dict[str, Any] = {i: HAPPENING[(n + k) % 5] for k, i in enumerate(items)}
        inventory[items[0]] = {"happening": inventory[items[0]], "importance": n % 4 + 1}
        responses.append({"respondent": {"group": vocab.GROUPS[n % 6]}, "inventory": inventory,
                          "top3": items[:3]})
    data = {"format": vocab.ANSWERS_FORMAT, "organisation": "Survey site", "stage": "established",
            "context": {"employer": "nhs", "setting": "community"}, "responses": responses}
    return answers_from_data(data, "<crowd>")


def memo_of(answers: Answers, kb: KnowledgeBase) -> Memo:
    return build_memo(answers, advise(answers, kb), kb, date=DATE)


@pytest.fixture(scope="module")
def survey(kb: KnowledgeBase) -> tuple[Answers, Memo]:
    answers = crowd(10_000)
    return answers, memo_of(answers, kb)


def blocks(data: bytes) -> tuple[int, int]:
    """Paragraphs and tables in a Word document's body."""
    document = docx.Document(io.BytesIO(data))
    return len(document.paragraphs), len(document.tables)


def test_up_to_the_threshold_each_person_is_listed(kb: KnowledgeBase) -> None:
    """With LIST_RESPONDENTS people the Appendix still lists each person's answers, and summarises nothing."""
    memo = memo_of(crowd(LIST_RESPONDENTS), kb)
    assert len(memo.answers) == LIST_RESPONDENTS and memo.answer_groups == [] and memo.answers_note == ""


def test_beyond_the_threshold_answers_are_summarised_by_group(kb: KnowledgeBase) -> None:
    """One more person: no one is listed; each group present gets one summary, and everyone is counted."""
    memo = memo_of(crowd(LIST_RESPONDENTS + 1), kb)
    assert memo.answers == []
    assert [g.group for g in memo.answer_groups] == ["peer worker", "service user", "coworker", "line manager",
                                                     "strategic manager", "commissioner"]
    assert sum(g.respondents for g in memo.answer_groups) == LIST_RESPONDENTS + 1 == memo.respondents
    assert memo.answer_groups[0].heading == "Peer workers (3 people)"
    assert memo.answers_note.startswith(f"{LIST_RESPONDENTS + 1} people answered")


def test_group_summary_counts_answers_ratings_and_top3(kb: KnowledgeBase) -> None:
    """A group's row for a question: how many said each answer, the mean of the ratings given, top-3 mentions."""
    said = ["yes", "yes", "partly", "no", "dont_know", "not_relevant", None]
    rated: list[Any] = [4, 3, None, 4, "dont_know", None, 2]
    responses = []
    for n, (happening, importance) in enumerate(zip(said, rated, strict=True)):
        answer = {k: v for k, v in (("happening", happening), ("importance", importance)) if v is not None}
        responses.append({"respondent": {"group": "peer_worker"}, "inventory": {"2.1": answer},
                          "top3": ["2.1"] if n < 2 else []})
    responses += [{"respondent": {"group": "commissioner"}, "top3": ["6.5"]}] * 5 + [
        {"respondent": {"group": "coworker"}}]
    data = {"format": vocab.ANSWERS_FORMAT, "organisation": "Site", "context": {"employer": "nhs",
            "setting": "inpatient"}, "responses": responses}
    memo = memo_of(answers_from_data(data, "<test>"), kb)
    peer, coworker, commissioner = memo.answer_groups
    (row,) = peer.rows
    assert (row.item, row.yes, row.partly, row.no, row.other) == ("2.1", 2, 1, 1, 2)
    assert (row.importance, row.ratings, row.top3) == (pytest.approx(13 / 4), 4, 2)
    assert [(r.item, r.yes + r.partly + r.no + r.other, r.importance, r.top3) for r in commissioner.rows] == [
        ("6.5", 0, None, 5)]
    assert coworker.rows == [] and coworker.heading == "Coworker (1 person)"
    text = md_render.render(memo)
    assert "### Coworker (1 person)\n\nNo answers to the 40 questions." in text
    assert "| 2.1 Shared understanding of role | 2 | 1 | 1 | 2 | 3.25 (4) | 2 |" in text


def test_memo_for_10000_respondents_is_bounded(survey: tuple[Answers, Memo], kb: KnowledgeBase) -> None:
    """10,000 people: at most one table of at most 40 rows per group, and a memo no longer than for 600."""
    answers, memo = survey
    assert memo.answers == [] and len(memo.answer_groups) == len(vocab.GROUPS)
    assert all(len(g.rows) <= len(vocab.ITEM_IDS) for g in memo.answer_groups)
    assert sum(g.respondents for g in memo.answer_groups) == 10_000
    assert "10,000 people" in memo.summary and memo.answers_note.startswith("10,000 people answered")
    assert memo_problems(advise(answers, kb), answers, kb) == []  # 1,500 words before the Appendix, no jargon
    large = docx_render.render(memo)
    small = docx_render.render(memo_of(crowd(600), kb))
    assert blocks(large) == blocks(small)  # both cover every group and question: same paragraphs and tables
    assert len(md_render.render(memo).splitlines()) <= len(md_render.render(memo_of(crowd(600), kb)).splitlines())


def md_rows(text: str) -> list[list[str]]:
    section = text.partition("\n## Answers given\n")[2]
    return [[c.strip().replace("\\", "") for c in line.strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| ") and "---" not in line]


def html_rows(text: str) -> list[list[str]]:
    section = text.partition('<section id="answers">')[2].partition("</section>")[0]
    cells = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>")
    rows = [cells.findall(row) for row in re.findall(r"<tr>(.*?)</tr>", section)]
    return [[c.replace("&#39;", "'") for c in row] for row in rows]


def docx_rows(data: bytes) -> list[list[str]]:
    document = docx.Document(io.BytesIO(data))
    heading = next(i for i, t in enumerate(document.tables) if t.rows[0].cells[1].text == "Yes"
                   and t.rows[0].cells[-1].text == "Top 3")
    return [[c.text for c in row.cells] for t in document.tables[heading:] for row in t.rows]


def test_formats_summarise_alike(survey: tuple[Answers, Memo]) -> None:
    """Markdown, HTML and Word show the same note, group headings and table cells for many respondents."""
    _, memo = survey
    md, html, word = md_render.render(memo), html_render.render(memo), docx_render.render(memo)
    document = docx.Document(io.BytesIO(word))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    for g in memo.answer_groups:
        assert f"### {g.heading}" in md and f"<h3>{g.heading}</h3>" in html and g.heading in headings
    note = memo.answers_note
    assert note in md and note.replace("'", "&#39;") in html and note in [p.text for p in document.paragraphs]
    expected = [[f"{r.item} {r.short}", str(r.yes), str(r.partly), str(r.no), str(r.other),
                 f"{r.importance:.2f} ({r.ratings})" if r.importance is not None else "–", str(r.top3)]
                for g in memo.answer_groups for r in g.rows]

    def body(rows: list[list[str]]) -> list[list[str]]:
        return [[c.replace("-", "–") if c == "-" else c for c in row] for row in rows if row[1] != "Yes"]

    assert body(md_rows(md)) == body(html_rows(html)) == body(docx_rows(word)) == expected


class BodySearches:
    """Counts python-docx's searches of the whole body, the whole document or the whole style sheet: made
    once per paragraph or table (as python-docx's own add_paragraph and add_table do), they grow with the
    document, and the work with its square."""

    WHOLE = {f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{tag}"
             for tag in ("body", "document", "styles")}

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for name in ("xpath", "first_child_found_in"):
            original = getattr(BaseOxmlElement, name)
            monkeypatch.setattr(BaseOxmlElement, name, self._counting(original))

    def _counting(self, original: Any) -> Any:
        def counted(element: BaseOxmlElement, *args: Any) -> Any:
            if element.tag in self.WHOLE:
                self.count += 1
            return original(element, *args)
        return counted


def test_docx_grows_linearly_without_whole_document_searches(kb: KnowledgeBase,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing k copies of a site's respondents: every copy adds the same paragraphs and tables, and the
    number of whole-document searches stays the same however long the document grows."""
    answers = load_answers(EXAMPLES[0])
    memo = memo_of(answers, kb)
    assert memo.answers  # the example lists its respondents
    searches = BodySearches(monkeypatch)
    sizes, counts = [], []
    for copies in (1, 5, 9):
        searches.count = 0
        data = docx_render.render(memo.model_copy(update={"answers": memo.answers * copies}))
        counts.append(searches.count)
        sizes.append(blocks(data))
    (p1, t1), (p5, t5), (p9, t9) = sizes
    assert p9 - p5 == p5 - p1 > 0 and t9 - t5 == t5 - t1 > 0  # linear: each copy adds the same
    assert counts[0] == counts[1] == counts[2]
