"""``payables user``: create review UI users; reset a lost second factor."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from models.roles import Role


def _limit(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        limit = Decimal(value.replace(",", ""))
    except InvalidOperation as exc:
        raise click.BadParameter(f"{value!r} is not an amount") from exc
    if not limit.is_finite() or limit < 0:
        raise click.BadParameter("the limit must be a positive amount")
    return limit


def _password(path: Path | None) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    value: str = click.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True)
    return value


@click.group()
def command() -> None:
    """Users of the review UI."""


@command.command()
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True, help="What the user may do.")
@click.option("--limit", help="Approval limit (invoice total in its currency) for clerks and managers.")
@click.option("--name", "display_name", help="Display name (default: the user name).")
@click.option("--email", help="E-mail address.")
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file (default: ask twice).")
def add(username: str, role: str, limit: str | None, display_name: str | None, email: str | None,
        password_file: Path | None) -> None:
    """Create USERNAME. Managers and admins get a TOTP second factor: the key is printed once."""
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.auth.passwords import WeakPassword
    from review_ui.services.accounts import create_user
    from review_ui.services.errors import InvalidInput

    rt = Runtime.from_settings()
    try:
        password = _password(password_file)
        with transaction(rt.sessions) as db:
            made = create_user(db, rt.settings.application_secret(), username=username, role=Role(role),
                               password=password, display_name=display_name, approval_limit=_limit(limit),
                               email=email)
    except (InvalidInput, WeakPassword) as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        rt.close()
    click.echo(f"created {made.username} ({role}{f', approval limit {limit}' if limit else ''})")
    if made.totp_secret:
        click.echo(f"TOTP secret: {made.totp_secret}")
        click.echo(f"TOTP URI:    {made.totp_uri}")
        click.echo("Add it to an authenticator app now; it is not shown again.")


@command.command("reset-mfa")
@click.argument("username")
def reset_mfa(username: str) -> None:
    """Forget USERNAME's second factor (a lost phone): they enrol a new one at their next sign-in."""
    from models.audit import append_audit
    from models.base import utcnow
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.auth.sessions import revoke_all
    from review_ui.auth.signin import find_user

    rt = Runtime.from_settings()
    try:
        with transaction(rt.sessions) as db:
            user = find_user(db, username)
            if user is None:
                raise click.ClickException(f"there is no user {username!r}")
            user.totp_secret, user.mfa_enabled, user.totp_last_step = None, False, None
            revoke_all(db, user.id, now=utcnow())
            append_audit(db, actor="system:cli", action="mfa_reset", changes={"user": user.username})
    finally:
        rt.close()
    click.echo(f"{username} enrols a new second factor at the next sign-in")
