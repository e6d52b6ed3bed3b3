"""Placeholder: the user's own page (language, API tokens) is being built."""

from __future__ import annotations

from flask import Blueprint, render_template

from .access import authenticated

bp = Blueprint("account", __name__)


@bp.route("/account")
@authenticated
def index():
    """Placeholder page."""
    return render_template("base.html")
