"""Question versions: every write path numbers and snapshots content; reviews keep theirs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from quiz.bank import sync_sets
from quiz.extensions import db
from quiz.formats.yaml_bank import parse_set
from quiz.models import Card, Question, QuestionVersion, Review, StudiedSet
from tests.conftest import AuthActions, count_rows
from tests.study_helpers import SMALL_SET, answer_next, load_set
from tests.teach_helpers import make_set, question_ids, valid_form


def _versions(app: Flask, question_id: int) -> list[QuestionVersion]:
    with app.app_context():
        rows = db.session.scalars(
            sa.select(QuestionVersion)
            .where(QuestionVersion.question_id == question_id)
            .order_by(QuestionVersion.version)
        ).all()
        db.session.expunge_all()
        return list(rows)


def test_edit_after_a_review_keeps_the_answered_version(
    app: Flask, client: FlaskClient, user_factory
) -> None:
    tina = user_factory("tina", role="teacher")
    AuthActions(client).login("tina")
    set_id = make_set(app, tina.id, visibility="public")
    url = f"/teach/sets/{set_id}/questions/new?kind=short_answer"
    assert client.post(url, data=valid_form("short_answer")).status_code == 302
    (qid,) = question_ids(app, set_id)
    with app.app_context():
        answered = db.session.get(Question, qid).as_dict()
    sam = user_factory("sam")
    with app.app_context():
        db.session.add(StudiedSet(user_id=sam.id, set_id=set_id))
        db.session.commit()
    student = app.test_client()
    AuthActions(student).login("sam")
    answer_next(student, answer="Agadez")

    edited = valid_form("short_answer", prompt="Name the drone-base city.", answers="Agadez")
    assert client.post(f"/teach/questions/{qid}/edit", data=edited).status_code == 302
    # Saving the same content again is no new version.
    assert client.post(f"/teach/questions/{qid}/edit", data=edited).status_code == 302
    v1, v2 = _versions(app, qid)
    assert (v1.version, v2.version) == (1, 2)
    assert v1.as_dict() == answered  # the snapshot is what the student answered
    assert v2.prompt == "Name the drone-base city." and v2.spec["answers"] == ["Agadez"]
    with app.app_context():
        question = db.session.get(Question, qid)
        assert question.version == 2 and question.as_dict() == v2.as_dict()
        review = db.session.scalar(sa.select(Review))
        assert (review.question_id, review.question_version, review.correct) == (qid, 1, True)

    # The next answer is to version 2; the first review is untouched.
    with app.app_context():
        db.session.execute(sa.update(Review).values(due_after=Review.reviewed_at))
        db.session.execute(sa.update(Card).values(due=Card.last_review))
        db.session.commit()
    answer_next(student, answer="Agadez")
    with app.app_context():
        versions = db.session.scalars(sa.select(Review.question_version).order_by(Review.id)).all()
    assert versions == [1, 2]


def test_seeding_versions_questions_once_and_again_on_change(app: Flask) -> None:
    keys = load_set(app)
    assert count_rows(app, QuestionVersion) == len(keys)
    assert {v.version for v in _versions(app, keys["capital"])} == {1}
    with app.app_context():
        sync_sets(db.session, [parse_set(SMALL_SET, "test.yaml")])  # unchanged file
        db.session.commit()
    assert count_rows(app, QuestionVersion) == len(keys)
    edited = SMALL_SET.replace("Which city is Niger's capital?", "Name Niger's capital.")
    with app.app_context():
        sync_sets(db.session, [parse_set(edited, "test.yaml")])
        db.session.commit()
    versions = _versions(app, keys["capital"])
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].prompt == "Which city is Niger's capital?"
    assert versions[1].prompt == "Name Niger's capital."


def test_plain_question_rows_are_versioned_too(app: Flask, user_factory) -> None:
    """An importer that just writes Question rows gets versions without doing anything."""
    set_id = make_set(app, None, questions=2)
    first, _second = question_ids(app, set_id)
    with app.app_context():
        question = db.session.get(Question, first)
        question.spec = {"answers": ["something else"]}
        question.position = 5  # not content: no version of its own
        db.session.commit()
        question.position = 6
        db.session.commit()
    assert [v.version for v in _versions(app, first)] == [1, 2]
    assert _versions(app, first)[1].spec == {"answers": ["something else"]}
