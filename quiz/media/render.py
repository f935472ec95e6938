"""Markdown filters that know the files of the sets a page shows (`media:NAME`).

A page's sets come from the view (`show_media_of`) or from the template's own `qset` and
`question`; their files are loaded once per page, and only when a text names a file at all,
so pages without media run no extra statement.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from quiz.extensions import db
from quiz.markup import MediaMap, markdown, markdown_inline
from quiz.media.store import as_media_map, media_map_query


def file_url(set_id: int, sha256: str) -> str:
    """The hash URL of a file placed in a set."""
    return url_for("media.file", set_id=set_id, sha256=sha256)


def show_media_of(*set_ids: int) -> None:
    """Let this page's Markdown place the files of these sets (already checked by the view)."""
    g.media_sets = {*g.get("media_sets", ()), *set_ids}


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
