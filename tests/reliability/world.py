"""One of everything, owned by someone: the fixture behind the access matrix, CSRF, fuzzing,
XSS and header tests. Six points of view: anonymous, two students, two teachers, an admin.

Two classes: teacher_a's class A (student_a and teacher_b, who joined it by its code, are
members; teacher_a's private set is assigned to it) and teacher_b's class B (student_b; the
public set assigned). teacher_a also owns an archived set.

When a feature adds a model that a URL names (a class, an assignment, an import), create one
here, owned by teacher_a or student_a, and name it in `ids`.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.bank import sync_sets
from quiz.extensions import db
from quiz.formats.yaml_bank import parse_set
from quiz.models import (
    Assignment,
    Attempt,
    AttemptAnswer,
    Classroom,
    Enrollment,
    LiveGame,
    LivePlayer,
    LtiContext,
    LtiPlatform,
    MediaFile,
    PendingAnswer,
    Question,
    QuestionSet,
    SetMedia,
    SetShare,
    StudiedSet,
    User,
)
from quiz.questions import Grade
from quiz.study.answers import Answer, record_answer
from quiz.timeutil import now_utc
from tests.conftest import AuthActions, make_user
from tests.study_helpers import SMALL_SET

ROLES = ("anonymous", "student_a", "student_b", "teacher_a", "teacher_b", "admin")
USERS = {
    "student_a": "student",
    "student_b": "student",
    "teacher_a": "teacher",
    "teacher_b": "teacher",
    "admin": "admin",
}


@dataclass
class World:
    """The app, a logged-in client per role, and the ids of the objects they own."""

    app: Flask
    clients: dict[str, FlaskClient]
    ids: dict[str, Any] = field(default_factory=dict)

    def client(self, role: str) -> FlaskClient:
        return self.clients[role]


def _media(
    set_id: int, owner_id: int, data: bytes = b"\x89PNG\r\n\x1a\n world picture"
) -> SetMedia:
    """A picture placed in a set (teacher_a's private set: its hash URL is private with it)."""
    sha = hashlib.sha256(data).hexdigest()
    db.session.add(MediaFile(sha256=sha, mime="image/png", size=len(data), data=data))
    link = SetMedia(set_id=set_id, sha256=sha, name="map.png", alt="A map", uploaded_by=owner_id)
    db.session.add(link)
    db.session.flush()
    return link


def build_world(app: Flask, set_text: str = SMALL_SET, log_in: bool = True) -> World:
    """Create the users and their objects; log each role's client in."""
    users = {role: make_user(app, role.replace("_", ""), role=kind) for role, kind in USERS.items()}
    spare = make_user(app, "spare")  # whose role and state the admin routes change
    teacher_set = set_text.replace("slug: sahel-basics", "slug: teacher-a-set", 1)
    with app.app_context():
        sync_sets(db.session, [parse_set(set_text, "world.yaml")])
        sync_sets(db.session, [parse_set(teacher_set, "world-teacher.yaml")])
        db.session.commit()
        public = db.session.scalar(sa.select(QuestionSet).where(QuestionSet.slug == "sahel-basics"))
        private = db.session.scalar(
            sa.select(QuestionSet).where(QuestionSet.slug == "teacher-a-set")
        )
        private.slug, private.owner_id, private.visibility = None, users["teacher_a"].id, "private"
        question = db.session.scalars(
            sa.select(Question).where(Question.set_id == public.id).order_by(Question.position)
        ).first()
        flashcard = db.session.scalar(
            sa.select(Question.id).where(Question.set_id == public.id, Question.kind == "flashcard")
        )
        # teacher_a's question that student_a answered (the set is assigned to their class).
        taught = db.session.scalars(
            sa.select(Question)
            .where(Question.set_id == private.id, Question.kind == "short_answer")
            .order_by(Question.position)
        ).first()
        classroom = Classroom(teacher_id=users["teacher_a"].id, name="Class A", join_code="JOINA1")
        # teacher_b's own class, with student_b in it and the public set assigned.
        class_b = Classroom(teacher_id=users["teacher_b"].id, name="Class B", join_code="JQNB34")
        db.session.add_all([classroom, class_b])
        db.session.flush()
        # teacher_b joined class A by its code: a member, with a student's rights there only.
        for role in ("student_a", "teacher_b"):
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=users[role].id))
        db.session.add(Enrollment(classroom_id=class_b.id, user_id=users["student_b"].id))
        assignment = Assignment(classroom_id=classroom.id, set_id=private.id)
        assignment_b = Assignment(classroom_id=class_b.id, set_id=public.id)
        # Assigned to study as well, so that its students may study it (a quiz-only set stays
        # out of study: tests/test_quiz_key_secret.py).
        study_too = Assignment(classroom_id=classroom.id, set_id=private.id, mode="study")
        db.session.add_all([assignment, assignment_b, study_too])
        archived = _archived_set(users["teacher_a"].id)
        for role in ("student_a", "student_b"):
            db.session.add(StudiedSet(user_id=users[role].id, set_id=public.id))
        db.session.commit()
        student = db.session.get(User, users["student_a"].id)
        review, _ = record_answer(
            db.session,
            student,
            Answer(taught.id, "Agadez", Grade(False, 0.0, "", ""), None, 1000),
            submission_id=uuid.uuid4().hex,
            fuzzing=False,
        )
        override_id = _override(student.id, review.id)
        held = PendingAnswer(
            user_id=student.id,
            question_id=taught.id,
            submission_id=uuid.uuid4().hex,
            response="Niamey",
            correct=True,
            score=1.0,
            answered_at=now_utc(),
        )
        attempt = Attempt(
            user_id=student.id,
            set_id=public.id,  # an open quiz: its questions are held back from student_a's study
            question_order=list(
                db.session.scalars(sa.select(Question.id).where(Question.set_id == public.id))
            ),
            seed=1,
        )
        db.session.add_all([held, attempt])
        marked = _marked_attempt(classroom.id, private.id, student.id, taught.id)
        cram = _cram_answer(student.id, taught.id)
        media = _media(private.id, users["teacher_a"].id)
        student_set, student_media, student_b_set = _student_sets(users, classroom.id)
        live = _live_game(private.id, users["teacher_a"].id, users["student_a"].id)
        lti = _lti(classroom.id)
        db.session.commit()
        ids = {
            "users": {role: user.id for role, user in users.items()},
            "public_set": public.id,
            "private_set": private.id,
            "question": question.id,
            "flashcard": flashcard,
            "review": review.id,
            "submission": held.submission_id,
            "attempt": attempt.id,
            "classroom": classroom.id,
            "assignment": assignment.id,
            "class_b": class_b.id,
            "spare": spare.id,
            "assignment_b": assignment_b.id,
            "study_assignment": study_too.id,  # never deleted by the access walk
            "archived_set": archived,
            "override": override_id,
            "student_a": users["student_a"].id,
            "student_b": users["student_b"].id,
            "teacher_b": users["teacher_b"].id,  # a member of class A too
            "taught": taught.id,
            "cram_answer": cram.id if cram is not None else None,
            "media_sha": media.sha256,
            "media_link": media.id,
            "student_set": student_set,  # student_a's, shared with class A (teacher_a's)
            "student_media_sha": student_media,
            "student_b_set": student_b_set,  # student_b's, private
            # A quiz of class A that student_a handed in: its marking pages (quiz.marking).
            "marking_assignment": marked.assignment_id,
            "marked_attempt": marked.id,
            "live_game": live,
            **lti,
        }
        db.session.remove()
    clients = {role: app.test_client() for role in ROLES}
    if log_in:
        for role in USERS:
            assert AuthActions(clients[role]).login(role.replace("_", "")).status_code == 302
    return World(app, clients, ids)


