"""Give-away pairs kept apart: found on every write of a set's questions, never two of a pair
in one quiz attempt, never within a few cards of each other in study (issue 28)."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.giveaways import MOST_TELLERS, draw_apart, find_giveaways
from quiz.models import GiveawayPair, Question, QuestionSet, User
from quiz.questions import Grade, question_from_dict
from quiz.quizzes.attempts import start_attempt
from quiz.sets.giveaway_pairs import HOLD_BACK_AFTER, pairs_of_set
from quiz.study.answers import Answer, record_answer
from quiz.study.queue import next_item
from tests.study_helpers import T0, load_set, study


def test_draw_apart_never_keeps_both_of_a_pair_exhaustively() -> None:
    """Every order of 6 candidates, with a chain and a star of pairs: never both; and short of
    the count only when every candidate left out has its partner drawn."""
    pairs = {frozenset(p) for p in [(1, 2), (2, 3), (4, 5), (4, 6)]}
    for order in itertools.permutations(range(1, 7)):
        for count in (None, 2, 3):
            taken = draw_apart(order, pairs, count)
            assert not any(pair <= set(taken) for pair in pairs), (order, taken)
            assert taken == [q for q in order if q in taken]  # in the candidates' order
            if count is None or len(taken) < count:
                for left_out in set(order) - set(taken):
                    assert any(frozenset({left_out, t}) in pairs for t in taken)


def seeded_bank(app: Flask) -> tuple[int, set[frozenset[int]], dict[int, str]]:
    """Seed the real bank; the main set's id, its pairs and its question keys."""
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        set_id = db.session.scalar(
            sa.select(QuestionSet.id).where(QuestionSet.slug == "niger-air-base-101")
        )
        keys = dict(db.session.execute(sa.select(Question.id, Question.key)).all())
        return set_id, pairs_of_set(db.session, set_id), keys


def test_an_answer_every_question_shows_is_vocabulary_not_a_giveaway() -> None:
    """A few questions showing an answer tell it; past MOST_TELLERS the answer is a word of the
    whole set, and its pairs (which grow as the square of the set) are not kept."""
    asked = ("ask", question_from_dict({"kind": "short_answer", "prompt": "Which city?",
                                        "answers": ["Agadez"], "explanation": "x"}))  # fmt: skip

    def showing(count: int) -> list[tuple[str, Any]]:
        return [
            (f"tf{n}", question_from_dict(
                {"kind": "true_false", "prompt": f"Agadez lies north of point {n}.", "answer": True,
                 "explanation": "x"}
            ))
            for n in range(count)
        ]  # fmt: skip

    few = find_giveaways([asked, *showing(3)])
    assert sorted((g.teller, g.told) for g in few) == [
        ("tf0", "ask"),
        ("tf1", "ask"),
        ("tf2", "ask"),
    ]
    assert len(find_giveaways([asked, *showing(MOST_TELLERS)])) == MOST_TELLERS
    assert find_giveaways([asked, *showing(MOST_TELLERS + 1)]) == []


def test_the_bank_pairs_are_stored_found_and_recorded(app: Flask) -> None:
    _, pairs, keys = seeded_bank(app)
    named = {frozenset(keys[q] for q in pair) for pair in pairs}
    assert frozenset({"aes-members", "aes-name-cloze"}) in named  # found: Mali
    assert frozenset({"match-people-roles", "austin-role"}) in named  # recorded by hand
    assert len(pairs) == 16
    with app.app_context():
        assert "17 give-away pairs" in app.test_cli_runner().invoke(args=["seed"]).output


def test_quiz_draws_never_hold_both_of_a_pair(app: Flask, user_factory) -> None:
    """Many real draws of the starter set, of 10, 30 and every question."""
    set_id, pairs, keys = seeded_bank(app)
    user = user_factory("sam")
    partnered = {q for pair in pairs for q in pair}
    seen_partnered: set[int] = set()
    with app.app_context():
        student = db.session.get(User, user.id)
        qset = db.session.get(QuestionSet, set_id)
        for n in range(150):
            count = (10, 30, None)[n % 3]
            attempt = start_attempt(
                db.session, student, qset, one_page=True, time_limit_s=None, now=T0, count=count
            )
            drawn = set(attempt.question_order)
            both = [sorted(keys[q] for q in pair) for pair in pairs if pair <= drawn]
            assert not both, both
            assert count is None or len(drawn) >= count - 1  # a card may lose its choices
            seen_partnered |= drawn & partnered
    assert seen_partnered == partnered  # every member of a pair is still drawn sometimes


