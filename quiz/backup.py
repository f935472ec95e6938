"""`flask backup FILE` and `flask restore FILE`: a consistent copy of the database while the
app runs, and a restore into an empty database.

SQLite uses its online backup API (sqlite3.Connection.backup), which copies a consistent
snapshot page by page while other connections keep writing. PostgreSQL uses pg_dump's custom
format (one consistent snapshot) and pg_restore in a single transaction. Both refuse to
restore over a database that already holds tables.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from quiz.extensions import db

SEARCH_PATH = re.compile(r"-csearch_path=([A-Za-z0-9_]+)")


class BackupError(click.ClickException):
    """The backup or restore could not be made; nothing was changed."""


def init_app(app: Flask) -> None:
    """Register the two commands."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _schema() -> str | None:
    """The PostgreSQL schema the app is pointed at through search_path, if any."""
    options = current_app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("connect_args", {})
    match = SEARCH_PATH.search(str(options.get("options", "")))
    return match.group(1) if match else None


def _libpq(url: sa.URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and the environment carrying it."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-2000:]}")


def tables_in_use() -> list[str]:
    """The tables of the app's database (its schema on PostgreSQL)."""
    inspector = sa.inspect(db.engine)
    return (
        inspector.get_table_names(schema=_schema())
        if db.engine.dialect.name != "sqlite"
        else (inspector.get_table_names())
    )


def backup(target: Path) -> str:
    """Copy the app's database to `target`; a one-line summary."""
    engine = db.engine
    target = target.resolve()
    partial = target.with_name(target.name + ".partial")
    if engine.dialect.name == "sqlite":
        source = sqlite3.connect(str(engine.url.database))
        copy = sqlite3.connect(str(partial))
        try:
            with copy:
                source.backup(copy)  # a consistent snapshot, while writers carry on
        finally:
            copy.close()
            source.close()
    elif engine.dialect.name == "postgresql":
        conninfo, env = _libpq(engine.url)
        args = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        schema = _schema()
        if schema:
            args.append(f"--schema={schema}")
        _run([*args, f"--file={partial}", f"--dbname={conninfo}"], env)
    else:
        raise BackupError(f"no backup method for {engine.dialect.name}")
    partial.replace(target)  # a backup file is either whole or absent
    return (
        f"Backed up the {engine.dialect.name} database to {target} ({target.stat().st_size} bytes)."
    )


def restore(source: Path) -> str:
    """Restore `source` into the app's database, which must be empty; a one-line summary."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    present = tables_in_use()
    if present:
        raise BackupError(
            f"the database is not empty ({len(present)} tables, e.g. {present[0]}); "
            "restore only into an empty database"
        )
    engine = db.engine
    if engine.dialect.name == "sqlite":
        db.session.remove()
        engine.dispose()
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup_file.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a sound SQLite database")
            target = sqlite3.connect(str(engine.url.database))
            try:
                backup_file.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite backup: {error}") from error
        finally:
            backup_file.close()
    elif engine.dialect.name == "postgresql":
        conninfo, env = _libpq(engine.url)
        args = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*args, "--exit-on-error", f"--dbname={conninfo}", str(source)], env)
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")
    count = len(tables_in_use())
    return f"Restored {source} into the {engine.dialect.name} database ({count} tables)."


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write a consistent copy of the database to FILE (safe while the app runs)."""
    click.echo(backup(file))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore FILE (made by `flask backup`) into an empty database."""
    click.echo(restore(file))
