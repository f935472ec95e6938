"""Simulated students: logged-in HTTP clients that walk the app's loops, and timed trials.

The client reads forms from the pages it gets (hidden fields, CSRF token, buttons) instead of
knowing the templates, and answers the generated questions it knows: true, Agadez, Good.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.build import MATCHES, ORDERED, PASSWORD, Built
from bench.server import Server

FORM_RE = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD_RE = re.compile(r"<(input|button|select|textarea)\b([^>]*)>", re.I)
ATTR_RE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')
OPTION_RE = re.compile(r'<option\b[^>]*value="([^"]*)"', re.I)
SELECT_RE = re.compile(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', re.S | re.I)
FLIP_RE = re.compile(r'href="(/study/flip/[^"]+)"')
CHOICE_RE = re.compile(r'<input\b([^>]*)>\s*<span class="choice-text">(.*?)</span>', re.S)
OPTION_TEXT_RE = re.compile(r'<option value="([^"]*)"[^>]*>([^<]*)</option>')
LABEL_RE = re.compile(
    r'<label for="([^"]+)">(?:<span class="visually-hidden">[^<]*</span>)?([^<]*)'
)
UNIT_RE = re.compile(r'id="([^"]*)question-hint"><span class="unit">')
TAG_RE = re.compile(r"<[^>]+>")
RIGHT_CHOICES = {"Niamey", "Agadez"}  # the generated choices that are right


class BenchError(RuntimeError):
    """The app answered something a student would not expect."""


class TrialOver(Exception):
    """The trial's time is up: the student stops where they are."""


def attrs(text: str) -> dict[str, str]:
    """An HTML tag's attributes."""
    return {name.lower(): unescape(value or "") for name, value in ATTR_RE.findall(text)}


@dataclass
class Form:
    """A form on a page: where it posts, its fields as the page fills them, its controls."""

    action: str
    hidden: dict[str, str]
    controls: list[tuple[str, dict[str, str]]]  # (tag, attributes) of the others
    selects: dict[str, list[str]]
    body: str = ""


def forms(html: str, here: str = "") -> list[Form]:
    """Every form of a page (`here`: the page's path, where a form without action posts)."""
    found = []
    for head, body in FORM_RE.findall(html):
        hidden, controls = {}, []
        for tag, raw in FIELD_RE.findall(body):
            field_attrs = attrs(raw)
            if tag.lower() == "input" and field_attrs.get("type") == "hidden":
                hidden[field_attrs.get("name", "")] = field_attrs.get("value", "")
            else:
                controls.append((tag.lower(), field_attrs))
        selects = {name: OPTION_RE.findall(inner) for name, inner in SELECT_RE.findall(body)}
        action = unescape(attrs(head).get("action", "")) or here
        found.append(Form(action, hidden, controls, selects, body))
    return found


def form_to(html: str, action_part: str, here: str = "") -> Form:
    """The first form whose action contains `action_part`."""
    for form in forms(html, here):
        if action_part in form.action:
            return form
    raise BenchError(f"no form posting to {action_part!r}")


def fill(form: Form, right: bool = True) -> dict[str, Any]:
    """Answer every question of a form, right or wrong, from what the page shows: the
    generated questions' choices, places, distance, matches and alphabetical order."""
    data: dict[str, Any] = dict(form.hidden)
    labels = {for_id: unescape(text).strip() for for_id, text in LABEL_RE.findall(form.body)}
    numeric = {prefix + "answer" for prefix in UNIT_RE.findall(form.body)}
    choice_texts: dict[tuple[str, str], str] = {}
    for raw, text in CHOICE_RE.findall(form.body):
        field_attrs = attrs(raw)
        text = unescape(TAG_RE.sub("", text)).strip()
        choice_texts[(field_attrs.get("name", ""), field_attrs.get("value", ""))] = text
    for tag, field_attrs in form.controls:
        name = field_attrs.get("name")
        kind = field_attrs.get("type", "text")
        if not name or name == "csrf_token" or tag == "button":
            continue
        value = field_attrs.get("value", "")
        text = choice_texts.get((name, value), "")
        if kind == "radio":
            if value in ("true", "false"):
                if value == ("true" if right else "false"):
                    data[name] = value
            elif name not in data or (text in RIGHT_CHOICES) == right:
                data[name] = value
        elif kind == "checkbox":
            ticked = text in RIGHT_CHOICES if right else text in ("Niamey", "Lima")
            if ticked or not text:
                data.setdefault(name, []).append(value or "on")
        elif tag in ("input", "textarea") and kind in ("text", "search", "number"):
            if name in numeric:
                data[name] = "750 km" if right else "120 km"
            else:
                data[name] = "Agadez" if right else "Niamey"
    for name, options in form.selects.items():
        data[name] = _select_answer(form.body, name, options, labels, right)
    return data


