"""Upgrading the database to the newest schema, saying each step in the order it runs.

Alembic logs each step as "Running upgrade 0007 -> 0003": the ids are names (revision 0003
was written after 0007), so the log read out of order. `python app.py` prints the chain's own
order instead, one numbered line a step, and keeps Alembic's lines for `flask db upgrade`.
"""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from flask import current_app

from quiz.extensions import db


def revision_chain() -> list[Script]:
    """Every revision from the first to the newest (Alembic walks them newest first)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return list(reversed(list(ScriptDirectory.from_config(config).walk_revisions())))


def upgrade_steps() -> list[tuple[int, int, str]]:
    """The revisions still to run, in order: (number in the chain, length of the chain, what)."""
    chain = revision_chain()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    done = next((i + 1 for i, rev in enumerate(chain) if rev.revision == current), 0)
    return [(i + 1, len(chain), rev.doc or rev.revision) for i, rev in enumerate(chain)][done:]


def upgrade_quietly() -> list[str]:
    """Upgrade to the newest schema; one line a step run, in order ("step 3 of 13: ...")."""
    from flask_migrate import upgrade

    steps = upgrade_steps()
    current_app.config["QUIET_MIGRATIONS"] = True  # migrations/env.py leaves Alembic's log off
    try:
        upgrade()
    finally:
        current_app.config["QUIET_MIGRATIONS"] = False
    return [f"step {number} of {total}: {what}" for number, total, what in steps]
