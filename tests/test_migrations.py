"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from quiz import create_app
from quiz.extensions import db
from quiz.models import Base
from tests.conftest import base_config, pg_config


def _diff_after_upgrade(config: dict) -> list:
    app = create_app(base_config(**config))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            diff = compare_metadata(context, Base.metadata)
            tables = set(sa.inspect(conn).get_table_names())
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert tables >= {t.name for t in Base.metadata.sorted_tables}
    assert left == set(), "downgrade to base leaves tables behind"
    return diff


def test_migrations_match_models_sqlite(tmp_path) -> None:
    diff = _diff_after_upgrade({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.sqlite'}"})
    assert diff == []


@pytest.mark.pg
def test_migrations_match_models_postgresql(pg_schema: tuple[str, str]) -> None:
    url, _ = pg_schema
    schema = f"quiz_migrate_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        assert _diff_after_upgrade(pg_config(url, schema)) == []
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def test_python_app_prints_upgrade_steps_in_chain_order(tmp_path, capfd) -> None:
    """`python app.py` names each step by its place in the chain, in order, one line each
    (issue 20: Alembic's own log said "0007 -> 0003", as revision 0003 was written later)."""
    from quiz.migrating import revision_chain, upgrade_quietly

    app = create_app(base_config(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}"))
    with app.app_context():
        chain = revision_chain()
        lines = upgrade_quietly()
        again = upgrade_quietly()
        db.engine.dispose()
    assert lines == [f"step {n} of {len(chain)}: {rev.doc}" for n, rev in enumerate(chain, start=1)]
    assert lines[0] == f"step 1 of {len(chain)}: initial schema"
    assert [int(line.split()[1]) for line in lines] == list(range(1, len(chain) + 1))
    assert again == []  # up to date: nothing run, nothing said
    err = capfd.readouterr().err
    assert "Running upgrade" not in err  # Alembic's out-of-order log stays off
