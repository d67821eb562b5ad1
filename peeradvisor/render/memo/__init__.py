"""An advice memo for a consultant: Start here (the priorities), the context, the main points, the action
plan, what to ask next, what the study can and cannot say, and an Appendix with every finding in full.
`build_memo(answers, report, kb, date=...)` is pure."""

from .build import LIST_RESPONDENTS, WORD_LIMIT, build_memo, count_words, front_words, memo_date
from .model import (
    STUDY_CITATION,
    STUDY_DOI,
    STUDY_TITLE,
    STUDY_URL,
    AnswerRow,
    ContextLine,
    GroupAnswers,
    GroupRow,
    Importance,
    ImportanceRow,
    Memo,
    MemoFinding,
    MemoItem,
    PlanView,
    PointView,
    Previous,
    PriorityView,
    QuestionView,
    RespondentAnswers,
    Standing,
)
from .words import clean

__all__ = [
    "LIST_RESPONDENTS", "STUDY_CITATION", "STUDY_DOI", "STUDY_TITLE", "STUDY_URL", "WORD_LIMIT", "AnswerRow",
    "ContextLine", "GroupAnswers", "GroupRow", "Importance", "ImportanceRow", "Memo", "MemoFinding", "MemoItem",
    "PlanView", "PointView", "Previous", "PriorityView", "QuestionView", "RespondentAnswers", "Standing",
    "build_memo", "clean", "count_words", "front_words", "memo_date",
]