def _select_answer(
    body: str, name: str, options: list[str], labels: dict[str, str], right: bool
) -> str:
    """A matching or ordering select's answer (any other select: its first option)."""
    select = re.search(rf'<select\b[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', body, re.S)
    texts = {unescape(t).strip(): v for v, t in OPTION_TEXT_RE.findall(select.group(1))}
    label = labels.get(name, "")
    if "match-" in name and label in MATCHES:
        wanted = MATCHES[label]
        if not right:  # another place's name
            wanted = next(t for t in MATCHES.values() if t != wanted)
        return texts.get(wanted, options[-1])
    if "pos-" in name and label in ORDERED:
        place = ORDERED.index(label)
        return str(place + 1 if right else len(ORDERED) - place)
    chosen = [value for value in options if value]
    return chosen[0] if chosen else ""


@dataclass
class Response:
    """What a request got."""

    status: int
    location: str
    body: str


class Client:
    """One student's browser: a keep-alive connection, cookies, latencies it saw."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        self.latencies: list[tuple[float, float]] = []  # (finished at, seconds)
        self.recording = False
        self.stop_at: float | None = None
        self.dry_rounds = 0  # study rounds that found nothing to study (the all-done page)
        self.answered: list[float] = []  # when each card's answer was taken (perf_counter)
        self.next_page: str | None = None  # the next question, from the last redirect followed

    def request(self, method: str, path: str, data: dict[str, Any] | None = None) -> Response:
        """One request (redirects are not followed)."""
        if self.stop_at is not None and time.perf_counter() > self.stop_at:
            raise TrialOver()
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                raw = self.conn.getresponse()
                payload = raw.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # gunicorn's sync workers close after each response
                if attempt == 2:
                    raise
        finished = time.perf_counter()
        if self.recording:
            self.latencies.append((finished, finished - started))
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if raw.getheader("Connection", "").lower() == "close":
            self.conn.close()
        if raw.status >= 500:
            raise BenchError(f"{method} {path}: {raw.status}")
        location = urlsplit(raw.getheader("Location", "") or "")
        target = location.path + (f"?{location.query}" if location.query else "")
        return Response(raw.status, target, payload.decode("utf-8", "replace"))

    def get(self, path: str) -> Response:
        """GET, following redirects."""
        response = self.request("GET", path)
        while response.status in (301, 302, 303) and response.location:
            response = self.request("GET", response.location)
        return response

    def post(self, path: str, data: dict[str, Any]) -> Response:
        """POST, then follow the redirect with GETs."""
        response = self.request("POST", path, data)
        if response.status in (302, 303) and response.location:
            return self.get(response.location)
        return response


def log_in_app(client: Client, username: str) -> None:
    """Log in through the app's form."""
    page = client.get("/auth/login").body
    form = form_to(page, "/auth/login", "/auth/login")
    data = {**form.hidden, "username": username, "password": PASSWORD}
    response = client.post("/auth/login", data)
    if "/auth/login" in response.body and "Log out" not in response.body:
        raise BenchError(f"could not log {username} in")


def log_in_floor(client: Client, username: str) -> None:
    """Log in through the floor's form."""
    page = client.get("/login").body
    form = form_to(page, "/login", "/login")
    client.post("/login", {**form.hidden, "username": username})


# The loops: each call is one round of what a student does.


@dataclass
class Context:
    """What the loops need to know about the database."""

    built: Built
    rng: random.Random = field(default_factory=random.Random)


def answered(client: Client) -> None:
    """Count one card answered (what a student does), at this moment."""
    if client.recording:
        client.answered.append(time.perf_counter())


def study_round(client: Client, ctx: Context) -> None:
    """Next question, answer (wrong or right, then rated), feedback; flashcards flipped.

    The next question is the page the last redirect led to, when it led there: a browser
    does not fetch a page twice to follow a redirect, so neither does the driver."""
    page, client.next_page = client.next_page, None
    if page is None:
        page = client.get("/study/next").body
    right = ctx.rng.random() < 0.7
    flip = FLIP_RE.search(page)
    if flip:  # a flashcard: turn it over, then rate it
        page = client.get(unescape(flip.group(1))).body
    candidates = [f for f in forms(page) if "/study/answer" in f.action]
    if not candidates:  # nothing due and nothing new: the all-done page
        client.dry_rounds += 1
        return
    form = candidates[0]
    data = fill(form, right)
    if any(a.get("name") == "rating" for _t, a in form.controls):
        data["rating"] = "good" if right else "again"
    response = client.request("POST", "/study/answer", data)
    if response.status in (302, 303):
        answered(client)
    if "/study/answers/" in response.location:  # right: the rating page
        rating_page = client.get(response.location).body
        rate = form_to(rating_page, "/study/answers/")
        response = client.request(
            "POST", rate.action, {**rate.hidden, "rating": ctx.rng.choice(("hard", "good", "easy"))}
        )
    if response.location:
        followed = client.get(response.location)
        if urlsplit(response.location).path == "/study/next":
            client.next_page = followed.body


