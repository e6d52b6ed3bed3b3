"""Effect goals, indicators and measurements of a pilot: the page "Effektmål och resultat".

Everyone who may read sees the page; only the pilot's responsible innovation leader changes
its content (EDIT_PILOT plus `require_pilot_editor`). Every object is looked up within the
pilot named in the URL, so an id from another pilot is a 404.

Once the pilot is decided, the service refuses changes to its decision basis (goals, indicators,
test measurements) with `DecisionBasisLocked`; this blueprint's error handler turns that into a
message on the effects page. Follow-up measurements can still be recorded.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.roles import Permission
from portfolio.models import EffectGoal, Indicator, Measurement, Pilot
from portfolio.services import effects

from .access import require_pilot_editor, requires
from .concurrency import CONFLICT, form_status, save
from .effect_forms import EffectGoalForm, IndicatorForm, MeasurementForm

bp = Blueprint("effects", __name__)


@bp.errorhandler(effects.DecisionBasisLocked)
def _refuse_locked(error: effects.DecisionBasisLocked):
    """A change to a decided pilot's decision basis: nothing is saved; say why on the effects page."""
    get_session().rollback()
    # The same words as the costs area uses for a decided pilot.
    flash(_("Piloten är beslutad. Underlaget kan inte ändras; rättelser görs genom ett nytt beslut."), "error")
    return redirect(url_for("effects.index", code=request.view_args["code"]))


def _pilot(code: str) -> Pilot:
    pilot = effects.pilot_by_code(get_session(), code)
    if pilot is None:
        abort(404)
    return pilot


def _editable_pilot(code: str) -> Pilot:
    """The pilot in the URL, if the current user is its innovation leader (else 403)."""
    pilot = _pilot(code)
    require_pilot_editor(pilot)
    return pilot


def _open_pilot(code: str) -> Pilot:
    """The pilot in the URL, if the current user may edit it and it has not been decided on."""
    pilot = _editable_pilot(code)
    effects.check_open(pilot)  # a decided pilot: the error handler says why and goes back
    return pilot


def _found(obj):
    if obj is None:
        abort(404)
    return obj


def _goal(pilot: Pilot, goal_id: int) -> EffectGoal:
    return _found(effects.goal_in_pilot(get_session(), pilot, goal_id))


def _indicator(pilot: Pilot, indicator_id: int) -> Indicator:
    return _found(effects.indicator_in_pilot(get_session(), pilot, indicator_id))


def _measurement(pilot: Pilot, measurement_id: int) -> Measurement:
    return _found(effects.measurement_in_pilot(get_session(), pilot, measurement_id))


def _back(pilot: Pilot, anchor: str | None = None) -> str:
    return url_for("effects.index", code=pilot.code, _anchor=anchor)


def _form_page(template: str, form, pilot: Pilot, **context):
    """Render a form; 409 after a stale save, 422 when it is shown again with errors."""
    status = form_status(form)
    return render_template(template, form=form, pilot=pilot, back_url=_back(pilot), **context), status


def _confirm_page(pilot: Pilot, *, heading: str, what: str, consequence: str, cancel_anchor: str):
    return render_template(
        "effects/confirm_delete.html",
        pilot=pilot,
        heading=heading,
        what=what,
        consequence=consequence,
        back_url=_back(pilot, cancel_anchor),
    )


@bp.route("/pilots/<code>/effects")
@requires(Permission.READ)
def index(code: str):
    """Effect goals and results: every goal, its indicators, their measurements and charts."""
    pilot = _pilot(code)
    goals = effects.effects_of_pilot(get_session(), pilot)
    return render_template("effects/index.html", pilot=pilot, goals=goals, locked=effects.is_locked(pilot))


# -- effect goals ----------------------------------------------------------------------------


