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
    ADMINISTER = "administer"  # users, units, goal frameworks, settings, the open portfolio
    MANAGE_MEETINGS = "manage_meetings"  # create meetings, name participants and secretary; report to the board
    # The agenda and the minutes of a meeting: held by every role but the viewer (any of them may be
    # named secretary); the view then lets in the meeting's secretary and management group members.
    KEEP_MINUTES = "keep_minutes"
    RAISE_CHALLENGE = "raise_challenge"  # raise a need or challenge: everyone signed in (DESIGN §2, §9)
    MANAGE_SOLUTIONS = "manage_solutions"  # enter and decommission solutions in the register
    # Name the benefit owner of a scaled-up pilot's effect goal: the management group and the admin
    # for any pilot, an innovation leader for the pilots they lead (`can_assign_benefit_owner`).
    ASSIGN_BENEFIT_OWNER = "assign_benefit_owner"


_EVERYONE = frozenset({Permission.READ, Permission.RAISE_CHALLENGE})

_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.INNOVATION_LEADER: _EVERYONE | {Permission.CREATE_PILOT, Permission.EDIT_PILOT, Permission.GENERATE_PAPER,
                                         Permission.KEEP_MINUTES, Permission.ASSIGN_BENEFIT_OWNER},
    Role.FINANCE: _EVERYONE | {Permission.EDIT_ECONOMICS, Permission.GENERATE_PAPER, Permission.KEEP_MINUTES},
    # The management group decides on solutions and keeps the register with the system owner (admin).
    Role.MANAGEMENT: _EVERYONE | {Permission.DECIDE, Permission.GENERATE_PAPER, Permission.MANAGE_SOLUTIONS,
                                  Permission.MANAGE_MEETINGS, Permission.KEEP_MINUTES,
                                  Permission.ASSIGN_BENEFIT_OWNER},
    Role.VIEWER: _EVERYONE,
    # The admin reassigns pilots and manages the lists, but does not edit a pilot's content.
    Role.ADMIN: _EVERYONE | {Permission.ADMINISTER, Permission.GENERATE_PAPER, Permission.MANAGE_SOLUTIONS,
                             Permission.MANAGE_MEETINGS, Permission.KEEP_MINUTES, Permission.ASSIGN_BENEFIT_OWNER},
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


def can_keep_minutes(roles: Iterable[Role], user_id: int, secretary_id: int | None) -> bool:
    """Who writes a meeting's agenda and minutes: its secretary or a management group member (DESIGN §8)."""
    return can(roles, Permission.KEEP_MINUTES) and (
        Role.MANAGEMENT in {Role(role) for role in roles} or (secretary_id is not None and user_id == secretary_id)
    )


def can_generate_paper(roles: Iterable[Role], user_id: int, leader_id: int | None) -> bool:
    """Who may generate a pilot's decision paper (it changes nothing but adds a version).

    Finance, the management group and the admin may for any pilot (e.g. to see the paper as the
    data stands after a change); an innovation leader only for the pilots they lead (DESIGN §2).
    """
    roles = [Role(role) for role in roles]
    if any(role in (Role.FINANCE, Role.MANAGEMENT, Role.ADMIN) for role in roles):
        return True
    return can_edit_pilot(roles, user_id, leader_id)


def can_assign_benefit_owner(roles: Iterable[Role], user_id: int, leader_id: int | None) -> bool:
    """Who names the benefit owner of a scaled-up pilot's effect goal: the management group, which
    assigns the benefits to the line organisation, and the admin, for any pilot; an innovation
    leader for the pilots they lead."""
    roles = [Role(role) for role in roles]
    if any(role in (Role.MANAGEMENT, Role.ADMIN) for role in roles):
        return True
    return can_edit_pilot(roles, user_id, leader_id)