def _student_sets(users: dict[str, Any], class_a: int) -> tuple[int, str, int]:
    """student_a's own set with a picture, shared with class A; student_b's private set."""
    mine = QuestionSet(owner_id=users["student_a"].id, title="Student A's verbs")
    theirs = QuestionSet(owner_id=users["student_b"].id, title="Student B's notes")
    for qset in (mine, theirs):
        qset.questions.append(
            Question(
                key="own-1",
                kind="flashcard",
                prompt="aller",
                spec={"back": "to go"},
                explanation="A verb.",
            )
        )
    db.session.add_all([mine, theirs])
    db.session.flush()
    db.session.add(SetShare(set_id=mine.id, classroom_id=class_a))
    picture = _media(mine.id, users["student_a"].id, b"\x89PNG\r\n\x1a\n student picture")
    return mine.id, picture.sha256, theirs.id


def _marked_attempt(class_id: int, set_id: int, student_id: int, question_id: int) -> Attempt:
    """student_a's finished attempt at a quiz of class A, with one answer to mark."""
    assignment = Assignment(classroom_id=class_id, set_id=set_id, mode="quiz")
    db.session.add(assignment)
    db.session.flush()
    now = now_utc()
    attempt = Attempt(
        user_id=student_id,
        set_id=set_id,
        assignment_id=assignment.id,
        question_order=[question_id],
        seed=2,
        started_at=now,
        finished_at=now,
        score=0.0,
    )
    db.session.add(attempt)
    db.session.flush()
    db.session.add(
        AttemptAnswer(
            attempt_id=attempt.id,
            question_id=question_id,
            response="Agadez",
            correct=False,
            score=0.0,
            answered_at=now,
        )
    )
    return attempt


