"""Flask commands: seed, create-user, check-deploy, import, export, send-mail; and the local
start."""

from __future__ import annotations

import hashlib
import io
import os
import socket
from pathlib import Path
from typing import Any

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from quiz import backup
from quiz import config as config_module
from quiz.auth.forms import MIN_PASSWORD, username_problem
from quiz.auth.passwords import password_problem
from quiz.extensions import db
from quiz.formats.common import FORMATS
from quiz.models import QuestionSet, Role, User, Visibility, normalize_name


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_deploy_command)
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(send_mail_command)
    app.cli.add_command(purge_import_previews_command)
    app.cli.add_command(export_answers_command)
    backup.init_app(app)


def bank_hash(directory: Path) -> str:
    """SHA-256 over the bank's files (names and bytes) and the code that reads them, so a
    changed question or a changed loader both make the next start seed again."""
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parent
    sources = [code / "bank.py", code / "formats" / "yaml_bank.py"]
    named = [(str(p.relative_to(directory)), p) for p in directory.rglob("*") if p.is_file()]
    for name, path in [*sorted(named), *((p.name, p) for p in sources)]:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def seed_if_changed() -> str:
    """Seed the bank unless its files hash as at the last seed (a restart then takes no time
    over it); returns the one-line summary."""
    from quiz.models import SeedRecord

    directory = Path(current_app.config["QUESTION_BANK_DIR"])
    current = bank_hash(directory)
    last = db.session.scalar(sa.select(SeedRecord.bank_hash).order_by(SeedRecord.id.desc()))
    if last == current:
        return "unchanged since the last seed (skipped)"
    return seed_bank()


def seed_bank(corrections: tuple[str, ...] = ()) -> str:
    """Load every YAML file of the question bank; return a one-line summary.

    A change of kind or answer under an existing id raises quiz.bank.SeedRefused and writes
    nothing, unless its key is among `corrections`. A seed that went through records the
    files' hash (seed_if_changed reads it).
    """
    # Imported on use: web workers never need the YAML reader.
    from quiz.bank import load_recorded, sync_sets
    from quiz.formats.yaml_bank import load_bank

    directory = Path(current_app.config["QUESTION_BANK_DIR"])
    sets = load_bank(directory)
    try:
        report = sync_sets(db.session, sets, corrections, load_recorded(directory, sets))
    except Exception:
        db.session.rollback()
        raise
    from quiz.models import SeedRecord

    db.session.execute(sa.delete(SeedRecord))
    db.session.add(SeedRecord(bank_hash=bank_hash(directory)))
    db.session.commit()
    return (
        f"{len(sets)} sets ({report.sets_created} new, {report.sets_updated} updated); questions: "
        f"{report.created} new, {report.updated} updated, {report.retired} retired, "
        f"{report.unchanged} unchanged; {report.pairs} give-away pairs kept apart"
    )


@click.command("seed")
@click.option(
    "--correct",
    "corrections",
    multiple=True,
    metavar="KEY",
    help="A question id (or set-slug/id) whose changed kind or answer corrects a mistake "
    "(repeatable); without it such a change is refused.",
)
@with_appcontext
def seed_command(corrections: tuple[str, ...]) -> None:
    """Load the question bank from questions/*.yaml (safe to run again)."""
    from quiz.formats.yaml_bank import BankError

    try:
        click.echo(seed_bank(corrections))
    except BankError as error:
        raise click.ClickException(str(error)) from error


@click.command("create-user")
@click.argument("username")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.STUDENT.value)
@click.password_option()
@with_appcontext
def create_user_command(username: str, email: str, role: str, password: str) -> None:
    """Create an account with any role (the only way to make the first admin)."""
    problem = username_problem(username) or password_problem(password)
    if len(password) < MIN_PASSWORD:
        problem = f"the password needs at least {MIN_PASSWORD} characters"
    if problem:
        raise click.ClickException(problem)
    user = User(email=normalize_name(email), role=role)
    user.set_username(username)
    taken = db.session.scalar(
        sa.select(User.id).where(
            sa.or_(User.username_key == user.username_key, User.email == user.email)
        )
    )
    if taken is not None:
        raise click.ClickException("that username or email is already registered")
    user.set_password(password, current_app.config["PASSWORD_HASH_METHOD"])
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {role} {user.username}.")


