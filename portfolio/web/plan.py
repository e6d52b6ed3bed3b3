"""The implementation plan page: read by everyone, written by the pilot's leader until the decision."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.roles import Permission
from portfolio.models import Pilot
from portfolio.services import plan as plan_service
from portfolio.services import process
from portfolio.services.pilots import form_options

from . import pilots
from .access import require_pilot_editor, requires, user_can_edit_pilot
from .forms import choices, row_id
from .process_forms import CheckpointForm, MilestoneForm, OwnerForm, PlanBasicsForm, RemovePartForm, RiskForm, RolloutUnitForm

bp = Blueprint("plan", __name__)

FORMS = {
    "basics": PlanBasicsForm, "unit": RolloutUnitForm, "milestone": MilestoneForm, "risk": RiskForm,
    "owner": OwnerForm, "checkpoint": CheckpointForm,
}
_INPUT_ERRORS = {
    "required": _l("Fyll i fältet."),
    "unknown_unit": _l("Välj en enhet ur listan."),
    "before_start": _l("Datumet kan inte ligga före den planerade starten."),
    "without_ai": _l("Ange riskklass bara när lösningen använder AI."),
}
_REMOVERS = {
    "rollout_unit": plan_service.remove_rollout_unit, "milestone": plan_service.remove_milestone,
    "risk": plan_service.remove_risk,
}
_LOCKED = _l("Piloten är beslutad: implementeringsplanen kan inte längre ändras.")


def _actor():
    return current_user._get_current_object()


def _unit_choices(pilot: Pilot) -> list:
    units, _goals = form_options(get_session(), pilot)
    return choices([("", _l("Välj enhet")), *((unit.id, unit.name) for unit in units)])


def _page(pilot: Pilot, *, failed: str | None = None, form=None, status: int = 200):
    db = get_session()
    editable = user_can_edit_pilot(pilot) and not process.is_locked(pilot)
    forms = {}
    if editable:
        plan = plan_service.plan_of(db, pilot)
        forms = {name: cls(formdata=None, prefix=name) for name, cls in FORMS.items()}
        if plan is not None:
            forms["basics"] = PlanBasicsForm(formdata=None, prefix="basics", data={
                "target_groups": plan.target_groups,
                "children_use_solution": {True: "yes", False: "no"}.get(plan.children_use_solution),
                "uses_ai": {True: "yes", False: "no"}.get(plan.uses_ai),
                "ai_risk_class": plan.ai_risk_class.value if plan.ai_risk_class else None,
            })
        if failed:
            forms[failed] = form
        forms["unit"].unit.choices = _unit_choices(pilot)
    return render_template(
        "plan/show.html", pilot=pilot, plan=plan_service.plan_of(db, pilot), forms=forms, editable=editable,
        locked=process.is_locked(pilot), remove_form=RemovePartForm(formdata=None), failed=failed,
    ), status


@bp.route("/pilots/<code>/plan")
@requires(Permission.READ)
def show(code: str):
    """The implementation plan: target groups, units, timeline, risks, owners and checkpoints."""
    return _page(pilots._pilot_or_404(code))


def _save(code: str, name: str, apply):
    pilot = pilots._pilot_or_404(code)
    require_pilot_editor(pilot)
    if process.is_locked(pilot):
        flash(str(_LOCKED), "error")
        return redirect(url_for("plan.show", code=pilot.code))
    form = FORMS[name](prefix=name)  # each form of the page has its own field names and ids
    if name == "unit":
        form.unit.choices = _unit_choices(pilot)
    if form.validate_on_submit():
        db = get_session()
        try:
            apply(db, pilot, form)
        except plan_service.PlanInputError as error:
            db.rollback()
            field = {"unit": "unit"}.get(error.field, error.field)
            form[field].errors = [*form[field].errors, str(_INPUT_ERRORS[error.code])]
        else:
            db.commit()
            flash(_("Implementeringsplanen är sparad."), "success")
            return redirect(url_for("plan.show", code=pilot.code) + f"#plan-{name}")
    return _page(pilot, failed=name, form=form, status=422)


@bp.route("/pilots/<code>/plan/basics", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def save_basics(code: str):
    """Target groups and whether children use the solution."""
    return _save(code, "basics", lambda db, pilot, form: plan_service.save_basics(
        db, pilot, target_groups=form.target_groups.data or "", children_use_solution=form.children(),
        uses_ai=form.ai(), ai_risk_class=form.risk_class(), actor=_actor()))


@bp.route("/pilots/<code>/plan/units", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def save_unit(code: str):
    """Add a unit to roll out to, or change its status and dates."""
    return _save(code, "unit", lambda db, pilot, form: plan_service.set_rollout_unit(
        db, pilot, unit_id=int(form.unit.data), status=form.status.data, planned_start=form.planned_start.data,
        in_use_from=form.in_use_from.data, actor=_actor()))


@bp.route("/pilots/<code>/plan/milestones", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def add_milestone(code: str):
    """Add a dated milestone."""
    return _save(code, "milestone", lambda db, pilot, form: plan_service.add_milestone(
        db, pilot, due_on=form.due_on.data, title=form.title.data or "", actor=_actor()))


@bp.route("/pilots/<code>/plan/risks", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def add_risk(code: str):
    """Add a risk with its mitigation."""
    return _save(code, "risk", lambda db, pilot, form: plan_service.add_risk(
        db, pilot, description=form.description.data or "", mitigation=form.mitigation.data or "", actor=_actor()))


@bp.route("/pilots/<code>/plan/owners", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def save_owner(code: str):
    """Name who holds a lifecycle responsibility, at which level."""
    return _save(code, "owner", lambda db, pilot, form: plan_service.set_owner(
        db, pilot, responsibility=form.responsibility.data, level=form.level.data, owner=form.owner.data or "",
        actor=_actor()))


@bp.route("/pilots/<code>/plan/checkpoints", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def save_checkpoint(code: str):
    """Answer a school checkpoint."""
    return _save(code, "checkpoint", lambda db, pilot, form: plan_service.set_checkpoint(
        db, pilot, checkpoint=form.checkpoint.data, status=form.status.data, done_on=form.done_on.data,
        not_needed_reason=form.not_needed_reason.data or "", planned_on=form.planned_on.data, actor=_actor()))


@bp.route("/pilots/<code>/plan/remove", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def remove_part(code: str):
    """Take a roll-out unit, milestone or risk out of the plan."""
    pilot = pilots._pilot_or_404(code)
    require_pilot_editor(pilot)
    form = RemovePartForm()
    db = get_session()
    kind = form.kind.data if form.kind.data in ("rollout_unit", "milestone", "risk") else None
    part_id = row_id(form.part_id.data)
    if form.validate_on_submit() and kind and part_id is not None:
        if process.is_locked(pilot):
            flash(str(_LOCKED), "error")
            return redirect(url_for("plan.show", code=pilot.code))
        part = plan_service.part_of(db, pilot, kind, part_id)
        if part is not None:
            _REMOVERS[kind](db, pilot, part, _actor())
            db.commit()
            flash(_("Borttaget ur implementeringsplanen."), "success")
    return redirect(url_for("plan.show", code=pilot.code))


