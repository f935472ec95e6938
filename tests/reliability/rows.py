"""What the database holds, as one digest per table: "changed nothing" means the same rows
with the same values, not merely as many rows."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import sqlalchemy as sa
from flask import Flask

from quiz.extensions import db
from quiz.models import Base


def table_digests(app: Flask, skip: Iterable[str] = ()) -> dict[str, str]:
    """A SHA-256 of every table's rows in primary-key order; `skip` names "table.column"s left
    out (columns that may change without being a write the test is about)."""
    skipped = set(skip)
    digests = {}
    with app.app_context():
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.c if f"{table.name}.{c.name}" not in skipped]
            order = list(table.primary_key.columns) or columns
            digest = hashlib.sha256()
            for row in db.session.execute(sa.select(*columns).order_by(*order)):
                digest.update(repr(tuple(row)).encode())
            digests[table.name] = digest.hexdigest()
        db.session.remove()
    return digests


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables whose rows differ."""
    return sorted(name for name, digest in after.items() if before.get(name) != digest)
