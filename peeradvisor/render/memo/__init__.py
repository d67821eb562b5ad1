"""An advice memo for a consultant: the report, the context in words, an action plan, the study's ratings
and what changed since an earlier assessment. `build_memo(answers, report, kb, date=...)` is pure."""

from .build import PRIORITIES, build_memo, memo_date
from .model import (
    STUDY_CITATION,
    STUDY_DOI,
    STUDY_TITLE,
    STUDY_URL,
    Action,
    ActionDomain,
    AnswerRow,
    ContextLine,
    Importance,
    ImportanceRow,
    Memo,
    MemoFinding,
    MemoItem,
    Previous,
    RespondentAnswers,
    Standing,
)
from .words import clean

__all__ = [
    "PRIORITIES", "STUDY_CITATION", "STUDY_DOI", "STUDY_TITLE", "STUDY_URL", "Action", "ActionDomain",
    "AnswerRow", "ContextLine", "Importance", "ImportanceRow", "Memo", "MemoFinding", "MemoItem", "Previous",
    "RespondentAnswers", "Standing", "build_memo", "clean", "memo_date",
]