@click.command("check-deploy")
@with_appcontext
def check_deploy_command() -> None:
    """Check the configuration against the production rules."""
    problems = config_module.deploy_problems(dict(current_app.config))
    for problem in problems:
        click.echo(f"problem: {problem}", err=True)
    if problems:
        raise SystemExit(1)
    click.echo("The configuration is fit for production.")


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--owner", required=True, help="Username of the teacher who owns the set.")
@click.option("--title", default="", help="Title of the new set (default: from the file).")
@click.option("--set", "set_id", type=int, help="Import into this existing set of the owner.")
@click.option(
    "--format", "fmt", type=click.Choice(["guess", *FORMATS]), default="guess", show_default=True
)
@click.option("--retire", is_flag=True, help="Retire the set's questions missing from the file.")
@click.option(
    "--term-sep",
    default="tab",
    show_default=True,
    help="Quizlet: between term and definition: tab, comma or the separator itself.",
)
@click.option(
    "--row-sep",
    default="newline",
    show_default=True,
    help="Quizlet: between rows: newline, semicolon or the separator itself.",
)
@click.option(
    "--group-as",
    type=click.Choice(["tags", "sets"]),
    default="tags",
    show_default=True,
    help="Moodle categories and Anki subdecks: tags of one set, or one new set each.",
)
@with_appcontext
def import_command(
    path: str,
    owner: str,
    title: str,
    set_id: int | None,
    fmt: str,
    retire: bool,
    term_sep: str,
    row_sep: str,
    group_as: str,
) -> None:
    """Import questions from FILE into a new set of --owner, or into --set; all or nothing.
    Formats: text ones, Quizlet's export, Anki's .apkg/.colpkg and Kahoot's .xlsx sheet."""
    from quiz.formats.common import FormatError
    from quiz.formats.upload import read_upload, split_groups
    from quiz.media.checks import MediaRefused
    from quiz.media.imported import place_import_media
    from quiz.sets.access import can_edit
    from quiz.transfer.imports import without_group_tags

    teacher = db.session.scalar(sa.select(User).where(User.username_key == normalize_name(owner)))
    if teacher is None or not teacher.is_teacher:
        raise click.ClickException(f"no teacher or admin called '{owner}'")
    qset = None
    if set_id is not None:
        qset = db.session.get(QuestionSet, set_id)
        if qset is None or not can_edit(teacher, qset):
            raise click.ClickException(f"set {set_id} does not exist or is not {owner}'s to change")
    options = {
        "term": term_sep if term_sep in ("tab", "comma") else "custom",
        "term_custom": term_sep,
        "row": row_sep if row_sep in ("newline", "semicolon") else "custom",
        "row_custom": row_sep,
    }
    try:
        config = current_app.config
        limits = (config["MEDIA_IMAGE_MAX_BYTES"], config["MEDIA_AUDIO_MAX_BYTES"])
        fmt, result = read_upload(
            Path(path).read_bytes(),
            fmt,
            Path(path).name,
            options,
            check_size=False,
            media_limits=limits,
        )
    except FormatError as error:
        raise click.ClickException(f"{path}, {error}") from error
    for warning in result.warnings:
        click.echo(f"warning: {path}, {warning}", err=True)
    parts = [("", result)]
    if qset is None and group_as == "sets":
        parts = [(name, without_group_tags(part)) for name, part in split_groups(result)]
    try:
        for name, part in parts:
            target = qset or _new_set(teacher, name or title.strip() or result.title, path, part)
            quota = current_app.config["MEDIA_QUOTA_BYTES"]
            part = place_import_media(db.session, target.id, teacher.id, part, quota)
            report = _write(target, part, retire)
            click.echo(f"Set {target.id} “{target.title}” ({fmt}): {report.summary()}")
        db.session.commit()
    except MediaRefused as refused:
        db.session.rollback()
        raise click.ClickException(f"{path}: nothing was imported. {refused}") from refused
    except Exception:
        db.session.rollback()
        raise


def _new_set(teacher: User, title: str, path: str, result: Any) -> QuestionSet:
    """A new private set for the import (flushed)."""
    from quiz.transfer.imports import new_set

    name = title or Path(path).stem
    return new_set(db.session, teacher, name, Visibility.PRIVATE.value, result.description)


