"""quiz.statements: statements built once, their cache keys hashed once (issue 12)."""

from __future__ import annotations

import sqlalchemy as sa

from quiz.statements import HashedKey, built_once, with_hashed_key

METADATA = sa.MetaData()
ITEM = sa.Table(
    "item",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("size", sa.Integer),
)


def _engine() -> sa.Engine:
    engine = sa.create_engine("sqlite://")
    METADATA.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sa.insert(ITEM), [{"id": n, "size": n * 10} for n in range(1, 6)])
    return engine


def _plain() -> sa.Select[tuple[int]]:
    return sa.select(ITEM.c.id).where(ITEM.c.size >= sa.bindparam("least")).order_by(ITEM.c.id)


def test_the_key_is_the_statements_own_and_hashes_as_it_did() -> None:
    plain_key = _plain()._generate_cache_key()
    statement = with_hashed_key(_plain())
    key = statement._generate_cache_key()
    assert isinstance(key.key, HashedKey)
    assert key.key == plain_key.key
    assert hash(key.key) == hash(plain_key.key)
    assert statement._generate_cache_key() is key  # worked out once, then kept


def test_a_statement_derived_from_one_built_once_gets_its_own_key_and_sql() -> None:
    engine = _engine()
    parent = with_hashed_key(_plain())
    child = parent.limit(1)  # a copy: it must not inherit the parent's key
    assert not isinstance(child._generate_cache_key().key, HashedKey)
    assert child._generate_cache_key().key != parent._generate_cache_key().key
    with engine.connect() as conn:
        # The parent first, so that its compiled form is in the cache when the child runs.
        assert conn.execute(parent, {"least": 20}).scalars().all() == [2, 3, 4, 5]
        assert conn.execute(child, {"least": 20}).scalars().all() == [2]
        assert conn.execute(parent, {"least": 40}).scalars().all() == [4, 5]


def test_built_once_builds_one_statement_per_argument_and_runs_it_each_time() -> None:
    calls: list[int] = []

    @built_once
    def at_least(limit: int) -> sa.Select[tuple[int]]:
        calls.append(limit)
        return _plain().limit(limit)

    assert at_least(2) is at_least(2)
    assert at_least(3) is not at_least(2)
    assert calls == [2, 3]
    engine = _engine()
    with engine.connect() as conn:
        for _ in range(3):  # compiled once, then found in the cache by the kept key
            assert conn.execute(at_least(2), {"least": 10}).scalars().all() == [1, 2]
            assert conn.execute(at_least(3), {"least": 30}).scalars().all() == [3, 4, 5]
