"""Follow-up after scale-up: the schedule with statuses, the benefits and harvest decisions, and the
roll-out tracker.

Everyone signed in reads. The management group changes a schedule and records harvest decisions
(DECIDE); the management group, the admin and the pilot's innovation leader name benefit owners
(ASSIGN_BENEFIT_OWNER plus `require_benefit_owner_assigner`); the leader updates the roll-out
(EDIT_PILOT plus `require_pilot_editor`), after the decision too: the follow-up is not part of the
decision basis. Follow-up measurements are recorded with the effects area's own measurement form.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.process import RolloutStatus
from portfolio.domain.roles import Permission
from portfolio.i18n import date, money
from portfolio.models import Pilot
from portfolio.services import effects, follow_up
from portfolio.services.pilots import form_options

from . import pilots
from .access import (
    require_benefit_owner_assigner,
    require_pilot_editor,
    requires,
    user_can,
    user_can_assign_benefit_owner,
    user_can_edit_pilot,
)
from .concurrency import CONFLICT, form_status, save
from .follow_up_forms import BenefitOwnerForm, HarvestForm, RolloutForm, ScheduleForm
from .forms import choices

bp = Blueprint("follow_up", __name__)

_INPUT_ERRORS = {
    "required": _l("Fyll i fältet."),
    "unknown": _l("Välj ur listan."),
    "unknown_unit": _l("Välj en enhet ur listan."),
    "required_user": _l("Välj nyttoägaren."),
    "unknown_user": _l("Välj en aktiv användare ur listan."),
    "before_start": _l("Datumet kan inte ligga före den planerade starten."),
    "empty": _l("Ange minst ett datum."),
    "duplicate": _l("Samma datum står två gånger."),
    "before_decision": _l("Uppföljningen kan inte ligga på eller före beslutsdagen %(decided_on)s."),
    "not_positive": _l("Beloppet måste vara större än noll."),
    "not_valued": _l("Nyttan är inte värderad i kronor och kan inte tas hem i kronor."),
    "not_measured": _l("Nyttan har ingen uppföljningsmätning ännu: det finns inget realiserat att ta hem."),
    "nothing_realised": _l("Den senaste uppföljningen visar ingen realiserad nytta att ta hem."),
    "exceeds_realised": _l("Beloppet är större än det som är realiserat och inte redan hemtaget: högst "
                           "%(available)s per år (realiserat %(realised)s, hemtaget %(harvested)s)."),
}


def _actor():
    return current_user._get_current_object()


def _message(error: follow_up.FollowUpInputError) -> str:
    detail = {key: (money(value) if key in ("available", "realised", "harvested") else date(value))
              for key, value in error.detail.items()}
    return str(_INPUT_ERRORS[error.code]) % detail if detail else str(_INPUT_ERRORS[error.code])


def _scaled_up(code: str) -> Pilot:
    pilot = pilots._pilot_or_404(code)
    if not follow_up.is_scaled_up(get_session(), pilot):
        abort(404)
    return pilot


def _harvest_form(rows, formdata=None) -> HarvestForm:
    form = HarvestForm(formdata=formdata, prefix="harvest")
    form.indicator.choices = choices([("", _l("Välj nytta")), *(
        (row.indicator_id, f"{row.indicator_name}") for row in rows if row.benefit.is_valued)])
    return form


def _owner_data(owner) -> dict:
    """The owner form's values from a stored owner (or an empty form)."""
    return {"user": str(owner.user_id) if owner and owner.user_id else "", "name": owner.name if owner else "",
            "unit": str(owner.unit_id) if owner and owner.unit_id else "", "version": owner.version if owner else ""}


def _owner_choices(form: BenefitOwnerForm, units, candidates) -> BenefitOwnerForm:
    form.user.choices = choices([("", _l("Välj en person")), *((user.id, f"{user.name} ({user.email})")
                                                                for user in candidates)])
    form.unit.choices = choices([("", _l("Ingen särskild enhet")), *((unit.id, unit.name) for unit in units)])
    return form


