"""The typed data model; import models from here."""

from quiz.models.base import Base, UTCDateTime
from quiz.models.classes import Assignment, Classroom, Enrollment, Mode, ShowAnswers
from quiz.models.content import Question, QuestionSet, StudiedSet, Visibility
from quiz.models.exports import ExportJob, SeedRecord
from quiz.models.gradebook import Excusal, GradeCategory
from quiz.models.mail import OutgoingMail
from quiz.models.media import MediaFile, SetMedia
from quiz.models.pairs import GiveawayPair
from quiz.models.study import (
    Attempt,
    AttemptAnswer,
    Card,
    CramAnswer,
    NewLimitRaise,
    PendingAnswer,
    Review,
    ReviewOverride,
)
from quiz.models.transfer import PendingImport
from quiz.models.user import AuthEvent, LoginFailure, Role, User, normalize_name
from quiz.models.versions import QuestionVersion

__all__ = [
    "Assignment",
    "Attempt",
    "AttemptAnswer",
    "AuthEvent",
    "Base",
    "Card",
    "Classroom",
    "CramAnswer",
    "Enrollment",
    "Excusal",
    "ExportJob",
    "GiveawayPair",
    "GradeCategory",
    "LoginFailure",
    "MediaFile",
    "Mode",
    "NewLimitRaise",
    "OutgoingMail",
    "PendingAnswer",
    "PendingImport",
    "Question",
    "QuestionSet",
    "QuestionVersion",
    "Review",
    "ReviewOverride",
    "Role",
    "SeedRecord",
    "SetMedia",
    "ShowAnswers",
    "StudiedSet",
    "UTCDateTime",
    "User",
    "Visibility",
    "normalize_name",
]
