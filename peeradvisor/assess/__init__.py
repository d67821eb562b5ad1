"""The interactive assessment: questionnaire model, state machine and terminal front end."""

from ..kb.questions import Question, Questionnaire, load_questionnaire
from .session import Progress, Session, SessionError

__all__ = ["Progress", "Question", "Questionnaire", "Session", "SessionError", "load_questionnaire"]
