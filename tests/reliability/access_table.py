"""T1's table: the exact status code every role gets from every route. ONE LINE PER ROUTE.

A route's expectation is derived from its decorator (none: everyone; login_required: anonymous
is sent to log in, "302 login"; teacher_required: students get 403; admin_required: only
admins) and from whose object the URL names: `Row(owner="student_a")` means every other
logged-in role gets a 404 (never a 403, so ids cannot be probed); `also` lists the roles that
may use it too. The roles let in get `ok[method]`: 200 for a GET unless said, and every other
method must say its code (the guard test checks). `codes` sets single cells, keyed by role or
"METHOD role". `args` names another world object for a URL parameter, `body` is what a POST
sends (default {"action": "add"}). The URL's parameters come from PARAMS in world.py (set_id
is teacher_a's private set assigned to class A, of which student_a and teacher_b are members).
An allowed role's 400 or 422 below is the form refusing the default body, after the object
check: the row says so, and an outsider still gets the 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOGIN = "302 login"  # a redirect to the login page


@dataclass(frozen=True)
class Row:
    """The expectations of one endpoint beyond what its decorator says."""

    owner: str | None = None
    also: tuple[str, ...] = ()
    ok: dict[str, int] = field(default_factory=dict)  # method -> code for the roles let in
    codes: dict[str, int | str] = field(default_factory=dict)  # "role" or "METHOD role"
    args: dict[str, str] = field(default_factory=dict)  # URL parameter -> key in world.ids
    query: str = ""  # appended to the URL, e.g. "?kind=short_answer"
    body: dict[str, str] | None = None  # what a POST sends; None: {"action": "add"}


EVERYONE = ("anonymous", "student_a", "student_b", "teacher_a", "teacher_b", "admin")
LOGGED_IN = EVERYONE[1:]
TEACHERS = ("teacher_a", "teacher_b", "admin")
POST_302 = {"POST": 302}

ACCESS: dict[str, Row] = {
    "index": Row(ok={"GET": 302}),  # to the study page (and from there to log in)
    "static": Row(),
    "auth.login": Row(ok={"GET": 302, "POST": 302}, codes={"anonymous": 200}),  # 200: re-shown
    "auth.register": Row(ok={"GET": 302, "POST": 302}, codes={"anonymous": 200}),
    "auth.logout": Row(codes=dict.fromkeys(EVERYONE, LOGIN)),  # back to the login page
    "auth.account": Row(ok={"POST": 200}),  # the form shown again: the body changes nothing
    "auth.forgot": Row(ok={"POST": 200}),
    "auth.reset": Row(ok={"GET": 400, "POST": 400}),  # an invalid token
    "auth.my_data": Row(),
    "auth.delete_account": Row(ok={"POST": 200}, codes=dict.fromkeys(TEACHERS, 403)),
    "auth.users": Row(),
    # A spare student: a changed role or state logs its owner out, so not a role's account.
    "auth.set_role": Row(ok=POST_302, args={"user_id": "spare"}, body={"role": "student"}),
    "auth.set_active": Row(ok=POST_302, args={"user_id": "spare"}, body={"active": "1"}),
    "auth.reset_link": Row(ok={"POST": 200}, args={"user_id": "spare"}),
    # No provider is configured in the world: its slug names nothing, for everyone.
    "signin.start": Row(ok={"GET": 404}),
    "signin.callback": Row(ok={"GET": 404}),
    # No sign-in pending: to log in (logged-in roles: home).
    "signin.link": Row(ok={"GET": 302, "POST": 302}, codes={"anonymous": LOGIN}),
    "signin.admin": Row(ok={"POST": 200}),  # the provider form shown again: no fields sent
    "notices.settings": Row(ok=POST_302),
    "notices.dismiss": Row(ok={"POST": 400}),  # the body names no notice
    "notices.unsubscribe": Row(ok={"GET": 400, "POST": 400}),  # a forged token
    "study.index": Row(),
    "study.next": Row(),
    # 409: the public set is in student_a's open quiz, so its questions wait for it.
    "study.practice": Row(codes={"student_a": 409}),
    "study.flip": Row(args={"question_id": "flashcard"}, codes={"student_a": 409}),
    "study.answer": Row(ok={"POST": 400}),  # the body names no question
    "study.feedback": Row(owner="student_a"),
    "study.rate": Row(owner="student_a", ok=POST_302),
    "study.settings": Row(ok=POST_302),
    # teacher_a's private set, assigned to class A: its members (student_a, teacher_b) study
    # it; admin is no member, and the study side shows no one else's private sets.
    "study.toggle_set": Row(owner="teacher_a", also=("student_a", "teacher_b"), ok=POST_302),
    "study.start_quiz": Row(owner="teacher_a", also=("student_a", "teacher_b"), ok=POST_302),
    "study.set_progress": Row(owner="teacher_a", also=("student_a", "teacher_b")),
    "study.progress": Row(),
    "study.attempt": Row(owner="student_a"),
    "study.attempt_answer": Row(owner="student_a", ok={"POST": 400}),  # the body names no question
    "study.finish_attempt": Row(owner="student_a", ok=POST_302),
    "study.attempt_result": Row(owner="student_a", ok={"GET": 302}),  # still open: to the quiz
    "study.override": Row(owner="student_a", ok=POST_302),
    "teach.index": Row(),
    # teacher_b is a member of class A, where the set is assigned: still a 404 (defect 2).
    "teach.set_page": Row(owner="teacher_a", also=("admin",)),
    "teach.new_set": Row(ok={"POST": 200}),  # the form shown again: no title in the body
    "teach.edit_set": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.duplicate_set": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.delete_set": Row(owner="teacher_a", also=("admin",), ok=POST_302),  # archived
    # Media of teacher_a's private set: who may study the set (class A) sees the file too.
    "media.file": Row(owner="teacher_a", also=("student_a", "teacher_b", "admin")),
    "media.upload": Row(owner="teacher_a", also=("admin",), ok=POST_302),  # no file: flashed
    # teacher_a removes the file first, so the admin finds it gone.
    "media.delete": Row(owner="teacher_a", also=("admin",), ok=POST_302, codes={"POST admin": 404}),
    # LTI (quiz/lti/): a platform calls these; without its parameters each is a 400 for all.
    "lti.jwks": Row(),
    "lti.login": Row(ok={"GET": 400, "POST": 400}),  # no issuer named
    "lti.launch": Row(ok={"POST": 400}),  # no id_token
    "lti.continue_launch": Row(ok={"GET": 400}),  # an unknown handoff token
    "lti.deep_link": Row(ok={"GET": 400, "POST": 400}),  # no deep-linking launch in progress
    "lti.platforms": Row(ok={"POST": 422}),  # the form refused, shown again
    "lti.edit_platform": Row(ok=POST_302),  # fields left out keep their values: saved as is
    "lti.delete_platform": Row(ok=POST_302, args={"platform_id": "lti_spare_platform"}),
    "lti.courses": Row(),
    # Class A's LMS course: the LMS offered no roster link, so a flashed message and back.
    "lti.sync_roster": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "lti.retry_scores": Row(ok=POST_302),
    "teach.restore_set": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    # A student's own sets (issue 24): the list, and sharing one (the default body ticks no
    # class: private again; a teacher's or admin's share of a set they do not own is a 404).
    "study.my_sets": Row(),
    "study.share_set": Row(owner="student_a", ok=POST_302, args={"set_id": "student_set"}),
    "teach.new_question": Row(
        owner="teacher_a", also=("admin",), ok={"POST": 422}, query="?kind=short_answer"
    ),  # 422: the body is no question
    "teach.edit_question": Row(
        owner="teacher_a", also=("admin",), ok={"POST": 422}, args={"question_id": "taught"}
    ),
    "teach.move_question": Row(
        owner="teacher_a",
        also=("admin",),
        ok=POST_302,
        args={"question_id": "taught"},
        body={"direction": "down"},
    ),
    "teach.preview_question": Row(
        owner="teacher_a", also=("admin",), ok={"POST": 422}, args={"question_id": "taught"}
    ),
    # teacher_a's POST (just before admin's) retired the question, so admin finds none.
    "teach.retire_question": Row(
        owner="teacher_a",
        ok=POST_302,
        codes={"admin": 404},
        args={"question_id": "taught"},
    ),
    # Fast authoring: the rows editor (the default body adds 5 rows: 200), the bulk form (the
    # default body names no action: back to the set's page) and duplicating a question.
    "teach.rows_editor": Row(owner="teacher_a", also=("admin",), ok={"POST": 200}),
    "teach.bulk_questions": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.duplicate_question": Row(
        owner="teacher_a", also=("admin",), ok=POST_302, args={"question_id": "taught"}
    ),
    "teach.overrides_list": Row(),
    "teach.set_overrides": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.accept_override": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.common_wrong_answers": Row(
        owner="teacher_a", also=("admin",), args={"question_id": "taught"}
    ),
    # The POSTs run after teach.retire_question's retired the question: a 404 for everyone
    # (tests/test_common_answers.py covers the owner's and admin's 302 on a live question).
    "teach.accept_common_answer": Row(
        owner="teacher_a",
        also=("admin",),
        ok=POST_302,
        codes={"POST teacher_a": 404, "POST admin": 404},
        args={"question_id": "taught"},
    ),
    "teach.import_page": Row(ok={"POST": 422}),  # the body holds no file
    "teach.import_confirm": Row(ok={"POST": 400}),  # no token: no preview to confirm
    "teach.export_page": Row(owner="teacher_a", also=("admin",)),
    "teach.export_download": Row(owner="teacher_a", also=("admin",)),
    "teach.print_worksheet": Row(owner="teacher_a", also=("admin",)),
    "teach.print_answers": Row(owner="teacher_a", also=("admin",)),
    "short_account": Row(ok={"GET": 302}),
    "short_browse": Row(ok={"GET": 302}),
    "short_cards": Row(ok={"GET": 302}),
    "short_custom": Row(ok={"GET": 302}),
    "short_login": Row(codes=dict.fromkeys(EVERYONE, LOGIN)),  # a redirect to log in
    "short_progress": Row(ok={"GET": 302}),
    "short_register": Row(ok={"GET": 302}),
    "short_settings": Row(ok={"GET": 302}),
    "short_signup": Row(ok={"GET": 302}),
    "short_study": Row(ok={"GET": 302}),
    "study.assignment": Row(owner="student_a", also=("teacher_b",)),  # a member of class A
    "study.attempt_review": Row(owner="student_a"),
    "study.browse_cards": Row(),
    "study.card_action": Row(ok={"POST": 400}),  # the body names no card
    "study.custom_next": Row(ok={"GET": 302}),  # no custom study under way: back to the form
    "study.custom_stop": Row(ok=POST_302),
    "study.custom_study": Row(ok={"POST": 422}),  # the body is no custom study
    "study.join": Row(ok={"POST": 422}),  # the body holds no code
    "study.join_link": Row(),
    "study.practice_feedback": Row(owner="student_a", args={"answer_id": "cram_answer"}),
    "study.start_assigned_quiz": Row(owner="student_a", also=("teacher_b",), ok=POST_302),
    "study.undo": Row(ok={"POST": 400}),  # nothing to undo
    "teach.answers_csv": Row(owner="teacher_a", also=("admin",)),
    # POST starts a background build and goes back to the page; no build yet: the file is 404.
    "teach.answer_export": Row(owner="teacher_a", also=("admin",), ok={"GET": 200, "POST": 302}),
    "teach.answer_export_file": Row(owner="teacher_a", also=("admin",), ok={"GET": 404}),
    "teach.archive_class": Row(
        owner="teacher_a", also=("admin",), ok=POST_302, body={"action": "restore"}
    ),
    "teach.class_page": Row(owner="teacher_a", also=("admin",)),
    "teach.classes": Row(),
    "teach.dashboard": Row(owner="teacher_a", also=("admin",)),
    # teacher_a's POST (just before admin's) deleted the assignment, so admin finds none.
    "teach.delete_assignment": Row(owner="teacher_a", ok=POST_302, codes={"admin": 404}),
    # 200: the form shown again (the body has no due date)
    "teach.edit_assignment": Row(owner="teacher_a", also=("admin",), ok={"POST": 200}),
    "teach.edit_class": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    "teach.forecast": Row(owner="teacher_a", also=("admin",)),
    "teach.gradebook": Row(owner="teacher_a", also=("admin",)),
    "teach.gradebook_csv": Row(owner="teacher_a", also=("admin",)),
    "teach.gradebook_moodle_csv": Row(owner="teacher_a", also=("admin",)),
    "teach.gradebook_canvas_csv": Row(owner="teacher_a", also=("admin",)),
    # 422: the settings form shown again with its problems (the default body names none).
    "teach.gradebook_settings": Row(owner="teacher_a", also=("admin",), ok={"POST": 422}),
    "teach.excuse": Row(
        owner="teacher_a",
        also=("admin",),
        ok=POST_302,
        # teacher_b: a member of class A (student_a is removed, the quiz deleted, by then)
        args={"user_id": "teacher_b", "assignment_id": "study_assignment"},
        body={"excused": "1"},
    ),
    "teach.item_analysis": Row(owner="teacher_a", also=("admin",)),
    # Marking a quiz of class A (teacher_a's class and set); teacher_b, a member, gets a 404.
    "teach.marking": Row(
        owner="teacher_a", also=("admin",), args={"assignment_id": "marking_assignment"}
    ),
    # 302: on to the next essay, or back to the overview when none waits.
    "teach.mark_next": Row(
        owner="teacher_a",
        also=("admin",),
        ok={"GET": 302},
        args={"assignment_id": "marking_assignment"},
    ),
    "teach.mark_question": Row(
        owner="teacher_a",
        also=("admin",),
        args={"assignment_id": "marking_assignment", "question_id": "taught"},
    ),
    # 422: the mark form shown again (the default body has neither score nor comment).
    "teach.mark_answer": Row(
        owner="teacher_a",
        also=("admin",),
        ok={"POST": 422},
        args={
            "assignment_id": "marking_assignment",
            "attempt_id": "marked_attempt",
            "question_id": "taught",
        },
    ),
    "teach.release_marks": Row(
        owner="teacher_a",
        also=("admin",),
        ok=POST_302,
        args={"assignment_id": "marking_assignment"},
    ),
    "teach.new_assignment": Row(owner="teacher_a", also=("admin",), ok={"POST": 200}),
    "teach.new_class": Row(ok={"POST": 200}),  # the form shown again: no name in the body
    "teach.projector": Row(owner="teacher_a", also=("admin",)),
    "teach.qr_code": Row(owner="teacher_a", also=("admin",)),
    "teach.regenerate_code": Row(owner="teacher_a", also=("admin",), ok=POST_302),
    # teacher_a's POST (just before admin's) removed the student, so admin finds none.
    "teach.remove_student": Row(
        owner="teacher_a", ok=POST_302, codes={"admin": 404}, args={"user_id": "student_a"}
    ),
    "teach.student_page": Row(owner="teacher_a", also=("admin",), args={"user_id": "student_a"}),
    # Live games: teacher_a's game of the private set, student_a its only player (no account
    # is needed to play, so the phone's routes are public and anyone not playing gets a 404).
    "live.index": Row(),
    "live.join": Row(ok={"POST": 422}),  # the body holds no PIN
    "live.status": Row(),  # version, state and question number only: what the wall shows
    "live.play": Row(owner="student_a", codes={"anonymous": 404}),
    "live.answer": Row(owner="student_a", ok=POST_302, codes={"anonymous": 404}),  # flashed
    "live.advance": Row(owner="student_a", ok=POST_302, codes={"anonymous": 404}),  # flashed
    "live.start": Row(owner="teacher_a", also=("admin",), ok=POST_302),  # every default: made
    "live.screen": Row(owner="teacher_a", also=("admin",)),
    "live.control": Row(owner="teacher_a", also=("admin",), ok=POST_302),  # unknown action
    "live.results": Row(owner="teacher_a", also=("admin",)),
    "live.results_csv": Row(owner="teacher_a", also=("admin",)),
}

# More objects for some GET routes: other sets and the other class (endpoint, row).
ARCHIVED = {"set_id": "archived_set"}
STUDENT_SET = {"set_id": "student_set"}
STUDENTS_404 = {"student_a": 404, "student_b": 404}
CLASS_B = {"class_id": "class_b"}
VARIANTS: list[tuple[str, Row]] = [
    # teacher_a's archived set: its owner (and admin) still open, export and print it.
    *(
        (endpoint, Row(owner="teacher_a", also=("admin",), args=ARCHIVED))
        for endpoint in (
            "teach.set_page",
            "teach.export_page",
            "teach.export_download",
            "teach.print_worksheet",
            "teach.print_answers",
        )
    ),
    # ... and it has left every study page, its owner's included.
    ("study.set_progress", Row(codes=dict.fromkeys(LOGGED_IN, 404), args=ARCHIVED)),
    # The public starter set: every teacher exports it and prints its answers; students study
    # it, and read only their own sets on the sets' pages.
    ("teach.export_download", Row(args={"set_id": "public_set"}, codes=STUDENTS_404)),
    ("teach.print_answers", Row(args={"set_id": "public_set"}, codes=STUDENTS_404)),
    # student_a's own set, shared with class A: teacher_a (its teacher) sees it, its picture
    # and may copy it, never change or export it; everyone else but admin gets a 404.
    ("teach.set_page", Row(owner="student_a", also=("teacher_a", "admin"), args=STUDENT_SET)),
    (
        "media.file",
        Row(
            owner="student_a",
            also=("teacher_a", "admin"),
            args={**STUDENT_SET, "sha256": "student_media_sha"},
        ),
    ),
    *(
        (endpoint, Row(owner="student_a", also=("admin",), args=STUDENT_SET))
        for endpoint in ("teach.edit_set", "teach.export_page", "teach.print_answers")
    ),
    # student_b's private set: theirs and admin's alone (teacher_b teaches student_b).
    *(
        (endpoint, Row(owner="student_b", also=("admin",), args={"set_id": "student_b_set"}))
        for endpoint in ("teach.set_page", "teach.edit_set", "teach.export_download")
    ),
    # teacher_b's class B: teacher_a, whose class teacher_b joined, gets nothing in return.
    ("teach.class_page", Row(owner="teacher_b", also=("admin",), args=CLASS_B)),
    ("teach.dashboard", Row(owner="teacher_b", also=("admin",), args=CLASS_B)),
    ("teach.gradebook_csv", Row(owner="teacher_b", also=("admin",), args=CLASS_B)),
    ("teach.gradebook", Row(owner="teacher_b", also=("admin",), args=CLASS_B)),
    (
        "teach.student_page",
        Row(owner="teacher_b", also=("admin",), args={**CLASS_B, "user_id": "student_b"}),
    ),
    # Class B's assignment: student_b's; teacher_b teaches class B but is no member of it.
    ("study.assignment", Row(owner="student_b", args={"assignment_id": "assignment_b"})),
]