def _start_quiz(client: Client, set_id: int, layout: str) -> str:
    path = f"/study/sets/{set_id}/quiz"
    form = form_to(client.get(path).body, path, path)
    response = client.request(
        "POST", form.action, {**form.hidden, "layout": layout, "time_limit_min": "0"}
    )
    if not response.location:
        raise BenchError(f"quiz did not start: {response.status}")
    return response.location


def quiz10_round(client: Client, ctx: Context) -> None:
    """A 10-question quiz, one question per page, to its result."""
    location = _start_quiz(client, ctx.built.quiz10_set_id, "paged")
    page = client.get(location).body
    for _ in range(12):
        answer_forms = [f for f in forms(page) if f.action.endswith("/answer")]
        if not answer_forms:
            return
        response = client.post(answer_forms[0].action, fill(answer_forms[0]))
        page = response.body


def onepage66_round(client: Client, ctx: Context) -> None:
    """A 66-question quiz on one page, handed in at once, and its result."""
    location = _start_quiz(client, ctx.built.quiz66_set_id, "one_page")
    page = client.get(location).body
    form = form_to(page, "/answer")
    client.post(form.action, fill(form))


def progress_round(client: Client, ctx: Context) -> None:
    """The progress page and a set's mastery page."""
    client.get("/study/progress")
    client.get(f"/study/sets/{ctx.built.study_set_ids[-1]}/progress")


def floor_round(client: Client, ctx: Context) -> None:
    """The floor's study round: the page, then the answer (redirected to the next page)."""
    page = client.get("/next").body
    form = form_to(page, "/answer")
    client.request("POST", "/answer", {**form.hidden, "answer": "true"})
    answered(client)


LOOPS: dict[str, Callable[[Client, Context], None]] = {
    "study": study_round,
    "quiz10": quiz10_round,
    "onepage66": onepage66_round,
    "progress": progress_round,
}


@dataclass
class Trial:
    """One timed run of a loop by N students against one server."""

    server: str
    loop: str
    students: int
    seconds: float
    requests: int
    latencies: list[float]
    cpu_seconds: float
    errors: int
    dry_rounds: int = 0  # study rounds that found nothing to study (see study_round)
    cards: int = 0  # cards answered in the window (study loops only)

    @property
    def cards_per_s(self) -> float:
        return self.cards / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_card(self) -> float:
        return self.cpu_seconds * 1000 / self.cards if self.cards else 0.0

    @property
    def requests_per_card(self) -> float:
        return self.requests / self.cards if self.cards else 0.0

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        """Latency percentile in milliseconds."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.requests if self.requests else 0.0


def run_trial(
    server: Server,
    clients: list[Client],
    loop: Callable[[Client, Context], None],
    ctx: Context,
    name: str,
    seconds: float,
    warmup: float = 0.2,
) -> Trial:
    """Every client runs the loop for `seconds` (after a short warm-up); measure the window."""
    stop_at = time.perf_counter() + warmup + seconds
    errors: list[BaseException] = []
    for client in clients:
        client.latencies = []
        client.recording = True
        client.stop_at = stop_at
        client.dry_rounds = 0
        client.answered = []
        client.next_page = None  # a page fetched in an earlier trial may be stale

    def student(client: Client, seed: int) -> None:
        local = Context(ctx.built, random.Random(seed))
        while time.perf_counter() < stop_at:
            try:
                loop(client, local)
            except TrialOver:
                return
            except (BenchError, OSError, http.client.HTTPException) as error:
                errors.append(error)
                client.conn.close()
                if len(errors) > 50:
                    return

    threads = [
        threading.Thread(target=student, args=(client, n), daemon=True)
        for n, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    window_start = time.perf_counter()
    cpu_start = server.cpu_seconds()
    time.sleep(max(0.0, stop_at - time.perf_counter()))
    cpu_end = server.cpu_seconds()
    window_end = time.perf_counter()
    for thread in threads:
        thread.join(timeout=120)
    for client in clients:
        client.recording = False
        client.stop_at = None
    latencies = [
        seconds_taken
        for client in clients
        for finished, seconds_taken in client.latencies
        if window_start <= finished <= window_end
    ]
    if errors and len(errors) > len(latencies) // 20:
        raise BenchError(f"{name}: {len(errors)} errors, first: {errors[0]!r}")
    return Trial(
        server.name,
        name,
        len(clients),
        window_end - window_start,
        len(latencies),
        latencies,
        cpu_end - cpu_start,
        len(errors),
        sum(client.dry_rounds for client in clients),
        sum(window_start <= at <= window_end for client in clients for at in client.answered),
    )