def _live_game(set_id: int, owner_id: int, player_id: int) -> int:
    """teacher_a's live game of the private set, in its lobby, with student_a joined."""
    question_ids = list(db.session.scalars(sa.select(Question.id).where(Question.set_id == set_id)))
    game = LiveGame(owner_id=owner_id, set_id=set_id, pin="123456", question_ids=question_ids)
    db.session.add(game)
    db.session.flush()
    db.session.add(LivePlayer(game_id=game.id, user_id=player_id, nickname="studenta"))
    return game.id


def _lti(classroom_id: int) -> dict[str, int]:
    """An LMS registered by the admin, class A as one of its courses, and a spare platform."""
    platforms = [
        LtiPlatform(
            name=name,
            issuer=f"https://{name}.example",
            client_id="tool",
            deployment_ids="1",
            auth_login_url=f"https://{name}.example/auth",
            auth_token_url=f"https://{name}.example/token",
            key_set_url=f"https://{name}.example/jwks",
        )
        for name in ("lms", "spare")
    ]
    db.session.add_all(platforms)
    db.session.flush()
    context = LtiContext(
        platform_id=platforms[0].id, deployment_id="1", context_id="c1", classroom_id=classroom_id
    )
    db.session.add(context)
    db.session.flush()
    return {
        "lti_platform": platforms[0].id,
        "lti_spare_platform": platforms[1].id,
        "lti_context": context.id,
    }


def _archived_set(owner_id: int) -> int:
    """teacher_a's archived set (deleted after it was studied): its owner still exports it."""
    qset = QuestionSet(owner_id=owner_id, title="Archived set", visibility="public", archived=True)
    qset.questions.append(
        Question(
            key="archived-1",
            kind="short_answer",
            prompt="Which city is Niger's capital?",
            spec={"answers": ["Niamey"]},
            explanation="Niamey is the capital.",
            tags=[],
            paragraph=1,
            position=0,
        )
    )
    db.session.add(qset)
    db.session.flush()
    return qset.id


def _cram_answer(user_id: int, question_id: int) -> Any:
    """A practice (cram) answer of student_a, when the app has them."""
    try:
        from quiz.models import CramAnswer
    except ImportError:
        return None
    row = CramAnswer(
        user_id=user_id,
        question_id=question_id,
        submission_id=uuid.uuid4().hex,
        response="Agadez",
        correct=False,
        score=0.0,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _override(user_id: int, review_id: int) -> int | None:
    """student_a counts the wrong typed answer as right (a review override), when the app
    has overrides."""
    try:
        from quiz.overrides import claims as overrides
    except ImportError:
        return None
    override, _new = overrides.override_review(db.session, user_id, review_id, fuzzing=False)
    return override.id


# What each URL parameter names in the world. A new route's parameter goes here, one line.
PARAMS: dict[str, Any] = {
    "set_id": lambda w: w.ids["private_set"],  # teacher_a's unpublished set
    "question_id": lambda w: w.ids["question"],
    "review_id": lambda w: w.ids["review"],
    "attempt_id": lambda w: w.ids["attempt"],
    "submission_id": lambda w: w.ids["submission"],
    "user_id": lambda w: w.ids["users"]["student_b"],
    "class_id": lambda w: w.ids["classroom"],
    "classroom_id": lambda w: w.ids["classroom"],
    "assignment_id": lambda w: w.ids["assignment"],
    "override_id": lambda w: w.ids["override"],
    "answer_id": lambda w: w.ids["cram_answer"],
    "code": lambda w: "JOINA1",
    "fmt": lambda w: "csv",
    "token": lambda w: "not-a-valid-token",
    "filename": lambda w: "style.css",
    "sha256": lambda w: w.ids["media_sha"],
    "link_id": lambda w: w.ids["media_link"],
    "slug": lambda w: "nosuch",  # a sign-in provider nobody configured
    "game_id": lambda w: w.ids["live_game"],
    "platform_id": lambda w: w.ids["lti_platform"],
    "context_id": lambda w: w.ids["lti_context"],
}


def url_for_rule(
    world: World, rule: Any, args: dict[str, str] | None = None, row: Any = None
) -> str:
    """The rule's path with every parameter filled from the world (`args`: name -> ids key);
    `row` (its access_table row by default) adds its query string."""
    values = {}
    for name in rule.arguments:
        if args and name in args:
            values[name] = world.ids[args[name]]
            continue
        if name not in PARAMS:
            raise AssertionError(
                f"{rule.rule}: add the parameter {name!r} to PARAMS in tests/reliability/world.py"
            )
        values[name] = PARAMS[name](world)
    from tests.reliability.access_table import ACCESS

    row = row if row is not None else ACCESS.get(rule.endpoint)
    with world.app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values) + (row.query if row else "")
