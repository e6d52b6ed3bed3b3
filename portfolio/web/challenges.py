"""Needs and challenges: the backlog, raising one, taking it, starting a pilot from it, closing it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.initiatives import ChallengeError, InitiativeKind
from portfolio.domain.roles import Permission
from portfolio.models import Challenge
from portfolio.services import challenges, pilots

from .access import requires
from .initiative_forms import ChallengeFilterForm, ChallengeForm, CloseChallengeForm, StartPilotForm, TakeChallengeForm

bp = Blueprint("challenges", __name__)

_REFUSALS = {
    "not_open": _l("Utmaningen är redan tagen."),
    "not_startable": _l("En pilot kan inte startas från utmaningen: den är redan besvarad eller stängd."),
    "not_closable": _l("Utmaningen kan inte stängas: den är redan besvarad eller stängd."),
    "reason_required": _l("Skriv varför utmaningen stängs."),
}


def _actor():
    return current_user._get_current_object()


def _challenge_or_404(challenge_id: int) -> Challenge:
    challenge = challenges.get_challenge(get_session(), challenge_id)
    if challenge is None:
        abort(404)
    return challenge


@bp.route("/challenges")
@requires(Permission.READ)
def index():
    """The backlog of needs and challenges, with filters and pages."""
    db = get_session()
    form = ChallengeFilterForm(formdata=request.args)
    form.set_options(*pilots.filter_options(db))
    form.validate()
    page = challenges.list_challenges(db, form.to_filters(), page=request.args.get("page", 1, type=int),
                                      per_page=current_app.config["PAGE_SIZE"])
    return render_template("challenges/index.html", form=form, page=page, args=form.query_args(),
                           counts=challenges.count_by_status(db))


@bp.route("/challenges/new", methods=["GET", "POST"])
@requires(Permission.RAISE_CHALLENGE)
def new():
    """Raise a need or challenge: anyone signed in may."""
    db = get_session()
    form = ChallengeForm()
    form.set_options(*pilots.form_options(db))
    if form.validate_on_submit():
        try:
            challenge = challenges.raise_challenge(db, form.to_data(), _actor())
        except challenges.ChallengeInputError as error:
            form.add_service_error(error)
        else:
            db.commit()
            flash(_("Utmaningen är registrerad. En innovationsledare tar hand om den."), "success")
            return redirect(url_for("challenges.show", challenge_id=challenge.id))
    return render_template("challenges/form.html", form=form), 422 if form.errors else 200


def _render(challenge: Challenge, *, take_form=None, close_form=None, start_form=None, status: int = 200):
    return render_template(
        "challenges/show.html", challenge=challenge, take_form=take_form or TakeChallengeForm(formdata=None),
        start_form=start_form or StartPilotForm(formdata=None), close_form=close_form or CloseChallengeForm(formdata=None),
    ), status


@bp.route("/challenges/<int:challenge_id>")
@requires(Permission.READ)
def show(challenge_id: int):
    """One challenge: what it is, who raised it, where it stands."""
    return _render(_challenge_or_404(challenge_id))


@bp.route("/challenges/<int:challenge_id>/take", methods=["POST"])
@requires(Permission.CREATE_PILOT)
def take(challenge_id: int):
    """An innovation leader takes the challenge."""
    challenge = _challenge_or_404(challenge_id)
    form = TakeChallengeForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            challenges.take(db, challenge, _actor())
        except ChallengeError as error:
            db.rollback()
            form.form_errors.append(str(_REFUSALS[error.code]))
            return _render(challenge, take_form=form, status=409)
        db.commit()
        flash(_("Du har tagit utmaningen."), "success")
    return redirect(url_for("challenges.show", challenge_id=challenge.id))


@bp.route("/challenges/<int:challenge_id>/start-pilot", methods=["POST"])
@requires(Permission.CREATE_PILOT)
def start_pilot(challenge_id: int):
    """Start a pilot from the challenge, its data carried over; the leader continues on the pilot."""
    challenge = _challenge_or_404(challenge_id)
    form = StartPilotForm()
    if not form.validate_on_submit():
        return _render(challenge, start_form=form, status=422)
    db = get_session()
    try:
        pilot = challenges.start_pilot(db, challenge, _actor(), kind=InitiativeKind(form.kind.data or InitiativeKind.INNOVATION))
    except ChallengeError as error:
        db.rollback()
        form.form_errors.append(str(_REFUSALS[error.code]))
        return _render(challenge, start_form=form, status=409)
    db.commit()
    flash(_("Piloten %(code)s är startad från utmaningen. Komplettera beskrivningen.", code=pilot.code), "success")
    return redirect(url_for("pilots.show", code=pilot.code))


@bp.route("/challenges/<int:challenge_id>/close", methods=["POST"])
@requires(Permission.CREATE_PILOT)
def close(challenge_id: int):
    """Close the challenge with a reason."""
    challenge = _challenge_or_404(challenge_id)
    form = CloseChallengeForm()
    if not form.validate_on_submit():
        return _render(challenge, close_form=form, status=422)
    db = get_session()
    try:
        challenges.close(db, challenge, form.reason.data or "", _actor())
    except ChallengeError as error:
        db.rollback()
        form.reason.errors = [str(_REFUSALS[error.code])]
        return _render(challenge, close_form=form, status=422 if error.code == "reason_required" else 409)
    db.commit()
    flash(_("Utmaningen är stängd."), "success")
    return redirect(url_for("challenges.show", challenge_id=challenge.id))
