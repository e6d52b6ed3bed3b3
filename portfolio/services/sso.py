"""Single sign-on: link a provider identity to a user (creating it at the first sign-in), keep the
roles held through provider groups in step with the groups, and the admin's group-to-role mapping."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.domain.roles import Role
from portfolio.domain.sso import ProviderIdentity, groups_of_roles
from portfolio.models import SsoGroupRole, SsoIdentity, User, UserRole, utcnow
from portfolio.models.user import NO_PASSWORD

from . import audit
from .users import get_by_email, normalise_email


class DuplicateMappingError(ValueError):
    """This group already gives this role."""


@dataclass(frozen=True)
class SsoSignIn:
    """The outcome of a sign-in through the provider."""

    user: User | None
    problem: str | None  # "inactive" or "email_taken" when user is None
    created: bool = False


def group_mapping(session: Session) -> list[tuple[str, Role]]:
    """Every (group, role) pair of the mapping."""
    return [(row.group_id, row.role) for row in session.scalars(select(SsoGroupRole))]


def list_mappings(session: Session) -> list[SsoGroupRole]:
    """The mapping as the admin sees it, by group and role."""
    return list(session.scalars(select(SsoGroupRole).order_by(SsoGroupRole.group_id, SsoGroupRole.role)))


def add_mapping(session: Session, group_id: str, role: Role, description: str, actor: User) -> SsoGroupRole:
    """Members of `group_id` hold `role` from their next sign-in."""
    group_id = group_id.strip()
    exists = session.scalar(select(SsoGroupRole).where(SsoGroupRole.group_id == group_id, SsoGroupRole.role == role))
    if exists is not None:
        raise DuplicateMappingError(group_id)
    row = SsoGroupRole(group_id=group_id, role=Role(role), description=description.strip())
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "sso_group_role", row.id,
                 after=audit.snapshot(row, ("group_id", "role", "description")))
    return row


def remove_mapping(session: Session, row: SsoGroupRole, actor: User) -> None:
    """Members of the group no longer get the role (they lose it at their next sign-in)."""
    before = audit.snapshot(row, ("group_id", "role", "description"))
    audit.record(session, actor, "delete", "sso_group_role", row.id, before=before)
    session.delete(row)
    session.flush()


def group_names(session: Session) -> dict[str, str]:
    """What the admin calls each mapped group (its description, else its id), for showing where a role comes from."""
    return {row.group_id: row.description or row.group_id for row in list_mappings(session)}


def _role_groups(user: User) -> dict[str, list[str]]:
    return {row.role.value: list(row.groups or []) for row in user.role_rows if row.from_group}


def _sync_group_roles(session: Session, user: User, wanted: dict[Role, list[str]]) -> bool:
    """Make the roles held through groups exactly `wanted` (role: the groups giving it); roles the
    admin gave stay. True if anything changed."""
    held = {row.role: row for row in user.role_rows}
    before = (user.roles, _role_groups(user))
    keep = [row for row in user.role_rows if not row.from_group or row.role in wanted]
    for row in keep:
        if row.from_group and row.groups != wanted[row.role]:
            row.groups = list(wanted[row.role])
    added = [UserRole(role=role, from_group=True, groups=list(groups))
             for role, groups in wanted.items() if role not in held]
    user.role_rows = keep + added
    session.flush()
    return (user.roles, _role_groups(user)) != before


def sign_in(session: Session, identity: ProviderIdentity, *, address: str | None,
            groups_lookup: str | None = None) -> SsoSignIn:
    """Find (or at the first sign-in create) the user of `identity`, update roles from the groups.

    A user is linked by issuer and subject, never by e-mail alone: at the first sign-in an existing
    account with the same e-mail is linked only if it has no other identity of this issuer. Writes
    the audit entries of the sign-in (a refused one too); the caller commits. An address the provider
    marks unverified (`email_verified: false`) never links an existing account. `groups_lookup` says
    where the groups came from when the token left them out ("graph", or "failed": then the identity
    has no groups, so the user holds no role from a group), and is kept in the sign-in's audit entry.
    """
    link = session.scalar(
        select(SsoIdentity).where(SsoIdentity.issuer == identity.issuer, SsoIdentity.subject == identity.subject)
    )
    created = False
    if link is None:
        user = get_by_email(session, identity.email)
        if user is not None and (not identity.email_verified or session.scalar(
            select(SsoIdentity.id).where(SsoIdentity.user_id == user.id, SsoIdentity.issuer == identity.issuer)
        )):
            audit.record_event(session, None, "sso_login_failed", "user", user.id, address=address,
                               details={"email": identity.email, "reason": "email_taken", "via": "sso"})
            return SsoSignIn(None, "email_taken")
        if user is None:
            user = User(email=normalise_email(identity.email), name=identity.name, password_hash=NO_PASSWORD,
                        active=True)
            user.role_rows = []
            session.add(user)
            session.flush()
            audit.record(session, None, "create", "user", user.id,
                         after=audit.snapshot(user, ("email", "name", "active")) | {"roles": [], "via": "sso"})
            created = True
        link = SsoIdentity(user_id=user.id, issuer=identity.issuer, subject=identity.subject, tenant=identity.tenant)
        session.add(link)
        session.flush()
    user = link.user
    if not user.active:
        audit.record_event(session, None, "sso_login_failed", "user", user.id, address=address,
                           details={"email": identity.email, "reason": "inactive", "via": "sso"})
        return SsoSignIn(None, "inactive")
    before = {"roles": sorted(role.value for role in user.roles), "role_groups": _role_groups(user)}
    if _sync_group_roles(session, user, groups_of_roles(identity.groups, group_mapping(session))):
        audit.record(session, None, "update", "user", user.id, before=before,
                     after={"roles": sorted(role.value for role in user.roles), "role_groups": _role_groups(user)})
    now = utcnow()
    link.last_login_at = user.last_login_at = now
    session.flush()
    details = {"via": "sso"} | ({"groups_lookup": groups_lookup} if groups_lookup else {})
    audit.record_event(session, user, "login_succeeded", "user", user.id, address=address, details=details)
    return SsoSignIn(user, None, created)
