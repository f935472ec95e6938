"""Markdown filters that know the files of the sets a page shows (`media:NAME`).

A page's sets are those of the questions the request loaded (a Question row, or the pure
question built by `load_question`, notes its set with `show_media_of`) and the template's own
`qset` and `question`. Their files are loaded once per page, and only when a text names a file
at all, so pages without media run no extra statement. The hash URL checks the set's access
again, so a name resolved through a set the reader may not see still serves nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import g, has_app_context, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from quiz.extensions import db
from quiz.markup import MediaMap, markdown, markdown_inline
from quiz.media.store import as_media_map, media_map_query
from quiz.models import Question


def file_url(set_id: int, sha256: str) -> str:
    """The hash URL of a file placed in a set."""
    return url_for("media.file", set_id=set_id, sha256=sha256)


def show_media_of(*set_ids: int) -> None:
    """Let this page's Markdown place the files of these sets (already checked by the view)."""
    if has_app_context():
        g.media_sets = {*g.get("media_sets", ()), *set_ids}


@sa.event.listens_for(Question, "load")
def _note_loaded_question(target: Question, _context: Any) -> None:
    """A question loaded for this request may show its set's files."""
    show_media_of(target.set_id)


def _page_sets(ctx: Context) -> frozenset[int]:
    """The sets whose files this page may show: the view's, the template's set and question's."""
    ids = set(g.get("media_sets", ()))
    qset = ctx.get("qset")
    if getattr(qset, "id", None) is not None:
        ids.add(qset.id)
    question = ctx.get("question")
    if getattr(question, "set_id", None) is not None:
        ids.add(question.set_id)
    return frozenset(ids)


def page_media(ctx: Context, text: Any) -> MediaMap:
    """The files Markdown may name on this page, loaded on the first text that names one."""
    if not isinstance(text, str) or "media:" not in text:
        return ()
    set_ids = _page_sets(ctx)
    if not set_ids:
        return ()
    cache: dict[frozenset[int], MediaMap] = g.setdefault("media_maps", {})
    if set_ids not in cache:
        rows = db.session.execute(media_map_query(set_ids)).all()
        cache[set_ids] = as_media_map(rows, file_url)
    return cache[set_ids]


@pass_context
def md(ctx: Context, text: str) -> Markup:
    """Safe block HTML, with the page's media."""
    return markdown(text, page_media(ctx, text))


@pass_context
def md_inline(ctx: Context, text: str) -> Markup:
    """Safe inline HTML, with the page's media."""
    return markdown_inline(text, page_media(ctx, text))
