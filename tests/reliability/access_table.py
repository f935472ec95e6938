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
    query: str = ""  # appended to the URL, e.g. "?kind=short_answer"


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
    "teach.set_page": Row(owner="teacher_a", also=("admin",)),
    "teach.new_set": Row(),
    "teach.edit_set": Row(owner="teacher_a", also=("admin",)),
    "teach.duplicate_set": Row(owner="teacher_a", also=("admin",)),
    "teach.delete_set": Row(owner="teacher_a", also=("admin",)),
    "teach.restore_set": Row(owner="teacher_a", also=("admin",)),
    "teach.new_question": Row(owner="teacher_a", also=("admin",), query="?kind=short_answer"),
    "teach.edit_question": Row(owner="teacher_a", also=("admin",), args={"question_id": "taught"}),
    "teach.move_question": Row(owner="teacher_a", also=("admin",), args={"question_id": "taught"}),
    "teach.preview_question": Row(
        owner="teacher_a", also=("admin",), args={"question_id": "taught"}
    ),
    # teacher_a's POST (just before admin's) retired the question, so admin finds none.
    "teach.retire_question": Row(
        owner="teacher_a", override={"admin": "hidden"}, args={"question_id": "taught"}
    ),
    "teach.overrides_list": Row(),
    "teach.set_overrides": Row(owner="teacher_a", also=("admin",)),
    "teach.accept_override": Row(owner="teacher_a", also=("admin",)),
    "teach.import_page": Row(),
    "teach.import_confirm": Row(),
    "teach.export_page": Row(owner="teacher_a", also=("admin",)),
    "teach.export_download": Row(owner="teacher_a", also=("admin",)),
    "teach.print_worksheet": Row(owner="teacher_a", also=("admin",)),
    "teach.print_answers": Row(owner="teacher_a", also=("admin",)),
    "short_account": Row(),
    "short_browse": Row(),
    "short_cards": Row(),
    "short_custom": Row(),
    "short_login": Row(override=dict.fromkeys(EVERYONE, "login")),  # a redirect to log in
    "short_progress": Row(),
    "short_register": Row(),
    "short_settings": Row(),
    "short_signup": Row(),
    "short_study": Row(),
    "study.assignment": Row(owner="student_a"),
    "study.attempt_review": Row(owner="student_a"),
    "study.browse_cards": Row(),
    "study.card_action": Row(),
    "study.custom_next": Row(),
    "study.custom_stop": Row(),
    "study.custom_study": Row(),
    "study.join": Row(),
    "study.join_link": Row(),
    "study.practice_feedback": Row(owner="student_a", args={"answer_id": "cram_answer"}),
    "study.start_assigned_quiz": Row(owner="student_a"),
    "study.undo": Row(),
    "teach.answers_csv": Row(owner="teacher_a", also=("admin",)),
    "teach.archive_class": Row(owner="teacher_a", also=("admin",)),
    "teach.class_page": Row(owner="teacher_a", also=("admin",)),
    "teach.classes": Row(),
    "teach.dashboard": Row(owner="teacher_a", also=("admin",)),
    # teacher_a's POST (just before admin's) deleted the assignment, so admin finds none.
    "teach.delete_assignment": Row(owner="teacher_a", override={"admin": "hidden"}),
    "teach.edit_assignment": Row(owner="teacher_a", also=("admin",)),
    "teach.edit_class": Row(owner="teacher_a", also=("admin",)),
    "teach.forecast": Row(owner="teacher_a", also=("admin",)),
    "teach.gradebook_csv": Row(owner="teacher_a", also=("admin",)),
    "teach.item_analysis": Row(owner="teacher_a", also=("admin",)),
    "teach.new_assignment": Row(owner="teacher_a", also=("admin",)),
    "teach.new_class": Row(),
    "teach.projector": Row(owner="teacher_a", also=("admin",)),
    "teach.qr_code": Row(owner="teacher_a", also=("admin",)),
    "teach.regenerate_code": Row(owner="teacher_a", also=("admin",)),
    # teacher_a's POST (just before admin's) removed the student, so admin finds none.
    "teach.remove_student": Row(
        owner="teacher_a", override={"admin": "hidden"}, args={"user_id": "student_a"}
    ),
    "teach.student_page": Row(owner="teacher_a", also=("admin",), args={"user_id": "student_a"}),
}