def _owner_forms(pilot: Pilot, goals, owners, *, failed: tuple[int, BenefitOwnerForm] | None = None):
    db = get_session()
    units, _goals = form_options(db, pilot)
    candidates = follow_up.owner_candidates(db)
    forms = {}
    for summary in goals:
        goal = summary.goal
        if failed and failed[0] == goal.id:
            form = failed[1]
        else:
            form = BenefitOwnerForm(formdata=None, prefix=f"owner-{goal.id}", data=_owner_data(owners.get(goal.id)))
        forms[goal.id] = _owner_choices(form, units, candidates)
    return forms


def _schedule_form(pilot: Pilot, schedule=None) -> ScheduleForm:
    """The schedule form filled from the stored dates and their version."""
    db = get_session()
    schedule = schedule if schedule is not None else follow_up.schedule_of(db, pilot)
    dates = "\n".join(state.due_on.isoformat() for state in schedule.states) if schedule else ""
    return ScheduleForm(formdata=None, prefix="schedule",
                        data={"due_dates": dates, "version": follow_up.schedule_version(db, pilot)})


def _page(pilot: Pilot, *, schedule_form: ScheduleForm | None = None, harvest_form: HarvestForm | None = None,
          owner_failed=None, status: int = 200):
    db = get_session()
    schedule = follow_up.schedule_of(db, pilot)
    rows = follow_up.benefits_of_pilot(db, pilot)
    goals = effects.effects_of_pilot(db, pilot)
    owners = follow_up.benefit_owners(db, pilot)
    can_decide = user_can(Permission.DECIDE)
    can_edit = user_can_edit_pilot(pilot)
    can_assign = user_can_assign_benefit_owner(pilot)
    if can_decide and schedule_form is None:
        schedule_form = _schedule_form(pilot, schedule)
    if can_decide and harvest_form is None:
        harvest_form = _harvest_form(rows)
    return render_template(
        "follow_up/show.html", pilot=pilot, schedule=schedule, benefits=rows, goals=goals, owners=owners,
        totals=follow_up.totals_of(rows), harvests=follow_up.harvests_of(db, pilot),
        rollout=follow_up.rollout_progress(follow_up.rollout_of(db, pilot)),
        schedule_form=schedule_form if can_decide else None, harvest_form=harvest_form if can_decide else None,
        owner_forms=_owner_forms(pilot, goals, owners, failed=owner_failed) if can_assign else {},
        can_edit=can_edit,
    ), status


@bp.route("/pilots/<code>/follow-up")
@requires(Permission.READ)
def show(code: str):
    """The follow-up of a scaled-up pilot: schedule, measurements, benefits, harvests and owners."""
    return _page(_scaled_up(code))


@bp.route("/pilots/<code>/follow-up/schedule", methods=["POST"])
@requires(Permission.DECIDE)
def change_schedule(code: str):
    """The management group changes the follow-up dates."""
    pilot = _scaled_up(code)
    form = ScheduleForm(prefix="schedule")
    if form.validate_on_submit():
        db = get_session()
        try:
            result = save(db, form, lambda: follow_up.change_schedule(db, pilot, form.dates(), _actor(),
                                                                      version=form.expected_version()),
                          current=lambda: _schedule_form(pilot))
        except follow_up.FollowUpInputError as error:
            db.rollback()
            form.due_dates.errors.append(_message(error))
        else:
            if result is not CONFLICT:
                flash(_("Uppföljningsplanen har sparats."), "success")
                return redirect(url_for("follow_up.show", code=pilot.code, _anchor="schedule"))
    return _page(pilot, schedule_form=form, status=form_status(form))


