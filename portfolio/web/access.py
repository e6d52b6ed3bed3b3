"""Who may call which route: every view declares one rule, enforced before each request.

A view without a declared rule is refused (deny by default), and the access tests walk the
URL map so that a new route without a rule fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from flask import abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from portfolio.domain.roles import Permission, can, can_assign_benefit_owner, can_edit_pilot

F = TypeVar("F", bound=Callable)


class Open(StrEnum):
    """Rules that are not a permission."""

    PUBLIC = "public"  # no login needed: login page, health check, static files
    AUTHENTICATED = "authenticated"  # any logged-in user: logout, own language and tokens


def _declare(rule: Permission | Open) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorator


def requires(permission: Permission) -> Callable[[F], F]:
    """The view needs `permission` (roles per DESIGN §2)."""
    return _declare(Permission(permission))


public = _declare(Open.PUBLIC)
authenticated = _declare(Open.AUTHENTICATED)


def access_rule(endpoint: str) -> Permission | Open | None:
    """The rule declared by the view behind `endpoint`, or None when it declares none."""
    if endpoint == "static":
        return Open.PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def enforce_access():
    """`before_request` hook: log in first, then the view's permission, else 403."""
    if request.endpoint is None:  # 404 and 405 are answered by Flask itself
        return None
    rule = access_rule(request.endpoint)
    if rule is Open.PUBLIC:
        return None
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            response = jsonify({"error": "authentication required"})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Bearer realm="portfolio"'
            return response
        return redirect(url_for("auth.login", next=request.full_path if request.args else request.path))
    if rule is Open.AUTHENTICATED:
        return None
    if rule is None or not can(current_user.roles, rule):
        abort(403)
    return None


def require_pilot_editor(pilot) -> None:
    """403 unless the current user is the innovation leader responsible for `pilot`."""
    if not can_edit_pilot(current_user.roles, current_user.id, pilot.innovation_leader_id):
        abort(403)


def user_can(permission: Permission) -> bool:
    """For templates: whether to show a button (the server checks again on the request)."""
    return current_user.is_authenticated and can(current_user.roles, permission)


def require_benefit_owner_assigner(pilot) -> None:
    """403 unless the current user may name the benefit owners of `pilot` (the management group,
    the admin, or the pilot's own innovation leader)."""
    if not can_assign_benefit_owner(current_user.roles, current_user.id, pilot.innovation_leader_id):
        abort(403)


def user_can_assign_benefit_owner(pilot) -> bool:
    """For templates: whether the current user names the pilot's benefit owners."""
    return current_user.is_authenticated and can_assign_benefit_owner(
        current_user.roles, current_user.id, pilot.innovation_leader_id)


def user_can_edit_pilot(pilot) -> bool:
    """For templates: whether the current user edits this pilot's content."""
    return current_user.is_authenticated and can_edit_pilot(
        current_user.roles, current_user.id, pilot.innovation_leader_id
    )
