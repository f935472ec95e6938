"""Flask commands: seed, create-user, check-deploy; and the one-command local start."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext

from quiz import backup
from quiz import config as config_module
from quiz.auth.forms import MIN_PASSWORD, username_problem
from quiz.auth.passwords import password_problem
from quiz.extensions import db
from quiz.models import Role, User, normalize_name


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(check_deploy_command)
    backup.init_app(app)


def seed_bank() -> str:
    """Load every YAML file of the question bank; return a one-line summary."""
    # Imported on use: web workers never need the YAML reader.
    from quiz.bank import sync_sets
    from quiz.formats.yaml_bank import load_bank

    directory = Path(current_app.config["QUESTION_BANK_DIR"])
    sets = load_bank(directory)
    report = sync_sets(db.session, sets)
    db.session.commit()
    return (
        f"{len(sets)} sets ({report.sets_created} new, {report.sets_updated} updated); questions: "
        f"{report.created} new, {report.updated} updated, {report.retired} retired, "
        f"{report.unchanged} unchanged"
    )


@click.command("seed")
@with_appcontext
def seed_command() -> None:
    """Load the question bank from questions/*.yaml (safe to run again)."""
    from quiz.formats.yaml_bank import BankError

    try:
        click.echo(seed_bank())
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


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve_local(app: Flask, host: str = "127.0.0.1") -> None:
    """Migrate, seed and serve: what `python app.py` does (PORT picks another port)."""
    from flask_migrate import upgrade

    port = int(os.environ.get("PORT", "5000"))
    if not port_is_free(host, port):
        raise SystemExit(
            f"Port {port} on {host} is taken by another program. "
            f"Start on another one with: PORT={port + 1} python app.py"
        )
    with app.app_context():
        upgrade()
        click.echo("Question bank: " + seed_bank())
    click.echo(f"Quiz is running at http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port)
