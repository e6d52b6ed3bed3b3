"""Users: accounts, passwords (Argon2id) and roles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portfolio.domain.passwords import password_problem
from portfolio.domain.roles import Role
from portfolio.models import User, UserRole, utcnow
from portfolio.models.user import new_session_token

from . import audit, calendar_tokens, concurrency, tokens
from .paging import Page, paginate

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
# Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")

USER_FIELDS = ("email", "name", "active", "roles")


class PasswordPolicyError(ValueError):
    """A password the policy refuses; `args[0]` is the reason key from domain.passwords."""


class DuplicateEmailError(ValueError):
    """Another user already has this e-mail address."""


class SelfLockoutError(ValueError):
    """An admin tried to lock themselves out; `args[0]` is "deactivate_self" or "remove_own_admin"."""


def lockout_problem(actor: User | None, user: User, *, roles: Iterable[Role], active: bool) -> str | None:
    """Why this change would lock the acting admin out of administration, or None.

    An admin may not deactivate their own account nor drop their own admin role: nobody
    would be left to undo it (the last admin is always the one acting).
    """
    if actor is None or actor.id != user.id:
        return None
    if not active:
        return "deactivate_self"
    if Role.ADMIN in user.roles and Role.ADMIN not in {Role(role) for role in roles}:
        return "remove_own_admin"
    return None


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """The Argon2id hash of a password that the policy accepts."""
    problem = password_problem(password)
    if problem:
        raise PasswordPolicyError(problem)
    return _hasher.hash(password)


def get_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail address, if any."""
    return session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


@dataclass(frozen=True)
class SignIn:
    """The outcome of checking credentials: the user, or why not (for the audit log only).

    `problem` is "unknown_email", "wrong_password" or "inactive"; the user is told the same
    thing in every case, so that the answer never reveals whether an account exists.
    """

    user: User | None
    problem: str | None
    known_user: User | None = None


def check_credentials(session: Session, email: str, password: str) -> SignIn:
    """Check an e-mail and password; on success record the login time and rehash an outdated hash."""
    user = get_by_email(session, email)
    if user is None:
        try:
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        return SignIn(None, "unknown_email")
    if not verify_password(user, password):
        return SignIn(None, "wrong_password", user)
    if not user.active:
        return SignIn(None, "inactive", user)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session.flush()
    return SignIn(user, None, user)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes outdated hashes."""
    return check_credentials(session, email, password).user


def verify_password(user: User, password: str) -> bool:
    """Whether `password` is the user's password (re-authentication before a sensitive action)."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _snapshot(user: User) -> dict:
    snapshot = audit.snapshot(user, ("email", "name", "active")) | {"roles": sorted(r.value for r in user.roles)}
    from_groups = {row.role.value: list(row.groups or []) for row in user.role_rows if row.from_group}
    return snapshot | ({"role_groups": from_groups} if from_groups else {})


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    roles: Iterable[Role],
    password: str,
    actor: User | None,
    password_hash: str | None = None,
) -> User:
    """Add a user with the given roles. `password_hash` (demo data only) skips the policy."""
    email = normalise_email(email)
    if get_by_email(session, email) is not None:
        raise DuplicateEmailError(email)
    if not name.strip():
        raise ValueError("a name cannot be blank")
    user = User(email=email, name=name.strip(), password_hash=password_hash or hash_password(password), active=True)
    user.role_rows = [UserRole(role=Role(role)) for role in sorted(set(roles))]
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, after=_snapshot(user))
    return user


def update_user(
    session: Session, user: User, *, email: str, name: str, roles: Iterable[Role], active: bool, actor: User | None,
    version: int | None = None,
) -> None:
    """Change a user's details, roles and whether the account is active.

    `roles` are the roles the admin gives; roles held through the provider's groups stay as they
    are (they follow the groups at each sign-in), unless the admin gives one too, which keeps it.

    Raises DuplicateEmailError, or SelfLockoutError when an admin would lock themselves out.
    """
    concurrency.expect_version(session, user, version)
    if not name.strip():
        raise ValueError("a name cannot be blank")
    roles = [Role(role) for role in roles]
    problem = lockout_problem(actor, user, roles=[*roles, *(row.role for row in user.role_rows if row.from_group)],
                              active=active)
    if problem:
        raise SelfLockoutError(problem)
    before = _snapshot(user)
    email = normalise_email(email)
    other = get_by_email(session, email)
    if other is not None and other.id != user.id:
        raise DuplicateEmailError(email)
    if user.active and not active:
        user.session_token = new_session_token()  # a deactivated user is logged out at once
        tokens.revoke_all(session, user, actor=actor)  # and their API tokens stop working
        calendar_tokens.revoke(session, user, actor)  # and so does their calendar address
    user.email, user.name, user.active = email, name.strip(), active
    wanted = {Role(role) for role in roles}
    rows = []
    for row in user.role_rows:
        if row.role in wanted and row.from_group:  # the admin now gives it too: it stays when the group goes
            row.from_group, row.groups = False, None
        if row.role in wanted or row.from_group:  # roles held through groups follow the groups, not this form
            rows.append(row)
    user.role_rows = rows + [UserRole(role=role) for role in sorted(wanted - {row.role for row in rows})]
    session.flush()
    audit.record_update(session, actor, "user", user.id, before, _snapshot(user))


def list_users(session: Session, *, page: int = 1, per_page: int = 25) -> Page[User]:
    """One page of users by name, with their roles loaded (three queries whatever the page size)."""
    statement = select(User).options(selectinload(User.role_rows)).order_by(User.name, User.id)
    return paginate(session, statement, page, per_page)


def set_password(session: Session, user: User, password: str, actor: User | None) -> None:
    """Give a user a new password (the policy applies); the hash never enters the audit log.

    Every session opened with the old password ends, and so does every API token of the user:
    whoever had the old password may have made one.
    """
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()  # sessions opened with the old password end
    session.flush()
    if actor is not None and actor.id == user.id:
        audit.record(session, actor, "change_own_password", "user", user.id)
    else:
        audit.record(session, actor, "set_password", "user", user.id)
    tokens.revoke_all(session, user, actor=actor)


def end_sessions(session: Session, user: User) -> None:
    """End every session of `user` (on logout): their cookies no longer identify them."""
    user.session_token = new_session_token()
    session.flush()


def set_locale(session: Session, user: User, locale: str) -> None:
    """Remember a user's language."""
    if user.locale != locale:
        before = {"locale": user.locale}
        user.locale = locale
        session.flush()
        audit.record(session, user, "set_locale", "user", user.id, before=before, after={"locale": locale})
