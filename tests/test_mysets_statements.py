"""My sets, a student's set page and the class page's shared sets cost the same number of SQL
statements for a few sets (or questions) as for many."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Classroom, Enrollment, Question, QuestionSet, Role, SetShare, StudiedSet
from tests.conftest import AuthActions, make_user, statements_for


def build(app: Flask, sets: int, questions: int, tag: str) -> tuple[int, int]:
    """A student in a class with `sets` own sets of `questions` cards, every other one shared
    and studied; bulk inserted. The class's id and the first set's."""
    student = make_user(app, f"stu{tag}").id
    teacher = make_user(app, f"tea{tag}", role=Role.TEACHER.value).id
    with app.app_context():
        classroom = Classroom(teacher_id=teacher, name=f"Class {tag}", join_code=f"MYSET{tag}")
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=student))
        rows = [{"owner_id": student, "title": f"Set {n}", "visibility": "private",
                 "description": "", "source": {}, "tags": []} for n in range(sets)]  # fmt: skip
        db.session.execute(sa.insert(QuestionSet), rows)
        ids = db.session.scalars(
            sa.select(QuestionSet.id)
            .where(QuestionSet.owner_id == student)
            .order_by(QuestionSet.id)
        ).all()
        db.session.execute(
            sa.insert(Question),
            [
                {"set_id": s, "key": f"k{n}", "kind": "flashcard", "prompt": f"front {n}",
                 "spec": {"back": f"back {n}"}, "explanation": "x", "tags": [], "position": n}
                for s in ids
                for n in range(questions)
            ],
        )  # fmt: skip
        every_other = ids[::2]
        db.session.execute(
            sa.insert(SetShare), [{"set_id": s, "classroom_id": classroom.id} for s in every_other]
        )
        db.session.execute(
            sa.insert(StudiedSet), [{"user_id": student, "set_id": s} for s in every_other]
        )
        db.session.commit()
        return classroom.id, ids[0]


@pytest.mark.parametrize("page", ["my_sets", "set_page", "class_page"])
def test_statements_do_not_grow_with_the_sets(app: Flask, page: str) -> None:
    counts = []
    for tag, sets, questions in (("A", 2, 10), ("B", 60, 300)):
        class_id, set_id = build(app, sets, questions, tag)
        who, url = {
            "my_sets": (f"stu{tag}", "/study/my-sets"),
            "set_page": (f"stu{tag}", f"/teach/sets/{set_id}"),
            "class_page": (f"tea{tag}", f"/teach/classes/{class_id}"),
        }[page]
        client = app.test_client()
        assert AuthActions(client).login(who).status_code == 302
        counts.append(statements_for(app, client, url))
    print(f"statements of {page}: {counts}")  # the figure for the note (-s shows it)
    assert counts[0] == counts[1], counts
    assert counts[0] < 25, counts
