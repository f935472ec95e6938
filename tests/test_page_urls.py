"""The layout's cached URLs: the same as url_for, per mount point (the script root)."""

from __future__ import annotations

import re

from flask import Flask, url_for

from quiz import ROOT
from quiz.assets import LAYOUT_FILES, LAYOUT_PAGES, layout_urls, page_url, static_url


def test_cached_urls_equal_url_for_under_each_mount_point(app: Flask) -> None:
    for root in ("", "/quiz", ""):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            assert page_url("study.index") == url_for("study.index") == f"{root}/study/"
            assert static_url("style.css") == url_for("static", filename="style.css")
            assert re.fullmatch(
                rf"{root}/static/[0-9a-f]{{12}}/style\.css", static_url("style.css")
            )


def test_layout_urls_hold_every_layout_link_per_mount_point(app: Flask) -> None:
    for root in ("/quiz", "", "/quiz"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            urls = layout_urls()
            assert set(urls) == {*LAYOUT_FILES, *LAYOUT_PAGES}
            for name in LAYOUT_FILES:
                assert urls[name] == url_for("static", filename=name)
                assert urls[name].startswith(f"{root}/static/")
            for endpoint in LAYOUT_PAGES:
                assert urls[endpoint] == url_for(endpoint)


def test_every_layout_link_is_in_layout_urls() -> None:
    """base.html links only through layout_urls: nothing built per link, nothing missing."""
    text = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "url_for(" not in text and "static_url(" not in text and "page_url(" not in text
    used = set(re.findall(r"layout_url\['([^']+)'\]", text))
    assert used == {*LAYOUT_FILES, *LAYOUT_PAGES}


def test_layout_links_follow_the_mount_point(app: Flask) -> None:
    client = app.test_client()
    plain = client.get("/auth/login").get_data(as_text=True)
    mounted = client.get("/auth/login", base_url="http://localhost/quiz/").get_data(as_text=True)
    assert 'href="/auth/register"' in plain and 'href="/quiz/auth/register"' in mounted
    assert re.search(r'href="/quiz/static/[0-9a-f]{12}/style\.css"', mounted)