@bp.route("/pilots/<code>/effects/goals/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def new_goal(code: str):
    """Add an effect goal."""
    pilot = _open_pilot(code)
    form = EffectGoalForm()
    if form.validate_on_submit():
        db = get_session()
        goal = effects.create_effect_goal(db, pilot, actor=current_user, **form.values())
        db.commit()
        flash(_("Effektmålet har lagts till. Lägg nu till minst ett mått."), "success")
        return redirect(_back(pilot, f"goal-{goal.id}"))
    return _form_page("effects/goal_form.html", form, pilot, goal=None)


@bp.route("/pilots/<code>/effects/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def edit_goal(code: str, goal_id: int):
    """Change an effect goal."""
    pilot = _open_pilot(code)
    goal = _goal(pilot, goal_id)
    form = EffectGoalForm(obj=goal)
    if form.validate_on_submit():
        db = get_session()
        if save(db, form, lambda: effects.update_effect_goal(db, goal, actor=current_user,
                                                             version=form.expected_version(), **form.values()),
                current=lambda: EffectGoalForm(formdata=None, obj=goal)) is not CONFLICT:
            flash(_("Effektmålet har sparats."), "success")
            return redirect(_back(pilot, f"goal-{goal.id}"))
    return _form_page("effects/goal_form.html", form, pilot, goal=goal)


@bp.route("/pilots/<code>/effects/goals/<int:goal_id>/delete", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def delete_goal(code: str, goal_id: int):
    """Ask first; then delete the goal with its indicators and measurements."""
    pilot = _open_pilot(code)
    goal = _goal(pilot, goal_id)
    db = get_session()
    if _confirmed():
        effects.delete_effect_goal(db, goal, actor=current_user)
        db.commit()
        flash(_("Effektmålet har tagits bort."), "success")
        return redirect(_back(pilot))
    indicators = len(goal.indicators)
    measurements = sum(len(indicator.measurements) for indicator in goal.indicators)
    return _confirm_page(
        pilot,
        heading=_("Ta bort effektmålet?"),
        what=goal.statement,
        consequence=_(
            "Effektmålet tas bort tillsammans med dess %(indicators)d mått och %(measurements)s. "
            "Det går inte att ångra.",
            indicators=indicators,
            measurements=_measurement_count(measurements),
        ),
        cancel_anchor=f"goal-{goal.id}",
    )


# -- indicators ------------------------------------------------------------------------------


@bp.route("/pilots/<code>/effects/goals/<int:goal_id>/indicators/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def new_indicator(code: str, goal_id: int):
    """Add an indicator to an effect goal."""
    pilot = _open_pilot(code)
    goal = _goal(pilot, goal_id)
    form = IndicatorForm()
    if form.validate_on_submit():
        db = get_session()
        indicator = effects.create_indicator(db, goal, actor=current_user, **form.values())
        db.commit()
        flash(_("Måttet har lagts till."), "success")
        return redirect(_back(pilot, f"indicator-{indicator.id}"))
    return _form_page("effects/indicator_form.html", form, pilot, goal=goal, indicator=None)


@bp.route("/pilots/<code>/effects/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def edit_indicator(code: str, indicator_id: int):
    """Change an indicator (not its valuation, which finance keeps)."""
    pilot = _open_pilot(code)
    indicator = _indicator(pilot, indicator_id)
    form = IndicatorForm(obj=indicator)
    if form.validate_on_submit():
        db = get_session()
        if save(db, form, lambda: effects.update_indicator(db, indicator, actor=current_user,
                                                           version=form.expected_version(), **form.values()),
                current=lambda: IndicatorForm(formdata=None, obj=indicator)) is not CONFLICT:
            flash(_("Måttet har sparats."), "success")
            return redirect(_back(pilot, f"indicator-{indicator.id}"))
    return _form_page("effects/indicator_form.html", form, pilot, goal=indicator.effect_goal, indicator=indicator)


@bp.route("/pilots/<code>/effects/indicators/<int:indicator_id>/delete", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def delete_indicator(code: str, indicator_id: int):
    """Ask first; then delete the indicator with its measurements."""
    pilot = _open_pilot(code)
    indicator = _indicator(pilot, indicator_id)
    db = get_session()
    if _confirmed():
        goal_id = indicator.effect_goal_id
        effects.delete_indicator(db, indicator, actor=current_user)
        db.commit()
        flash(_("Måttet har tagits bort."), "success")
        return redirect(_back(pilot, f"goal-{goal_id}"))
    return _confirm_page(
        pilot,
        heading=_("Ta bort måttet?"),
        what=indicator.name,
        consequence=_(
            "Måttet tas bort tillsammans med dess %(measurements)s och ekonomins värdering av det. "
            "Det går inte att ångra.",
            measurements=_measurement_count(len(indicator.measurements)),
        ),
        cancel_anchor=f"indicator-{indicator.id}",
    )


# -- measurements ----------------------------------------------------------------------------


@bp.route("/pilots/<code>/effects/indicators/<int:indicator_id>/measurements/new", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def new_measurement(code: str, indicator_id: int):
    """Record a measured value of an indicator."""
    pilot = _editable_pilot(code)
    indicator = _indicator(pilot, indicator_id)
    form = _measurement_form(pilot)
    if form.validate_on_submit():
        db = get_session()
        effects.create_measurement(db, indicator, actor=current_user, **form.values())
        db.commit()
        flash(_("Mätvärdet har sparats."), "success")
        return redirect(_back(pilot, f"indicator-{indicator.id}"))
    return _form_page("effects/measurement_form.html", form, pilot, indicator=indicator, measurement=None)


@bp.route("/pilots/<code>/effects/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def edit_measurement(code: str, measurement_id: int):
    """Correct a measurement."""
    pilot = _editable_pilot(code)
    measurement = _measurement(pilot, measurement_id)
    effects.check_measurement_open(pilot, measurement.phase)
    form = _measurement_form(pilot, obj=measurement)
    if form.validate_on_submit():
        db = get_session()
        if save(db, form, lambda: effects.update_measurement(db, measurement, actor=current_user,
                                                             version=form.expected_version(), **form.values()),
                current=lambda: _measurement_form(pilot, formdata=None, obj=measurement)) is not CONFLICT:
            flash(_("Mätvärdet har sparats."), "success")
            return redirect(_back(pilot, f"indicator-{measurement.indicator_id}"))
    return _form_page("effects/measurement_form.html", form, pilot, indicator=measurement.indicator,
                      measurement=measurement)


@bp.route("/pilots/<code>/effects/measurements/<int:measurement_id>/delete", methods=["GET", "POST"])
@requires(Permission.EDIT_PILOT)
def delete_measurement(code: str, measurement_id: int):
    """Ask first; then delete a measurement."""
    pilot = _editable_pilot(code)
    measurement = _measurement(pilot, measurement_id)
    effects.check_measurement_open(pilot, measurement.phase)
    db = get_session()
    if _confirmed():
        indicator_id = measurement.indicator_id
        effects.delete_measurement(db, measurement, actor=current_user)
        db.commit()
        flash(_("Mätvärdet har tagits bort."), "success")
        return redirect(_back(pilot, f"indicator-{indicator_id}"))
    return _confirm_page(
        pilot,
        heading=_("Ta bort mätvärdet?"),
        what=_("%(indicator)s: mätning %(date)s", indicator=measurement.indicator.name,
               date=measurement.measured_on.isoformat()),
        consequence=_("Mätvärdet tas bort. Det går inte att ångra."),
        cancel_anchor=f"indicator-{measurement.indicator_id}",
    )


def _measurement_form(pilot: Pilot, **kwargs) -> MeasurementForm:
    """The measurement form; once the pilot is decided it offers only the follow-up phase."""
    form = MeasurementForm(**kwargs)
    if effects.is_locked(pilot):
        form.only_follow_up()
    return form


def _measurement_count(number: int) -> str:
    return ngettext("%(num)d mätvärde", "%(num)d mätvärden", number)


def _confirmed() -> bool:
    """A POST to a delete route is the confirmation (CSRF is checked for every POST)."""
    return request.method == "POST"
