"""`python app.py` skips the seed when the bank's files hash as at the last seed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Question, SeedRecord
from tests.test_bank_identity import REGION, seed_dir


def test_restart_skips_an_unchanged_bank(app: Flask, tmp_path: Path) -> None:
    from quiz.cli import bank_hash, seed_if_changed

    folder = seed_dir(app, tmp_path, REGION)
    with app.app_context():
        first = seed_if_changed()
        assert "sets" in first and "skipped" not in first
        assert db.session.scalar(sa.select(SeedRecord.bank_hash)) == bank_hash(folder)
        assert seed_if_changed() == "unchanged since the last seed (skipped)"
        # A changed file seeds again, and that seed's hash replaces the old one.
        (folder / "sahel-ids.yaml").write_text(REGION.replace("Sahel ids", "Sahel ids, v2"))
        again = seed_if_changed()
        assert "skipped" not in again and "1 updated" in again
        assert db.session.scalar(sa.select(sa.func.count(SeedRecord.id))) == 1
        assert db.session.scalar(sa.select(Question.id).limit(1)) is not None
        # A new file in the folder counts as a change too.
        (folder / "notes.txt").write_text("not a set")
        assert bank_hash(folder) != db.session.scalar(sa.select(SeedRecord.bank_hash))


def test_gunicorn_worker_imports_no_alembic() -> None:
    """The app factory (what a gunicorn worker loads) still pulls in no Alembic."""
    code = (
        "import sys; from quiz import create_app; "
        "create_app({'SECRET_KEY': 'x' * 40, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'}); "
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr


def test_up_to_date_database_is_seen_without_alembic(app: Flask) -> None:
    """A restart reads the newest revision from the migration files; Alembic runs only when
    the database is behind (a new one here)."""
    from flask_migrate import upgrade

    from quiz import migrating

    head = migrating.head_revision()
    assert head is not None  # one head: the chain the files describe
    with app.app_context():
        db.drop_all()
        assert migrating.is_up_to_date() is False  # no alembic_version table at all
        upgrade()
        assert migrating.is_up_to_date() is True
        assert migrating.upgrade_quietly() == []
