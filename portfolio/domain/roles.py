"""Roles and what each may do (DESIGN §2). Pure: the web layer asks these rules."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    """A role a user may hold; a user may hold several."""

    INNOVATION_LEADER = "innovation_leader"
    FINANCE = "finance"
    MANAGEMENT = "management"
    VIEWER = "viewer"
    ADMIN = "admin"


class Permission(StrEnum):
    """Something a request may need; each route declares exactly one."""

    READ = "read"  # see pilots, the portfolio and the economics
    CREATE_PILOT = "create_pilot"
    EDIT_PILOT = "edit_pilot"  # description, effect goals, indicators, measurements (own pilots)
    EDIT_ECONOMICS = "edit_economics"  # costs, valuation, sign-off (any pilot)
    DECIDE = "decide"  # step 4 and harvest decisions
    GENERATE_PAPER = "generate_paper"  # the decision paper (a leader: of their own pilots)
    ADMINISTER = "administer"  # users, units, goal frameworks, settings


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.INNOVATION_LEADER: frozenset(
        {Permission.READ, Permission.CREATE_PILOT, Permission.EDIT_PILOT, Permission.GENERATE_PAPER}
    ),
    Role.FINANCE: frozenset({Permission.READ, Permission.EDIT_ECONOMICS, Permission.GENERATE_PAPER}),
    Role.MANAGEMENT: frozenset({Permission.READ, Permission.DECIDE, Permission.GENERATE_PAPER}),
    Role.VIEWER: frozenset({Permission.READ}),
    # The admin reassigns pilots and manages the lists, but does not edit a pilot's content.
    Role.ADMIN: frozenset({Permission.READ, Permission.ADMINISTER, Permission.GENERATE_PAPER}),
}


def permissions_of(roles: Iterable[Role]) -> frozenset[Permission]:
    """All permissions granted by a set of roles."""
    granted: set[Permission] = set()
    for role in roles:
        granted |= _GRANTS[Role(role)]
    return frozenset(granted)


def can(roles: Iterable[Role], permission: Permission) -> bool:
    """Whether any of the roles grants the permission."""
    return Permission(permission) in permissions_of(roles)


def can_edit_pilot(roles: Iterable[Role], user_id: int, leader_id: int | None) -> bool:
    """Innovation leaders edit the pilots they are responsible for, and only those."""
    return can(roles, Permission.EDIT_PILOT) and leader_id is not None and leader_id == user_id


def can_generate_paper(roles: Iterable[Role], user_id: int, leader_id: int | None) -> bool:
    """Who may generate a pilot's decision paper (it changes nothing but adds a version).

    Finance, the management group and the admin may for any pilot (e.g. to see the paper as the
    data stands after a change); an innovation leader only for the pilots they lead (DESIGN §2).
    """
    roles = [Role(role) for role in roles]
    if any(role in (Role.FINANCE, Role.MANAGEMENT, Role.ADMIN) for role in roles):
        return True
    return can_edit_pilot(roles, user_id, leader_id)
