"""Upgrading the database to the newest schema, saying each step in the order it runs.

Alembic logs each step as "Running upgrade 0007 -> 0003": the ids are names (revision 0003
was written after 0007), so the log read out of order. `python app.py` prints the chain's own
order instead, one numbered line a step, and keeps Alembic's lines for `flask db upgrade`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from quiz.extensions import db

if TYPE_CHECKING:
    from alembic.script import Script

# Alembic is imported only when there is something to upgrade: it costs a second at start-up.
VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
REVISION = re.compile(r"^revision\s*=\s*[\"']([^\"']+)[\"']", re.M)
DOWN = re.compile(r"^down_revision\s*=\s*[\"']([^\"']+)[\"']", re.M)


def head_revision() -> str | None:
    """The newest revision as the migration files name it (the one no other file follows);
    None when that is not one file (Alembic then decides)."""
    revisions, followed = set(), set()
    for path in VERSIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        if found := REVISION.search(text):
            revisions.add(found.group(1))
        if down := DOWN.search(text):
            followed.add(down.group(1))
    heads = revisions - followed
    return heads.pop() if len(heads) == 1 else None


def is_up_to_date() -> bool:
    """Whether the database already stands at the newest revision (read without Alembic)."""
    head = head_revision()
    if head is None:
        return False
    try:
        with db.engine.connect() as connection:
            current = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            return [row[0] for row in current] == [head]
    except sa.exc.DBAPIError:
        return False  # no alembic_version table yet: a new database


def revision_chain() -> list[Script]:
    """Every revision from the first to the newest (Alembic walks them newest first)."""
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))


def upgrade_steps() -> list[tuple[int, int, str]]:
    """The revisions still to run, in order: (number in the chain, length of the chain, what)."""
    from alembic.runtime.migration import MigrationContext

    chain = revision_chain()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    done = next((i + 1 for i, rev in enumerate(chain) if rev.revision == current), 0)
    return [(i + 1, len(chain), rev.doc or rev.revision) for i, rev in enumerate(chain)][done:]


def upgrade_quietly() -> list[str]:
    """Upgrade to the newest schema; one line a step run, in order ("step 3 of 13: ...")."""
    if is_up_to_date():
        return []
    from flask_migrate import upgrade

    steps = upgrade_steps()
    current_app.config["QUIET_MIGRATIONS"] = True  # migrations/env.py leaves Alembic's log off
    try:
        upgrade()
    finally:
        current_app.config["QUIET_MIGRATIONS"] = False
    return [f"step {number} of {total}: {what}" for number, total, what in steps]
