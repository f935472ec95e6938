"""A teacher writes a set with every kind in the browser, previews it; a student studies it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import LiveServer
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser

KIND_ORDER = [
    "multiple_choice",
    "multiple_select",
    "true_false",
    "short_answer",
    "numeric",
    "cloze",
    "matching",
    "ordering",
    "flashcard",
]


def log_in(page: Any, base: str, username: str) -> None:
    """Log in through the form."""
    page.goto(f"{base}/auth/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/(study|teach)/$"))


def fill_rows(page: Any, values: list[dict[str, str]]) -> None:
    """Fill the rows of a choices, pairs or items list, adding rows with the JS button."""
    rows = page.locator("[data-rows] > [data-row]")
    while rows.count() < len(values):
        page.click("[data-add-row]")
    while rows.count() > len(values):
        rows.last.locator("[data-remove-row]").click()
    for index, row in enumerate(values):
        for name, value in row.items():
            selector = f"[name='{name.replace('#', str(index))}']"
            if value == "check":  # a checkbox per row, or one radio group for multiple choice
                box = page.locator(selector)
                if box.count() == 0:
                    box = page.locator(f"[name='correct'][value='{index}']")
                box.check()
            else:  # a choice's feedback and weight fold away under "Feedback, partial credit"
                page.locator(selector).evaluate(
                    "el => { const more = el.closest('details'); if (more) more.open = true; }"
                )
                page.fill(selector, value)


def write_question(page: Any, kind: str) -> None:
    """Fill the form of one kind (the set page's "Add question" has opened it) and save."""
    prompt = f"Browser {kind.replace('_', ' ')} question?"
    page.fill("#prompt", prompt)
    if kind in ("multiple_choice", "multiple_select"):
        fill_rows(
            page,
            [
                {"choices-#-text": "Niamey", "choices-#-correct": "check"},
                {"choices-#-text": "Agadez", "choices-#-feedback": "That is the drone base."},
                {"choices-#-text": "Dosso"},
            ],
        )
        if kind == "multiple_choice":
            page.check("[name='correct'][value='0']")
    elif kind == "true_false":
        page.check("[name='answer'][value='true']")
    elif kind == "short_answer":
        page.fill("#answers", "Niamey\nNiamei")
    elif kind == "numeric":
        page.check("[name='mode'][value='range']")  # teach.js shows the range fields only
        expect(page.locator("#low")).to_be_visible()
        expect(page.locator("#value")).to_be_hidden()
        page.check("[name='mode'][value='value']")
        page.fill("#value", "750")
        page.fill("#tolerance", "25")
        page.fill("#unit", "km")
    elif kind == "cloze":
        page.fill("#text", "The capital is {{Niamey}}.")
    elif kind == "matching":
        fill_rows(
            page,
            [
                {"pairs-#-left": "Niamey", "pairs-#-right": "Capital"},
                {"pairs-#-left": "Agadez", "pairs-#-right": "Drone base"},
                {"pairs-#-left": "Paris", "pairs-#-right": "Former colonial capital"},
            ],
        )
    elif kind == "ordering":
        fill_rows(
            page,
            [{"items-#-text": "Coup"}, {"items-#-text": "Expulsion"}, {"items-#-text": "Exit"}],
        )
    elif kind == "flashcard":
        page.fill("#back", "Back of the card")
    page.fill("#explanation", "Because the **notes** say so.")
    page.click("summary:has-text('Tags, source paragraph')")  # folded away (issue 24)
    page.fill("#paragraph", "1")
    page.click("button.primary:has-text('Save question')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+"))
    assert "Question added." in page.content(), page.content()[-3000:]


