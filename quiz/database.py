"""Engine set-up per backend, and the write transaction that keeps two tabs from racing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, scoped_session
from sqlalchemy.orm.attributes import set_committed_value

from quiz.extensions import db
from quiz.statements import built_once

IMMEDIATE = "quiz_begin_immediate"
WRITING = "quiz_writing"
HOLDS_WRITE_LOCK = "quiz_holds_write_lock"  # on a SQLite connection: began IMMEDIATE
CHANGES_AT_BEGIN = "quiz_changes_at_begin"  # on a SQLite connection: total_changes at BEGIN
DEFERS_WRITE_LOCK = "quiz_defers_write_lock"  # on a view: see defers_write_lock
WROTE = "quiz_wrote"  # on a PostgreSQL connection: the transaction ran a statement that writes
READ_AUTOCOMMIT = "quiz_read_autocommit"  # on a PostgreSQL connection: a GET's, in autocommit
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
View = TypeVar("View", bound=Callable[..., Any])
# GET endpoints that must write, and so keep a transaction on PostgreSQL: LTI's OIDC login
# initiation (a platform may send it as a GET; its nonce is stored) and the like. Features add
# their endpoint names while the app is built.
WRITING_GETS: set[str] = set()


class WriteInRead(RuntimeError):
    """A GET (HEAD, OPTIONS) request tried to write on PostgreSQL, whose connection is in
    autocommit for it."""

    def __init__(self, verb: str) -> None:
        super().__init__(f"{verb} in a GET, HEAD or OPTIONS request, which only reads")


def engine_options(uri: str, config: dict[str, Any]) -> dict[str, Any]:
    """Pool and driver options for the configured database."""
    if uri.startswith("sqlite"):
        return {"connect_args": {"timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000}}
    # PostgreSQL: fail fast (503) instead of queueing for 30 s when the pool is exhausted.
    # 8 + 8 connections: one for each of the 16 threads README's gunicorn command runs.
    return {"pool_pre_ping": True, "pool_size": 8, "max_overflow": 8, "pool_timeout": 5}


def install_sqlite_profile(app: Flask) -> None:
    """WAL, a busy timeout and foreign keys on every SQLite connection; BEGIN on our terms."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (the pysqlite recipe), so we can choose IMMEDIATE.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        if not _is_memory(engine.url):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A busy timeout does not cover a read lock upgraded to a write lock in WAL mode, so
        # writers take the lock at BEGIN IMMEDIATE: every transaction of a request that may
        # write (any method but GET/HEAD/OPTIONS), and whoever asks through begin_write.
        immediate = conn.get_execution_options().get(IMMEDIATE, False) or _writing_request()
        # Straight to the driver: every request begins, and SQLAlchemy's statement machinery
        # (events, cursor, result) cost more than BEGIN itself. As on PostgreSQL, whose driver
        # sends BEGIN unseen, statement counts therefore leave it out.
        _to_driver(conn, "BEGIN IMMEDIATE" if immediate else "BEGIN")
        conn.info[HOLDS_WRITE_LOCK] = immediate
        conn.info[CHANGES_AT_BEGIN] = conn.connection.driver_connection.total_changes


def _to_driver(conn: sa.Connection, *statements: str) -> None:
    """Run transaction statements on a SQLite connection's driver, in order.

    SQLAlchemy does not wrap what fails here, so a busy timeout that ran out is raised as its
    OperationalError, which quiz.errors answers with a 503 ("busy, try again"), not a 500.
    """
    driver = conn.connection.driver_connection
    try:
        for statement in statements:
            driver.execute(statement)
    except sqlite3.OperationalError as error:
        raise sa.exc.OperationalError(statement, None, error) from error


def _writing_request() -> bool:
    if not has_request_context() or request.method in READ_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, DEFERS_WRITE_LOCK, False)


def defers_write_lock(view: View) -> View:
    """Mark a view whose every write goes through begin_write (or add_once): its POSTs read
    without SQLite's write lock and take it only for the write, so other workers' answers
    do not wait (in the busy handler's sleeps) while this one reads, grades and renders."""
    setattr(view, DEFERS_WRITE_LOCK, True)
    return view


def _is_memory(url: sa.URL) -> bool:
    return url.database in (None, "", ":memory:")


def begin_write(session: Session | scoped_session[Session]) -> None:
    """Start a write transaction now: BEGIN IMMEDIATE on SQLite, a plain one elsewhere.

    Whatever the request read so far (the logged-in user) is ended first, so the lock is
    taken before the rows to update are read; unless the transaction already holds the lock
    (a POST on SQLite begins IMMEDIATE), or the database locks rows as they are read
    (PostgreSQL: SELECT ... FOR UPDATE under READ COMMITTED sees the latest committed row).
    """
    if isinstance(session, scoped_session):
        session = session()
    connection = session.connection() if session.in_transaction() else None
    if connection is None:
        session.connection(execution_options={IMMEDIATE: True})
    elif connection.dialect.name == "postgresql" or connection.info.get(HOLDS_WRITE_LOCK):
        pass  # the transaction can write as it is
    elif not _holds_writes(session, connection):
        # SQLite, a transaction that only read: end it and take the write lock on the same
        # connection, inside the session's transaction (the write's COMMIT ends both).
        # Committing the session and beginning again did the same but gave the connection
        # back to the pool and took it out again, which cost more than a rating.
        _to_driver(connection, "COMMIT", "BEGIN IMMEDIATE")
        connection.info[HOLDS_WRITE_LOCK] = True
    else:
        session.commit()
        session.connection(execution_options={IMMEDIATE: True})
    session.info[WRITING] = True