@bp.route("/pilots/<code>/follow-up/owners/<int:goal_id>", methods=["POST"])
@requires(Permission.ASSIGN_BENEFIT_OWNER)
def set_owner(code: str, goal_id: int):
    """The management group, the admin or the pilot's leader names the benefit owner of an effect goal."""
    pilot = pilots._pilot_or_404(code)
    require_benefit_owner_assigner(pilot)  # before anything else: another leader's pilot is a 403
    pilot = _scaled_up(code)
    db = get_session()
    goal = effects.goal_in_pilot(db, pilot, goal_id)
    if goal is None:
        abort(404)
    units, _goals = form_options(db, pilot)
    form = _owner_choices(BenefitOwnerForm(prefix=f"owner-{goal.id}"), units, follow_up.owner_candidates(db))
    if form.validate_on_submit():
        def change():
            return follow_up.set_benefit_owner(
                db, pilot, goal, user_id=int(form.user.data), title=form.name.data or "",
                unit_id=int(form.unit.data) if form.unit.data else None, actor=_actor(),
                version=form.expected_version(), expect_new=form.expected_version() is None)

        def current():
            owner = follow_up.benefit_owners(db, pilot).get(goal.id)
            return _owner_choices(BenefitOwnerForm(formdata=None, prefix=f"owner-{goal.id}", data=_owner_data(owner)),
                                  units, follow_up.owner_candidates(db))

        try:
            result = save(db, form, change, current)
        except follow_up.FollowUpInputError as error:
            db.rollback()
            form[error.field if error.field in form else "user"].errors.append(_message(error))
        else:
            if result is not CONFLICT:
                flash(_("Nyttoägaren har sparats."), "success")
                return redirect(url_for("follow_up.show", code=pilot.code, _anchor=f"goal-{goal.id}"))
    return _page(pilot, owner_failed=(goal.id, form), status=form_status(form))


@bp.route("/pilots/<code>/follow-up/harvests", methods=["POST"])
@requires(Permission.DECIDE)
def record_harvest(code: str):
    """The management group records a harvest decision."""
    pilot = _scaled_up(code)
    db = get_session()
    form = _harvest_form(follow_up.benefits_of_pilot(db, pilot), formdata=request.form)
    if form.validate_on_submit():
        try:
            follow_up.record_harvest(db, pilot, form.to_data(), _actor())
        except follow_up.FollowUpInputError as error:
            db.rollback()
            field = {"indicator_id": "indicator"}.get(error.field, error.field)
            form[field if field in form else "amount"].errors.append(_message(error))
        else:
            db.commit()
            flash(_("Hemtagningsbeslutet har registrerats."), "success")
            return redirect(url_for("follow_up.show", code=pilot.code, _anchor="harvests"))
    return _page(pilot, harvest_form=form, status=422)


# ------------------------------------------------------------------------------------------------
# The roll-out tracker
# ------------------------------------------------------------------------------------------------


def _rollout_page(pilot: Pilot, *, failed: tuple[int, RolloutForm] | None = None, status: int = 200):
    rows = follow_up.rollout_of(get_session(), pilot)
    forms = {}
    if user_can_edit_pilot(pilot):
        for row in rows:
            forms[row.id] = failed[1] if failed and failed[0] == row.id else RolloutForm(
                formdata=None, prefix=f"unit-{row.id}",
                data={"status": row.status.value, "planned_start": row.planned_start, "in_use_from": row.in_use_from})
    return render_template("follow_up/rollout.html", pilot=pilot, rows=rows, forms=forms,
                           progress=follow_up.rollout_progress(rows)), status


@bp.route("/pilots/<code>/rollout")
@requires(Permission.READ)
def rollout(code: str):
    """The roll-out tracker: the units of the implementation plan with status and dates."""
    return _rollout_page(_scaled_up(code))


@bp.route("/pilots/<code>/rollout/<int:rollout_unit_id>", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def update_rollout(code: str, rollout_unit_id: int):
    """The pilot's leader records how far the roll-out to one unit has come."""
    pilot = pilots._pilot_or_404(code)
    require_pilot_editor(pilot)  # before anything else: someone else's pilot is a 403, whatever its state
    pilot = _scaled_up(code)
    db = get_session()
    row = follow_up.rollout_unit_of(db, pilot, rollout_unit_id)
    if row is None:
        abort(404)
    form = RolloutForm(prefix=f"unit-{row.id}")
    if form.validate_on_submit():
        try:
            follow_up.update_rollout(db, pilot, row, status=RolloutStatus(form.status.data),
                                     planned_start=form.planned_start.data, in_use_from=form.in_use_from.data,
                                     actor=_actor())
        except follow_up.FollowUpInputError as error:
            db.rollback()
            form[error.field].errors.append(_message(error))
        else:
            db.commit()
            flash(_("Införandet på %(unit)s har sparats.", unit=row.unit.name), "success")
            return redirect(url_for("follow_up.rollout", code=pilot.code, _anchor=f"unit-{row.id}"))
    return _rollout_page(pilot, failed=(row.id, form), status=422)