TELLER_SET = """
slug: pairs
title: Pairs
questions:
  - id: teller
    kind: short_answer
    prompt: Which country's capital is Niamey?
    answers: [Niger]
    explanation: x
  - id: told
    kind: short_answer
    prompt: Which city is the capital?
    answers: [Niamey]
    explanation: x
"""
FILLERS = "".join(
    f"""  - id: filler{n}
    kind: short_answer
    prompt: Filler question {n}?
    answers: [answer{n}]
    explanation: x
"""
    for n in range(HOLD_BACK_AFTER + 2)
)


def answer(app: Flask, user_id: int, at: int) -> int | None:
    """Take the student's next study question and answer it, rated Easy (so it is not back
    for days); its id (None: nothing to study)."""
    with app.app_context():
        user = db.session.get(User, user_id)
        now = T0 + timedelta(seconds=at)
        shown = next_item(db.session, user, now).question
        if shown is None:
            return None
        grade = Grade(correct=True, score=1.0, feedback="", answer="")
        done = Answer(shown.id, "x", grade, self_rating="easy")
        record_answer(db.session, user, done, submission_id=f"s{at}", now=now)
        return shown.id


def test_study_queue_holds_back_what_the_last_answers_give_away(app: Flask, user_factory) -> None:
    keys = load_set(app, TELLER_SET + FILLERS)
    user = user_factory("sam")
    study(app, user.id, "pairs")
    order = [answer(app, user.id, n) for n in range(len(keys))]
    names = {qid: key for key, qid in keys.items()}
    shown = [names[q] for q in order if q is not None]
    # The set's order would ask "told" second; it waits until HOLD_BACK_AFTER answers later.
    assert shown[0] == "teller"
    assert shown.index("told") > HOLD_BACK_AFTER
    assert sorted(shown) == sorted(keys)


def test_study_queue_shows_a_held_question_when_nothing_else_is_left(
    app: Flask, user_factory
) -> None:
    keys = load_set(app, TELLER_SET)
    user = user_factory("sam")
    study(app, user.id, "pairs")
    order = [answer(app, user.id, n) for n in range(3)]
    assert order == [keys["teller"], keys["told"], None]


def test_study_session_of_the_bank_keeps_pairs_apart(app: Flask, user_factory) -> None:
    """The whole starter set studied through the real queue: no pair within HOLD_BACK_AFTER
    cards, unless every question left was held back at that moment."""
    set_id, pairs, keys = seeded_bank(app)
    user = user_factory("sam")
    with app.app_context():
        db.session.get(User, user.id).new_per_day = 500
        db.session.commit()
    study(app, user.id, "niger-air-base-101")
    partners: dict[int, set[int]] = {}
    for pair in pairs:
        a, b = tuple(pair)
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    with app.app_context():
        live = db.session.scalars(
            sa.select(Question.id).where(Question.set_id == set_id, Question.retired.is_(False))
        ).all()
    shown = [answer(app, user.id, n) for n in range(len(live))]
    assert sorted(shown) == sorted(live)  # every live question of the set, once
    for i, qid in enumerate(shown):
        recent = set(shown[max(0, i - HOLD_BACK_AFTER) : i])
        if partners.get(qid, set()) & recent:
            held = set().union(*(partners.get(r, set()) for r in recent))
            left = set(shown[i:])
            assert left <= held, (keys[qid], "shown beside its partner while others were free")


def test_a_teachers_set_gets_its_pairs_on_every_write(app: Flask, user_factory) -> None:
    """The session hook: any writer (here the ORM, as the forms and importers use it)."""
    teacher = user_factory("tess", role="teacher")
    with app.app_context():
        qset = QuestionSet(title="Mine", owner_id=teacher.id)
        db.session.add(qset)
        for position, (key, prompt, answers) in enumerate(
            [
                ("a", "Which country's capital is Niamey?", ["Niger"]),
                ("b", "The capital?", ["Niamey"]),
            ]
        ):
            spec = {"answers": answers}
            qset.questions.append(
                Question(
                    key=key,
                    kind="short_answer",
                    prompt=prompt,
                    spec=spec,
                    explanation="x",
                    tags=[],
                    position=position,
                )
            )
        db.session.commit()
        assert len(pairs_of_set(db.session, qset.id)) == 1
        teller = qset.questions[0]
        teller.prompt = "Which country is this about?"
        db.session.commit()
        assert pairs_of_set(db.session, qset.id) == set()
        teller.prompt = "Niamey is the capital of which country?"
        db.session.commit()
        rows = db.session.scalars(sa.select(GiveawayPair)).all()
        assert {(r.field, r.answer, r.recorded) for r in rows} == {("prompt", "Niamey", False)}
        teller.retired = True
        db.session.commit()
        assert pairs_of_set(db.session, qset.id) == set()