def answer_as_student(page: Any) -> None:
    """Answer whatever question the study page shows, rightly where the journey knows how."""
    if page.locator("a:has-text('Show answer')").count():
        page.click("a:has-text('Show answer')")  # app.js turns the card over in place
        expect(page.locator("button[value='good']")).to_be_visible()
        assert_accessible(page)
        page.click("button[value='good']")
        return
    fieldset = page.locator("fieldset.question")
    kind = fieldset.get_attribute("class").split("question-")[-1]
    if kind in ("multiple-choice", "multiple-select"):
        page.locator("label", has_text="Niamey").click()
    elif kind == "true-false":
        page.check("#answer-true")
    elif kind == "numeric":
        page.fill("#answer", "460 mi")
    elif kind in ("short-answer",):
        page.fill("#answer", "Niamey")
    elif kind == "cloze":
        page.fill("#gap-0", "Niamey")
    elif kind == "matching":
        for index, right in enumerate(["Capital", "Drone base", "Former colonial capital"]):
            page.select_option(f"#match-{index}", label=right)
    elif kind == "ordering":
        for slot in range(3):
            text = page.locator(f"label[for='pos-{slot}']").inner_text()
            place = ["Coup", "Expulsion", "Exit"].index(text.replace("Place of", "").strip()) + 1
            page.select_option(f"#pos-{slot}", str(place))
    assert_accessible(page)
    page.click("button:has-text('Check')")
    expect(page.locator(".verdict-ok, .verdict-bad").first).to_be_visible()
    assert "Notes paragraph one" in page.content()  # the cited passage in the feedback
    assert_accessible(page)
    if page.locator("[data-rating-key='3']").count():
        page.keyboard.press("3")
        page.wait_for_url(re.compile(r"/study/(reviews/|next)"))  # the next card, or feedback
        assert_accessible(page)


