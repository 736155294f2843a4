"""``payables user``: create review UI users, set the sites they work for, reset a lost second factor."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

import click

from models.roles import Role

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from models.users import User


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


def _sites(value: str) -> list[str]:
    from review_ui.sites import parse_sites

    try:
        return parse_sites(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _warn_unknown(unknown: list[str], known: list[str]) -> None:
    if unknown:
        click.echo(f"warning: no warehouse or document has the site {', '.join(unknown)} yet; check the "
                   f"spelling (known: {', '.join(known) or 'none yet'})", err=True)


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
@click.option("--sites", "sites_text", default="all", show_default=True,
              help="Site codes the user works for, separated by commas (HAM,BER); 'all' for the whole group "
                   "(the central AP team, who also see documents whose site is not known yet).")
@click.option("--password-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the password from this file (default: ask twice).")
def add(username: str, role: str, limit: str | None, display_name: str | None, email: str | None,
        sites_text: str, password_file: Path | None) -> None:
    """Create USERNAME. Managers and admins get a TOTP second factor: the key is printed once."""
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.auth.passwords import WeakPassword
    from review_ui.services.accounts import create_user, known_sites
    from review_ui.services.errors import InvalidInput

    sites = _sites(sites_text)
    approval_limit = _limit(limit)
    rt = Runtime.from_settings()
    try:
        password = _password(password_file)
        with transaction(rt.sessions) as db:
            made = create_user(db, rt.settings.application_secret(), username=username, role=Role(role),
                               password=password, display_name=display_name, approval_limit=approval_limit,
                               email=email, sites=sites)
            stored = list(made.sites)
            known = known_sites(db)
    except (InvalidInput, WeakPassword) as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        rt.close()
    where = f"sites {','.join(stored)}" if stored else "all sites"
    click.echo(f"created {made.username} ({role}{f', approval limit {limit}' if limit else ''}, {where})")
    _warn_unknown([s for s in stored if s not in known], known)
    if made.totp_secret:
        click.echo(f"TOTP secret: {made.totp_secret}")
        click.echo(f"TOTP URI:    {made.totp_uri}")
        click.echo("Add it to an authenticator app now; it is not shown again.")


@command.command("sites")
@click.argument("username")
@click.argument("sites_text", metavar="HAM,BER|all")
def sites(username: str, sites_text: str) -> None:
    """Set the sites USERNAME works for: site codes separated by commas, or 'all' for the whole group.
    Their open items at sites they lose go back to the queue; the change is audited."""
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.services.accounts import known_sites, set_sites
    from review_ui.services.errors import InvalidInput

    codes = _sites(sites_text)
    rt = Runtime.from_settings()
    try:
        with transaction(rt.sessions) as db:
            user = _existing_user(db, username)
            change = set_sites(db, user, codes, actor="system:cli", actor_id=None)
            known = known_sites(db)
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        rt.close()
    before = ",".join(change.before) or "all"
    after = ",".join(change.after) or "all"
    click.echo(f"{change.username}: sites {before} -> {after}")
    if change.released:
        click.echo(f"{len(change.released)} open item(s) at other sites went back to the queue: "
                   + ", ".join(f"#{d}" for d in change.released))
    _warn_unknown(change.unknown, known)


@command.command("reset-mfa")
@click.argument("username")
def reset_mfa(username: str) -> None:
    """Forget USERNAME's second factor (a lost phone): they enrol a new one at their next sign-in."""
    from models.audit import append_audit
    from models.base import utcnow
    from models.db import transaction
    from payables.runtime import Runtime
    from review_ui.auth.sessions import revoke_all

    rt = Runtime.from_settings()
    try:
        with transaction(rt.sessions) as db:
            user = _existing_user(db, username)
            user.totp_secret, user.mfa_enabled, user.totp_last_step = None, False, None
            revoke_all(db, user.id, now=utcnow())
            append_audit(db, actor="system:cli", action="mfa_reset", changes={"user": user.username})
    finally:
        rt.close()
    click.echo(f"{username} enrols a new second factor at the next sign-in")


def _existing_user(db: Session, username: str) -> User:
    from review_ui.auth.signin import find_user

    user = find_user(db, username)
    if user is None:
        raise click.ClickException(f"there is no user {username!r}")
    return user
