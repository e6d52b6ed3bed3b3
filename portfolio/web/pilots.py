"""The pilot register: list and search, create, view, edit, phase moves and reassignment."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.initiatives import has_scale_up_steps
from portfolio.domain.lifecycle import Phase, TransitionError, allowed_moves
from portfolio.domain.roles import Permission
from portfolio.models import Pilot
from portfolio.services import challenges, overlaps, pilots, solutions

from . import process_view
from .access import require_pilot_editor, requires, user_can, user_can_edit_pilot
from .concurrency import CONFLICT, form_status, save
from .pilot_forms import LeaderForm, PhaseMoveForm, PilotFilterForm, PilotForm
from .labels import phase_label

bp = Blueprint("pilots", __name__)


def _actor():
    """The logged-in user as a model object (services store its id and write it to the audit log)."""
    return current_user._get_current_object()


def _pilot_or_404(code: str) -> Pilot:
    pilot = pilots.get_pilot(get_session(), code)
    if pilot is None:
        abort(404)
    return pilot


@bp.route("/pilots")
@requires(Permission.READ)
def index():
    """The register: search, filter, sort and page through the pilots."""
    db = get_session()
    form = PilotFilterForm(formdata=request.args)
    form.set_options(*pilots.filter_options(db), *pilots.leader_and_year_options(db))
    form.validate()
    filters = form.to_filters()
    page, figures = pilots.register(
        db, filters, page=request.args.get("page", 1, type=int), per_page=current_app.config["PAGE_SIZE"]
    )
    return render_template("pilots/index.html", form=form, page=page, figures=figures, filters=filters,
                           args=form.query_args())


@bp.route("/pilots/new", methods=["GET", "POST"])
@requires(Permission.CREATE_PILOT)
def new():
    """Register a pilot; the creator becomes its responsible innovation leader."""
    db = get_session()
    form = PilotForm()
    form.set_options(*pilots.form_options(db))
    if form.validate_on_submit():
        try:
            pilot = pilots.create_pilot(db, form.to_data(), _actor())
        except pilots.PilotInputError as error:
            form.add_service_error(error)
        else:
            db.commit()
            flash(_("Piloten %(code)s är registrerad.", code=pilot.code), "success")
            return redirect(url_for("pilots.show", code=pilot.code))
    return render_template("pilots/form.html", form=form, pilot=None), 422 if form.errors else 200


def _render_show(pilot: Pilot, *, move_form: PhaseMoveForm | None = None, leader_form: LeaderForm | None = None,
                 status: int = 200, **process_forms):
    """The pilot page, with the move form for its leader and the reassign form for admins."""
    if move_form is None and user_can_edit_pilot(pilot) and allowed_moves(
            pilot.phase, scale_up_steps=has_scale_up_steps(pilot.kind)):
        move_form = PhaseMoveForm(formdata=None)
    if move_form is not None:
        move_form.set_moves(pilot)
    if leader_form is None and user_can(Permission.ADMINISTER):
        leader_form = LeaderForm(formdata=None)
    if leader_form is not None:
        leader_form.set_leaders(pilots.innovation_leaders(get_session()), pilot)
    db = get_session()
    initiative = {
        "challenge": challenges.challenge_of_pilot(db, pilot),
        "overlaps": overlaps.overlaps_of(db, pilot),
        "solution": solutions.solution_of_pilot(db, pilot),
    }
    return render_template("pilots/show.html", pilot=pilot, move_form=move_form, leader_form=leader_form,
                           initiative=initiative, **process_view.context(pilot, **process_forms)), status


@bp.route("/pilots/<code>")
@requires(Permission.READ)
def show(code: str):
    """Everything recorded about a pilot, its phase and its history."""
    return _render_show(_pilot_or_404(code))


@bp.route("/pilots/<code>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def edit(code: str):
    """Change a pilot's description (its responsible innovation leader only)."""
    pilot = _pilot_or_404(code)
    require_pilot_editor(pilot)
    db = get_session()
    options = pilots.form_options(db, pilot)

    def stored(**kwargs):
        stored_form = PilotForm(data=PilotForm.initial_data(pilot), **kwargs)
        stored_form.set_options(*options)
        return stored_form

    form = stored()
    if form.validate_on_submit():
        try:
            changed = save(db, form, lambda: pilots.update_pilot(db, pilot, form.to_data(), _actor(),
                                                                 version=form.expected_version()),
                           current=lambda: stored(formdata=None))
        except pilots.PilotInputError as error:
            db.rollback()
            form.add_service_error(error)
        else:
            if changed is not CONFLICT:
                flash(_("Ändringarna är sparade.") if changed else _("Inget ändrades."), "success")
                return redirect(url_for("pilots.show", code=pilot.code))
    return render_template("pilots/form.html", form=form, pilot=pilot), form_status(form)


@bp.route("/pilots/<code>/phase", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def move_phase(code: str):
    """Move the pilot to another phase by hand; the move is recorded in its history."""
    pilot = _pilot_or_404(code)
    require_pilot_editor(pilot)
    form = PhaseMoveForm()
    form.set_moves(pilot)
    if form.validate_on_submit():
        db = get_session()
        try:
            moved = save(db, form, lambda: pilots.move_phase(
                db, pilot, Phase(form.target.data), form.comment.data or "", _actor(),
                revisit_on=form.revisit_on.data, lessons_learned=form.lessons_learned.data or "",
                version=form.expected_version()), current=lambda: PhaseMoveForm.stored(pilot))
        except TransitionError as error:
            db.rollback()
            form.add_transition_error(error)
        else:
            if moved is not CONFLICT:
                flash(_("Piloten är flyttad till %(phase)s.", phase=str(phase_label(pilot.phase)).lower()), "success")
                return redirect(url_for("pilots.show", code=pilot.code))
    # After a conflict the form offers the moves from where the pilot is now (`_render_show`).
    return _render_show(pilot, move_form=form, status=form_status(form))


@bp.route("/pilots/<code>/leader", methods=["POST"])
@requires(Permission.ADMINISTER)
def reassign_leader(code: str):
    """The admin makes another innovation leader responsible for the pilot."""
    pilot = _pilot_or_404(code)
    db = get_session()
    form = LeaderForm()
    form.set_leaders(pilots.innovation_leaders(db), pilot)
    if form.validate_on_submit():
        def stored():
            current = LeaderForm(formdata=None, data={"leader": str(pilot.innovation_leader_id or ""),
                                                       "version": pilot.version})
            current.set_leaders(pilots.innovation_leaders(db), pilot)
            return current

        try:
            changed = save(db, form, lambda: pilots.reassign_leader(db, pilot, int(form.leader.data), _actor(),
                                                                    version=form.expected_version()),
                           current=stored)
        except pilots.NotAnInnovationLeaderError:
            db.rollback()
            form.leader.errors.append(_("Välj en aktiv innovationsledare."))
        else:
            if changed is CONFLICT:
                return _render_show(pilot, leader_form=form, status=409)
            if changed:
                flash(_("%(name)s är nu ansvarig innovationsledare.", name=pilot.innovation_leader.name), "success")
            else:
                flash(_("Inget ändrades."), "success")
            return redirect(url_for("pilots.show", code=pilot.code))
    return _render_show(pilot, leader_form=form, status=422)
