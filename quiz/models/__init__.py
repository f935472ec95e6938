"""The typed data model; import models from here."""

from quiz.models.base import Base, UTCDateTime
from quiz.models.classes import Assignment, Classroom, Enrollment
from quiz.models.content import Question, QuestionSet, StudiedSet, Visibility
from quiz.models.study import Attempt, AttemptAnswer, Card, PendingAnswer, Review, ReviewOverride
from quiz.models.user import AuthEvent, LoginFailure, Role, User, normalize_name

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptAnswer",
    "AuthEvent",
    "Base",
    "Card",
    "Classroom",
    "Enrollment",
    "LoginFailure",
    "PendingAnswer",
    "Question",
    "QuestionSet",
    "Review",
    "ReviewOverride",
    "Role",
    "StudiedSet",
    "UTCDateTime",
    "User",
    "Visibility",
    "normalize_name",
]
