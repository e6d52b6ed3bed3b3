"""Overlapping initiatives: the list, and marking a pair as coordinated."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.roles import Permission
from portfolio.services import overlaps

from .access import requires
from .initiative_forms import CoordinateForm

bp = Blueprint("overlaps", __name__)

_REFUSALS = {
    "note_required": _l("Skriv hur insatserna samordnas."),
    "not_overlapping": _l("De två initiativen överlappar inte (längre)."),
    "already_coordinated": _l("Paret är redan markerat som samordnat."),
}


def _page(form: CoordinateForm | None = None, status: int = 200):
    flagged = overlaps.all_overlaps(get_session())
    return render_template("overlaps/index.html", flagged=flagged, failed=form,
                           form_for=lambda f: CoordinateForm(formdata=None, first=f.first.id, second=f.second.id)), status


@bp.route("/overlaps")
@requires(Permission.READ)
def index():
    """Pairs of initiatives that share a target group, a unit or a goal and overlap in time."""
    return _page()


@bp.route("/overlaps/coordinate", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def coordinate():
    """An innovation leader marks a pair as coordinated, with a note."""
    form = CoordinateForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    pair = form.pair()
    if pair is None:
        form.form_errors.append(str(_REFUSALS["not_overlapping"]))
        return _page(form, 422)
    db = get_session()
    try:
        overlaps.mark_coordinated(db, *pair, form.note.data or "", current_user._get_current_object())
    except overlaps.CoordinationError as error:
        db.rollback()
        form.note.errors = [str(_REFUSALS[error.code])]
        return _page(form, 409 if error.code != "note_required" else 422)
    db.commit()
    flash(_("Paret är markerat som samordnat."), "success")
    return redirect(url_for("overlaps.index"))