def _write(qset: QuestionSet, result: Any, retire: bool) -> Any:
    """Write a result into a set, with a progress bar for large files."""
    from quiz.transfer.imports import write_import

    total = len(result.questions)
    with click.progressbar(
        length=total, label="Importing", file=None if total >= 500 else io.StringIO()
    ) as bar:
        return write_import(db.session, qset, result, retire_missing=retire, progress=bar.update)


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Send the queued e-mails (after a crash or a refusal; run it from cron, say hourly)."""
    from quiz.auth.mailer import mail_configured_in, send_queued

    if not mail_configured_in(current_app.config):
        raise click.ClickException("MAIL_SERVER and PUBLIC_URL must be set to send e-mail")
    sent, failed = send_queued(db.session, current_app.config)
    click.echo(f"{sent} sent, {failed} failed (kept in the queue)")
    if failed:
        raise SystemExit(1)


@click.command("purge-import-previews")
@with_appcontext
def purge_import_previews_command() -> None:
    """Delete the import previews past their expiry (each upload also does it; cron may too)."""
    from quiz.timeutil import now_utc
    from quiz.transfer.pending import purge_expired

    count = purge_expired(db.session, now_utc())
    db.session.commit()
    click.echo(f"{count} expired import preview{'' if count == 1 else 's'} deleted.")


@click.command("export")
@click.argument("set_id", type=int)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gift", "csv", "yaml", "apkg", "moodle-xml"]),
    required=True,
)
@click.option("--output", required=True, type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(set_id: int, fmt: str, output: str) -> None:
    """Write a set's questions to --output in a format (gift, csv, yaml, apkg or moodle-xml)."""
    from quiz.transfer.exports import export_set

    qset = db.session.get(QuestionSet, set_id)
    if qset is None:
        raise click.ClickException(f"no set {set_id}")
    export = export_set(db.session, qset, fmt)
    Path(output).write_bytes(export.content)
    for notice in export.notices:
        click.echo(f"note: {notice}", err=True)
    click.echo(f"Wrote {len(export.content):,} bytes to {output}.")
    if export.filename.endswith(".zip") and not output.endswith(".zip"):
        click.echo("The set has pictures or sounds: this is a .zip bundle (set.yaml, media/).")


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port right now.

    The probe sets SO_REUSEADDR as werkzeug's server does: without it, a port whose last
    connections are still in TIME_WAIT (a restart within a minute) would look taken.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve_local(app: Flask, host: str = "127.0.0.1") -> None:
    """Migrate, seed and serve: what `python app.py` does (PORT picks another port)."""
    from quiz.migrating import upgrade_quietly

    port = int(os.environ.get("PORT", "5000"))
    if not port_is_free(host, port):
        raise SystemExit(
            f"Port {port} on {host} is taken by another program. "
            f"Start on another one with: PORT={port + 1} python app.py"
        )
    with app.app_context():
        steps = upgrade_quietly()
        click.echo(
            "Database: " + (f"{len(steps)} upgrade steps, in order:" if steps else "up to date.")
        )
        for line in steps:
            click.echo("  " + line)
        from quiz.bank import SeedRefused

        try:
            click.echo("Question bank: " + seed_if_changed())
        except SeedRefused as error:
            # Serving a bank whose ids now mean other questions would file students'
            # history under the wrong question: stop, and say how to go on.
            raise SystemExit(f"Question bank not loaded: {error}") from error
    click.echo(f"Quiz is running at http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port)


@click.command("export-answers")
@click.argument("class_id", type=int)
@click.option("--output", required=True, type=click.Path(dir_okay=False), help="CSV file")
@with_appcontext
def export_answers_command(class_id: int, output: str) -> None:
    """Write every answer of a class to a CSV file (as its Answers download has them)."""
    from quiz.classes.access import class_zone
    from quiz.models import Classroom
    from quiz.reports.answer_export import count_answers, write_answers

    classroom = db.session.get(Classroom, class_id)
    if classroom is None:
        raise click.ClickException(f"No class with id {class_id}.")
    expected = count_answers(db.session, classroom)
    with Path(output).open("w", encoding="utf-8", newline="") as out:
        rows = write_answers(db.session, classroom, class_zone(classroom), out)
    click.echo(f"{rows} answers written to {output} (the database holds {expected}).")
    if rows != expected:
        raise click.ClickException("The row count does not match the database.")
