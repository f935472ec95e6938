"""Numbers of thousands of digits in query strings and forms: a clear 4xx or a default, never
int()'s ValueError (a 500). The fuzzer found two in forms; these are the rest of the kind."""

from __future__ import annotations

import re

from flask import Flask

from tests.classes_helpers import login_as, make_world

HUGE = "9" * 5000


def test_huge_numbers_never_reach_int(app: Flask) -> None:
    world = make_world(app)
    teacher = app.test_client()
    login_as(teacher, "teacher")
    base = f"/teach/classes/{world.classroom}"
    for path, status in (
        (f"{base}/dashboard?days={HUGE}", 200),  # the longest window allowed
        (f"{base}/forecast?set={HUGE}", 200),  # no such set: every set, as without one
        (f"{base}/students/{world.member}?set={HUGE}", 404),  # no such set, as for any id
        (f"{base}/assignments/new?set={HUGE}", 200),  # no set chosen in advance
    ):
        assert teacher.get(path).status_code == status, path[:60]
    imported = teacher.post(
        "/teach/import", data={"text": "Q?\nA. yes\nB. no\nANSWER: A\n", "target": HUGE}
    )
    assert imported.status_code == 404  # no such set: the same answer as for any unknown id
    student = app.test_client()
    login_as(student, "member")
    student.post(f"/study/sets/{world.set_id}/study", data={"action": "add"})
    for last in (HUGE, f"c{HUGE}"):
        page = student.get(f"/study/next?last={last}")
        assert page.status_code == 200 and "Last:" not in page.get_data(as_text=True)
    form = student.get("/study/next").get_data(as_text=True)
    fields = dict(re.findall(r'name="(question_id|submission_id)" value="([^"]+)"', form))
    answer = student.post("/study/answer", data={**fields, "card_version": HUGE, "answer": "x"})
    assert answer.status_code == 400
    started = student.post(
        f"/study/sets/{world.set_id}/quiz", data={"layout": "paged", "time_limit_min": "0"}
    )
    attempt = started.headers["Location"].split("?")[0]
    assert student.get(f"{attempt}?n={HUGE}").status_code == 200
