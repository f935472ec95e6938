"""Static files under versioned URLs, cached for a year and served compressed; HTML compressed.

`url_for('static', filename='style.css')` gives `/static/<digest>/style.css`, where the digest
is the file's content hash: a changed file gets a new URL, so browsers may keep every version
for a year without asking again (no conditional request per page view). WhiteNoise serves
them (with the gzip and Brotli copies made here at start-up, since it only serves precompressed
files outside Django); Flask-Compress compresses the HTML pages.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_compress import Compress
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

YEAR_S = 365 * 24 * 3600
COMPRESSED = frozenset({".css", ".js", ".svg", ".html", ".txt", ".json", ".map"})
DIGEST_LENGTH = 12


def digest_of(path: Path) -> str:
    """The start of the file's SHA-256: part of its URL."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_LENGTH]


def _write_atomically(target: Path, data: bytes) -> None:
    """Write a file so that a concurrent reader (another worker) never sees half of it."""
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
        handle.write(data)
    os.replace(handle.name, target)


def build(static_dir: Path, cache_dir: Path) -> dict[str, str]:
    """Copy each static file to <cache>/<digest>/<name> with compressed copies; map names."""
    versions: dict[str, str] = {}
    for path in sorted(static_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(static_dir).as_posix()
        digest = digest_of(path)
        versions[name] = digest
        target = cache_dir / digest / name
        if target.exists():  # built by an earlier start, or by another worker just now
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        if path.suffix in COMPRESSED:
            _write_atomically(target.with_name(target.name + ".gz"), Compressor.compress_gzip(data))
            compressor = Compressor(use_gzip=False, quiet=True)
            if compressor.use_brotli:
                _write_atomically(
                    target.with_name(target.name + ".br"), compressor.compress_brotli(data)
                )
        _write_atomically(target, data)  # last: its presence means the set is complete
    return versions


def _nosniff(headers: object, _path: str, _url: str) -> None:
    headers["X-Content-Type-Options"] = "nosniff"  # type: ignore[index]


def init_app(app: Flask) -> None:
    """Serve /static through WhiteNoise with versioned URLs; compress HTML responses."""
    static_dir = Path(app.static_folder or "static")
    cache_dir = Path(app.instance_path) / "static-cache"
    versions = build(static_dir, cache_dir)

    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict[str, object]) -> None:
        if endpoint == "static":
            name = values.get("filename")
            if isinstance(name, str) and name in versions:
                values["filename"] = f"{versions[name]}/{name}"

    whitenoise = WhiteNoise(
        app.wsgi_app,
        max_age=60,  # unversioned URLs (/static/style.css) are checked again soon
        immutable_file_test=lambda _path, url: _is_versioned(url, versions),
        add_headers_function=_nosniff,
        allow_all_origins=False,
    )
    whitenoise.add_files(str(static_dir), prefix="static/")
    whitenoise.add_files(str(cache_dir), prefix="static/")
    app.wsgi_app = whitenoise  # type: ignore[method-assign]

    app.extensions["quiz_urls"] = {}
    app.add_template_global(static_url)
    app.add_template_global(page_url)
    app.add_template_global(layout_urls)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "application/json"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    Compress(app)


def _cached_url(endpoint: str, filename: str | None = None) -> str:
    """url_for of a page without arguments, or of a static file, built once per mount point.

    The layout links every page to the same five files and menu pages; building each of those
    URLs again on every page view cost more than the rest of the layout.
    """
    urls: dict[tuple[str, str, str | None], str] = current_app.extensions["quiz_urls"]
    key = (request.script_root, endpoint, filename)
    url = urls.get(key)
    if url is None:
        values = {} if filename is None else {"filename": filename}
        url = urls[key] = url_for(endpoint, **values)
    return url


def static_url(filename: str) -> str:
    """The versioned URL of a static file (template global)."""
    return _cached_url("static", filename)


def page_url(endpoint: str) -> str:
    """The URL of a page that takes no arguments (template global)."""
    return _cached_url(endpoint)


# What the layout (base.html) links to on every page: its files, and the menu's pages.
LAYOUT_FILES = (
    "style.css",
    "questions.css",
    "progress.css",
    "classes.css",
    "favicon.svg",
    "app.js",
)
LAYOUT_PAGES = (
    "index",
    "study.index",
    "study.progress",
    "study.browse_cards",
    "study.my_sets",
    "teach.index",
    "auth.users",
    "auth.account",
    "auth.logout",
    "auth.login",
    "auth.register",
)


def layout_urls() -> dict[str, str]:
    """Every URL the layout links to, by file name or endpoint, built once per mount point
    (template global): one call per page instead of one per link."""
    urls: dict[Any, Any] = current_app.extensions["quiz_urls"]
    key = ("layout", request.script_root)
    layout = urls.get(key)
    if layout is None:
        layout = {name: static_url(name) for name in LAYOUT_FILES}
        layout.update({endpoint: page_url(endpoint) for endpoint in LAYOUT_PAGES})
        urls[key] = layout
    return layout


def _is_versioned(url: str, versions: dict[str, str]) -> bool:
    """Whether a URL names a file by its digest (/static/<digest>/<name>)."""
    parts = url.split("/", 3)  # '', 'static', digest, name
    return len(parts) == 4 and versions.get(parts[3]) == parts[2]