def _holds_writes(session: Session, connection: sa.Connection) -> bool:
    """Whether a SQLite transaction has written (rows changed since its BEGIN) or the session
    has changes waiting: those are committed first, as the session's own."""
    if session.new or session.deleted or session.dirty:
        return True
    changes = connection.connection.driver_connection.total_changes
    return bool(changes != connection.info.get(CHANGES_AT_BEGIN))


@event.listens_for(Session, "do_orm_execute")
def _fresh_rows_while_writing(state: ORMExecuteState) -> None:
    """Inside a write transaction, rows read replace what the session already holds.

    Objects are kept after a commit (expire_on_commit is off), so a row loaded before the
    lock would otherwise come back with its old values; under the lock they are current.
    """
    if state.is_select and state.session.info.get(WRITING):
        state.update_execution_options(populate_existing=True)


@event.listens_for(Session, "after_transaction_end")
def _writing_ends(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(WRITING, None)


@event.listens_for(Session, "do_orm_execute")
def _streams_in_a_transaction(state: ORMExecuteState) -> None:
    """A streamed result (`yield_per`, `stream_results`) leaves a GET's autocommit on
    PostgreSQL for the rest of the request: its server-side cursor lives only inside a
    transaction. Elsewhere, nothing to do."""
    options = state.execution_options
    if options.get("yield_per") or options.get("stream_results"):
        connection = state.session.connection()
        if connection.info.pop(READ_AUTOCOMMIT, False):
            connection.connection.dbapi_connection.autocommit = False


def is_postgres(session: Session | scoped_session[Session]) -> bool:
    """Whether row locks (SELECT ... FOR UPDATE) are available."""
    return session.get_bind().dialect.name == "postgresql"


def column_rows(
    session: Session | scoped_session[Session], statement: sa.Select[Any], params: dict[str, Any]
) -> sa.CursorResult[Any]:
    """Run a statement that selects columns only (no mapped objects) as a Core statement.

    Through Session.execute the ORM's machinery (its compile state, its result) runs for every
    select that names a mapped class, even when no object comes back: it cost more than the
    statement itself (about 100 of 160 microseconds for the last-answer line). On the session's
    own connection, so it reads inside the request's transaction; what the session holds
    unflushed is sent first, as Session.execute's autoflush would.
    """
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement, params)


Row = TypeVar("Row")


def add_once(session: Session, row: Row, find: Callable[[], Row | None]) -> Row:
    """Commit a row that a unique key (a submission id) allows once; if a double click raced
    the same row in first, roll back and return that one instead.

    The row is inserted as a Core statement, as study answers are (quiz.study.answers): the
    unit of work's flush of one object cost more than twice the insert. The row given comes
    back filled in (its id and defaults) but is not in the session.
    """
    if not session.info.get(WRITING):
        begin_write(session)
    state = sa.inspect(row)
    columns = {attr.key: attr.columns[0] for attr in state.mapper.column_attrs}
    values = {columns[key].key: state.dict[key] for key in columns if key in state.dict}
    try:
        session.flush()  # what the session holds goes first, as autoflush would have sent it
        stored = session.connection().execute(insert_returning(state.mapper.local_table), values)
        stored_row = stored.one()._mapping
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = find()
        if existing is None:
            raise
        return existing
    for key, column in columns.items():
        set_committed_value(row, key, stored_row[column.key])
    return row


@built_once
def insert_returning(table: sa.Table) -> sa.Insert:
    """An insert into the table returning the whole row, built once per table."""
    return sa.insert(table).returning(*table.c)


def install_postgres_profile(app: Flask) -> None:
    """On PostgreSQL: GETs read in autocommit; other requests that only read end with COMMIT.

    psycopg prepares a statement on its fifth run on a connection and so skips the planning
    (2 ms of server CPU for the study queue's statement, 0.2 ms to run it), but it forgets
    every prepared statement at each ROLLBACK, and the end of each request rolled back: no
    statement was ever prepared. Committing a transaction that wrote nothing changes no data.
    A transaction that wrote (even without committing) still ends in a rollback. A GET, which
    never writes, skips the transaction altogether: psycopg's BEGIN and COMMIT are two round
    trips of the four or five that a study page makes.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def _reads_autocommit(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        # A GET reads: in autocommit psycopg sends no BEGIN before its first statement and no
        # COMMIT after it, two round trips fewer (under READ COMMITTED each statement sees its
        # own snapshot inside a transaction too, so reads see nothing different).
        if (
            has_request_context()
            and request.method in READ_METHODS
            and request.endpoint not in WRITING_GETS
        ):
            dbapi_conn.autocommit = True
            record.info[READ_AUTOCOMMIT] = True

    @event.listens_for(engine, "checkin")
    def _transactions_again(dbapi_conn: Any, record: Any) -> None:
        if record.info.pop(READ_AUTOCOMMIT, False) and dbapi_conn is not None:
            dbapi_conn.autocommit = False

    @event.listens_for(engine, "begin")
    def _reset(conn: sa.Connection) -> None:
        conn.info[WROTE] = False

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(conn: sa.Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip()[:6].upper().startswith(("SELECT", "WITH")):
            if conn.info.get(READ_AUTOCOMMIT):
                # Autocommit would keep it at once, and a GET must not change anything.
                raise WriteInRead(statement.split(None, 1)[0])
            conn.info[WROTE] = True

    @app.teardown_appcontext
    def _commit_reads(exc: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's teardown (teardowns run in reverse order), which
        # then closes the session with nothing left to roll back.
        if exc is not None or not db.session.registry.has():
            return
        session = db.session()
        if not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        info = session.connection().info
        if info.get(WROTE, True) or info.get(READ_AUTOCOMMIT):
            return
        try:
            session.commit()
        except sa.exc.DBAPIError:  # a dropped connection: nothing was written, so nothing lost
            session.rollback()