def test_teacher_writes_every_kind_and_a_student_studies_it(
    live_server: LiveServer, page: Any, browser: Any
) -> None:
    base = live_server.url
    make_user(live_server.app, "tess", role="teacher")
    log_in(page, base, "tess")
    page.goto(f"{base}/teach/")
    assert_accessible(page)
    page.click("a:has-text('New set')")
    assert_accessible(page)
    page.fill("#title", "Browser set")
    page.fill("#description", "Written in the **browser**.")
    page.check("input[name='visibility'][value='public']")
    page.fill("#source_text", "Notes paragraph one.\n\nNotes paragraph two.")
    page.click("button:has-text('Save set')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    set_url = page.url
    # The description is authored Markdown, shown rendered (issue 20), not as asterisks.
    expect(page.locator(".set-description strong")).to_have_text("browser")
    assert "**browser**" not in page.locator("main").inner_text()
    assert_accessible(page)
    for kind in KIND_ORDER:
        page.goto(set_url)
        page.select_option("#new-kind", kind)
        page.click("button:has-text('Add question')")
        page.wait_for_url(re.compile(r"/questions/new"))
        assert_accessible(page)
        write_question(page, kind)
    assert page.locator(".question-list > li").count() == len(KIND_ORDER)
    # The choices, pairs and card name Niamey, the typed answers' answer: the set page lists
    # those pairs as kept apart (issue 28), and the page stays accessible with its table.
    kept = page.locator("table.kept-apart")
    told = kept.locator("tbody tr", has_text="Browser short answer question?")
    expect(told.first).to_be_visible()
    assert "“Niamey”" in kept.inner_text() and "a choice" in kept.inner_text()
    assert_accessible(page)

    # A mistake is shown next to its field.
    page.goto(set_url)
    page.locator(".question-list > li").first.locator("a:has-text('Edit')").click()
    page.fill("#choices-1-text", "")
    page.click("button.primary:has-text('Save question')")
    expect(page.locator("#err-choices-1-text")).to_be_visible()
    assert_accessible(page)

    # Reorder: the second question moves up.
    page.goto(set_url)
    second = page.locator(".question-list > li").nth(1).locator(".question-label").inner_text()
    page.locator(".question-list > li").nth(1).locator("button[value='up']").click()
    first_label = page.locator(".question-list > li").first.locator(".question-label")
    expect(first_label).to_have_text(second)

    # Preview the numeric question and answer it in another unit.
    page.locator(".question-list > li", has_text="numeric").locator("a:has-text('Preview')").click()
    assert_accessible(page)
    page.fill("#answer", "460 mi")
    page.click("button:has-text('Check')")
    expect(page.locator(".verdict-ok")).to_be_visible()
    assert "Notes paragraph one." in page.content()
    assert_accessible(page)
    page.click("button:has-text('Log out')")
    # Only the form sent back with its error (a 422) may be reported: no CSP or script error.
    assert [e for e in page.console_errors if "status of 422" not in e] == []

    # A student studies the set.
    student = browser.new_context()
    spage = student.new_page()
    make_user(live_server.app, "stu")
    log_in(spage, base, "stu")
    card = spage.locator("article.card", has_text="Browser set")
    expect(card.locator(".set-description strong")).to_have_text("browser")
    card.locator("button:has-text('Study this set')").click()
    expect(card.locator("button:has-text('Stop studying')")).to_be_visible()
    assert_accessible(spage)
    seen = 0
    while "Browser" in spage.locator("main").inner_text() and seen < 20:
        spage.goto(f"{base}/study/next")
        if spage.locator("fieldset.question, a:has-text('Show answer')").count() == 0:
            break
        assert_accessible(spage)
        answer_as_student(spage)
        seen += 1
    assert seen >= len(KIND_ORDER)
    student.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_rows_are_added_and_removed(
    live_server: LiveServer, browser: Any, javascript: bool
) -> None:
    """Without JavaScript the buttons post and the form comes back; with it, no request."""
    base = live_server.url
    name = f"rows{int(javascript)}"
    make_user(live_server.app, name, role="teacher")
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    log_in(page, base, name)
    page.goto(f"{base}/teach/sets/new")
    page.fill("#title", "Rows")
    page.click("button:has-text('Save set')")
    page.wait_for_url(re.compile(r"/teach/sets/\d+$"))
    page.select_option("#new-kind", "matching")
    page.click("button:has-text('Add question')")
    page.wait_for_url(re.compile(r"/questions/new"))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.fill("#prompt", "Typed before adding")
    page.fill("#pairs-0-left", "first left")
    page.fill("#pairs-1-left", "second left")
    rows = page.locator("[data-rows] > [data-row]")
    expect(rows).to_have_count(3)
    page.click("[data-add-row]")
    expect(rows).to_have_count(4)  # without JavaScript: once the form has come back
    page.fill("#pairs-3-left", "fourth left")
    rows.first.locator("[data-remove-row]").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#pairs-0-left")).to_have_value("second left")
    assert page.input_value("#pairs-0-left") == "second left"
    assert page.input_value("#pairs-2-left") == "fourth left"
    assert page.input_value("#prompt") == "Typed before adding"
    if javascript:
        assert [url for url in requests if "/teach/" in url] == []
        assert_accessible(page)  # axe runs as a script: only where scripts may run
    else:
        assert len([url for url in requests if "/questions/new" in url]) == 2
    context.close()


def test_printed_true_false_choices_stand_apart(live_server: LiveServer, page: Any) -> None:
    """The worksheet's "☐ True ☐ False" has room between the two choices, on screen and on
    paper (issue 20: they ran together as "☐ True☐ False")."""
    base = live_server.url
    make_user(live_server.app, "petra", role="teacher")
    log_in(page, base, "petra")
    with live_server.app.app_context():
        from quiz.extensions import db
        from quiz.models import QuestionSet

        set_id = db.session.query(QuestionSet.id).filter_by(slug="niger-air-base-101").scalar()
    page.goto(f"{base}/teach/sets/{set_id}/print")
    assert_accessible(page)
    gap = """() => {
        const [yes, no] = document.querySelectorAll('.print-choices-inline .print-option');
        return no.querySelector('.box').getBoundingClientRect().left
            - yes.getBoundingClientRect().right;
    }"""
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        assert page.evaluate(gap) >= 16, media  # a clear gap, not a run-on
    text = page.locator(".print-choices-inline").first.inner_text()
    assert re.fullmatch(r"\s*True\s+False\s*", text), text
