"""The open portfolio: the public page (no login) and the admin's choice of what is public."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.openness import PublicField
from portfolio.domain.roles import Permission
from portfolio.services import openness, pilots

from .access import public, requires
from .admin import bp as admin_bp
from .initiative_forms import PublicationForm

bp = Blueprint("openness", __name__)


@bp.route("/oppen-portfolj")
@public
def page():
    """The city's open innovation portfolio, failures included: only the fields the admin chose."""
    return render_template("openness/page.html", initiatives=openness.public_initiatives(get_session()),
                           fields=list(PublicField))


def _forms():
    rows = []
    for pilot, row in openness.settings(get_session()):
        data = {"public": row is not None, "fields": list(row.fields) if row else openness.default_fields()}
        rows.append((pilot, row, PublicationForm(formdata=None, prefix=f"p{pilot.id}", data=data)))
    return rows


# The admin's choice lives in the admin area (its sub-navigation, its URL prefix).
@admin_bp.route("/open-portfolio")
@requires(Permission.ADMINISTER)
def open_portfolio():
    """Which initiatives are public, and which of their fields."""
    return render_template("openness/settings.html", rows=_forms())


@admin_bp.route("/open-portfolio/<code>", methods=["POST"])
@requires(Permission.ADMINISTER)
def open_portfolio_save(code: str):
    """Publish or unpublish one initiative, with the fields ticked."""
    db = get_session()
    pilot = pilots.get_pilot(db, code)
    if pilot is None:
        abort(404)
    form = PublicationForm(prefix=f"p{pilot.id}")
    if not form.validate_on_submit():
        flash(_("Inställningen kunde inte sparas. Försök igen."), "error")
        return redirect(url_for("admin.open_portfolio"))
    openness.set_publication(db, pilot, list(form.fields.data or ()) if form.public.data else None,
                             current_user._get_current_object())
    db.commit()
    flash(_("Den öppna portföljen är uppdaterad för %(code)s.", code=pilot.code), "success")
    return redirect(url_for("admin.open_portfolio") + f"#p{pilot.id}")
