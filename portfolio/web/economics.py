"""Placeholder: this area is being built."""

from __future__ import annotations

from flask import Blueprint, render_template

from portfolio.domain.roles import Permission

from .access import requires

bp = Blueprint("economics", __name__)


@bp.route("/pilots/<code>/economics")
@requires(Permission.READ)
def page(code: str):
    """Placeholder page."""
    return render_template("base.html")
