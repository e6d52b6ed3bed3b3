"""Placeholder: the pilot register is being built."""

from __future__ import annotations

from flask import Blueprint, render_template

from portfolio.domain.roles import Permission

from .access import requires

bp = Blueprint("pilots", __name__)


@bp.route("/pilots")
@requires(Permission.READ)
def index():
    """The pilot register."""
    return render_template("base.html")
