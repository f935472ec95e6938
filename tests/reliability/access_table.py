"""T1's table: what every role gets from every route. ONE LINE PER ROUTE.

A route's expectation is derived from its decorator (none: everyone; login_required: anonymous
is sent to log in; teacher_required: students get 403; admin_required: only admins). A row adds
what the decorator cannot know: whose object the URL names. `Row(owner="student_a")` means
every other logged-in role gets a 404 (never a 403, so ids cannot be probed); `also` lists the
roles that may see it too; `override` sets single cells; `args` names
another world object for a URL parameter. The URL's parameters come from
PARAMS in world.py (set_id is teacher_a's unpublished set, attempt_id student_a's attempt...).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Row:
    """The expectations of one endpoint beyond what its decorator says."""

    owner: str | None = None
    also: tuple[str, ...] = ()
    override: dict[str, str] = field(default_factory=dict)
    args: dict[str, str] = field(default_factory=dict)  # URL parameter -> key in world.ids


EVERYONE = ("anonymous", "student_a", "student_b", "teacher_a", "teacher_b", "admin")


ACCESS: dict[str, Row] = {
    "index": Row(),
    "static": Row(),
    "auth.login": Row(),
    "auth.register": Row(),
    "auth.logout": Row(override=dict.fromkeys(EVERYONE, "login")),  # back to the login page
    "auth.account": Row(),
    "auth.forgot": Row(),
    "auth.reset": Row(),  # an invalid token: 400 for everyone
    "auth.my_data": Row(),
    "auth.delete_account": Row(
        override={"teacher_a": "forbidden", "teacher_b": "forbidden", "admin": "forbidden"}
    ),
    "auth.users": Row(),
    "auth.set_role": Row(),
    "auth.set_active": Row(),
    "auth.reset_link": Row(),
    "study.index": Row(),
    "study.next": Row(),
    "study.practice": Row(),
    "study.flip": Row(args={"question_id": "flashcard"}),
    "study.answer": Row(),
    "study.feedback": Row(owner="student_a"),
    "study.rate": Row(owner="student_a"),
    "study.settings": Row(),
    "study.toggle_set": Row(owner="teacher_a", also=("student_a",)),  # assigned to A's class
    "study.start_quiz": Row(owner="teacher_a", also=("student_a",)),
    "study.set_progress": Row(owner="teacher_a", also=("student_a",)),
    "study.progress": Row(),
    "study.attempt": Row(owner="student_a"),
    "study.attempt_answer": Row(owner="student_a"),
    "study.finish_attempt": Row(owner="student_a"),
    "study.attempt_result": Row(owner="student_a"),
    "study.override": Row(owner="student_a"),
    "teach.index": Row(),
    "teach.overrides_list": Row(),
    "teach.set_overrides": Row(owner="teacher_a", also=("admin",)),
    "teach.accept_override": Row(owner="teacher_a", also=("admin",)),
    "teach.import_page": Row(),
    "teach.import_confirm": Row(),
    "teach.export_page": Row(owner="teacher_a", also=("admin",)),
    "teach.export_download": Row(owner="teacher_a", also=("admin",)),
    "teach.print_worksheet": Row(owner="teacher_a", also=("admin",)),
    "teach.print_answers": Row(owner="teacher_a", also=("admin",)),
}
