"""Short paths people type (/register, /login, /progress ...) redirect to the real pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, request, url_for
from flask.blueprints import BlueprintSetupState

from quiz.blueprints import student_pages as bp

SHORT_PATHS = {
    "/register": "auth.register",
    "/signup": "auth.register",
    "/login": "auth.login",
    "/account": "auth.account",
    "/study": "study.index",
    "/progress": "study.progress",
    "/settings": "study.settings",
    "/cards": "study.browse_cards",
    "/browse": "study.browse_cards",
    "/custom": "study.custom_study",
}


def _redirect_to(endpoint: str) -> Any:
    def view() -> Any:
        target = url_for(endpoint)
        query = request.query_string.decode("ascii", "replace")
        return redirect(f"{target}?{query}" if query else target)

    return view


@bp.record_once
def _add_short_paths(state: BlueprintSetupState) -> None:
    app: Flask = state.app
    for path, endpoint in SHORT_PATHS.items():
        app.add_url_rule(
            path, endpoint=f"short{path.replace('/', '_')}", view_func=_redirect_to(endpoint)
        )
