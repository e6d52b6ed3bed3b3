"""Placeholder: this area is being built."""

from __future__ import annotations

from flask import Blueprint, render_template

from portfolio.domain.roles import Permission

from .access import requires

bp = Blueprint("effects", __name__)


@bp.route("/pilots/<code>/effects")
@requires(Permission.READ)
def index(code: str):
    """Placeholder page."""
    return render_template("base.html")
