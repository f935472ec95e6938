"""Forms as a browser sees them: parsed from a page, filled in, posted by a test client."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    """One named control of a form."""

    name: str
    kind: str  # input type, "textarea" or "select"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    """A form of a page: where it posts and its controls."""

    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def named(self, name: str) -> Field | None:
        """The first control with this name."""
        return next((f for f in self.fields if f.name == name), None)

    def defaults(self) -> dict[str, list[str]]:
        """What a browser would send untouched (hidden values, checked boxes, selections)."""
        data: dict[str, list[str]] = {}
        for f in self.fields:
            if f.kind in ("submit", "button", "reset", "file", "image"):
                continue
            if f.kind in ("radio", "checkbox") and not f.value:
                continue
            if f.kind == "select":
                data.setdefault(f.name, []).append(f.value or (f.options[0] if f.options else ""))
            elif f.kind not in ("radio", "checkbox"):
                data.setdefault(f.name, []).append(f.value)
        return data


class _Parser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action") or self.page, (a.get("method") or "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind in ("radio", "checkbox"):
                existing = self._form.named(a["name"])
                group = existing if existing and existing.kind == kind else None
                if group is None:
                    group = Field(a["name"], kind)
                    self._form.fields.append(group)
                group.options.append(value or "on")
                if "checked" in a:
                    group.value = value or "on"
            else:
                self._form.fields.append(Field(a["name"], kind, value))
        elif tag == "button" and a.get("name"):
            # A named button sends its value (e.g. the action of the card list): a submit.
            self._form.fields.append(Field(a["name"], "submit", a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str, page: str = "") -> list[Form]:
    """Every form of the page."""
    parser = _Parser(page)
    parser.feed(html)
    return parser.forms


def plausible(form: Form, rng: random.Random) -> dict[str, list[str]]:
    """A filled-in form as a student might send it: choices picked, text typed."""
    data = form.defaults()
    for f in form.fields:
        if f.kind == "radio" and f.options:
            data[f.name] = [rng.choice(f.options)]
        elif f.kind == "checkbox" and f.options and f.name != "remember":
            data[f.name] = rng.sample(f.options, rng.randint(1, len(f.options)))
        elif f.kind == "select" and f.options:
            data[f.name] = [rng.choice(f.options)]
        elif f.kind in ("text", "search", "textarea") and not f.value:
            data[f.name] = [rng.choice(["Niamey", "Agadez", "750 km", "Russia", "x"])]
    return data
