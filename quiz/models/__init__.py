"""The typed data model; import models from here."""

from quiz.models.base import Base, UTCDateTime
from quiz.models.classes import Assignment, Classroom, Enrollment, Mode, ShowAnswers
from quiz.models.content import Question, QuestionSet, StudiedSet, Visibility
from quiz.models.exports import ExportJob, SeedRecord
from quiz.models.gradebook import Excusal, GradeCategory
from quiz.models.live import GameState, LiveAnswer, LiveGame, LivePlayer, Pacing
from quiz.models.lti import (
    LtiContext,
    LtiIdentity,
    LtiKey,
    LtiLink,
    LtiPlatform,
    LtiScore,
    LtiState,
)
from quiz.models.mail import OutgoingMail
from quiz.models.marking import AnswerMark, MarksRelease
from quiz.models.media import MediaFile, SetMedia
from quiz.models.notices import MailState, Notice, NoticeKind, NoticeOptOut
from quiz.models.pairs import GiveawayPair
from quiz.models.sharing import SetShare
from quiz.models.signin import OidcIdentity, OidcProvider, SiteSetting
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
    "AnswerMark",
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
    "GameState",
    "GiveawayPair",
    "GradeCategory",
    "LiveAnswer",
    "LiveGame",
    "LivePlayer",
    "LoginFailure",
    "LtiContext",
    "LtiIdentity",
    "LtiKey",
    "LtiLink",
    "LtiPlatform",
    "LtiScore",
    "LtiState",
    "MailState",
    "MarksRelease",
    "MediaFile",
    "Mode",
    "NewLimitRaise",
    "Notice",
    "NoticeKind",
    "NoticeOptOut",
    "OidcIdentity",
    "OidcProvider",
    "OutgoingMail",
    "Pacing",
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
    "SetShare",
    "ShowAnswers",
    "SiteSetting",
    "StudiedSet",
    "UTCDateTime",
    "User",
    "Visibility",
    "normalize_name",
]
