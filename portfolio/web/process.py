"""The scale-up process on the web: complete and reopen steps, record the decision, the decisions register."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import OperationalError

from portfolio.db import get_session
from portfolio.domain.lifecycle import Step
from portfolio.domain.process import ProcessError, StepState, missing
from portfolio.domain.roles import Permission
from portfolio.models import Pilot
from portfolio.services import papers, process

from . import pilots
from .access import require_pilot_editor, requires
from .forms import row_id
from .process_forms import REFUSALS, CompleteStepForm, DecisionFilterForm, DecisionForm, ReopenStepForm, gate_message

bp = Blueprint("process", __name__)

#: Which completion-form field writes which on-completion rule.
_COMPLETION_FIELDS = {
    "review_comment_missing": "review_comment",
    "results_summary_missing": "results_summary",
    "lessons_learned_missing": "lessons_learned",
}
#: What a refused decision field is called in the form.
_DECISION_FIELD_ERRORS = {
    ("new_test_end", "required"): _l("Ange ett nytt slutdatum för testet."),
    ("new_test_end", "not_after_decision"): _l("Det nya slutdatumet måste ligga efter beslutsdatumet."),
    ("revisit_on", "required"): _l("Ange när piloten ska tas upp igen."),
    ("revisit_on", "not_after_decision"): _l("Datumet måste ligga efter beslutsdatumet."),
    ("lessons_learned", "required"): _l("Skriv vilka lärdomar piloten gav."),
    ("delegation_reference", "required"): _l("Ange vilken punkt i delegationsordningen beslutet fattas med stöd av."),
}


def _actor():
    return current_user._get_current_object()


def _pilot(code: str) -> Pilot:
    return pilots._pilot_or_404(code)


def _back(pilot: Pilot):
    return redirect(url_for("pilots.show", code=pilot.code) + "#process")


@bp.route("/pilots/<code>/process/complete", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def complete_step(code: str):
    """Complete the next step; refused (409, or errors on the form) while anything is missing."""
    pilot = _pilot(code)
    require_pilot_editor(pilot)
    form = CompleteStepForm()
    step = form.step_number()
    valid = form.validate_on_submit()
    if step is None:  # a tampered or truncated form: say so instead of showing the page unchanged
        form.form_errors.append(str(REFUSALS["not_a_step"]))
    if not valid or step is None:
        return pilots._render_show(pilot, complete_form=form, status=422)
    db = get_session()
    texts = {
        1: {"review_comment": form.review_comment.data or ""},
        2: {"results_summary": form.results_summary.data or "", "lessons_learned": form.lessons_learned.data or ""},
    }.get(step, {})
    try:
        process.complete_step(db, pilot, step, _actor(), **texts)
    except ProcessError as error:
        db.rollback()
        own_fields = [_COMPLETION_FIELDS[c.code] for c in error.missing if c.code in _COMPLETION_FIELDS]
        others = [c for c in error.missing if c.code not in _COMPLETION_FIELDS]
        for name in own_fields:
            form[name].errors = [*form[name].errors, gate_message(next(c for c in error.missing
                                                                      if _COMPLETION_FIELDS.get(c.code) == name))]
        if others or error.code != "missing":
            form.form_errors.append(str(REFUSALS[error.code]))
            form.form_errors.extend(gate_message(check) for check in others)
            return pilots._render_show(pilot, complete_form=form, status=409)
        return pilots._render_show(pilot, complete_form=form, status=422)
    db.commit()
    flash(_("Steg %(step)s är slutfört.", step=step), "success")
    return _back(pilot)


@bp.route("/pilots/<code>/process/reopen", methods=["POST"])
@requires(Permission.EDIT_PILOT)
def reopen_step(code: str):
    """Reopen a completed step (with the reason) before the decision."""
    pilot = _pilot(code)
    require_pilot_editor(pilot)
    form = ReopenStepForm()
    step = row_id(form.step.data)
    valid = form.validate_on_submit()
    if step is None:
        form.form_errors.append(str(REFUSALS["not_a_step"]))
    if not valid or step is None:
        return pilots._render_show(pilot, reopen_form=form, status=422)
    db = get_session()
    try:
        process.reopen_step(db, pilot, step, form.comment.data or "", _actor())
    except ProcessError as error:
        db.rollback()
        form.form_errors.append(str(REFUSALS[error.code]))
        return pilots._render_show(pilot, reopen_form=form, status=409)
    db.commit()
    flash(_("Steg %(step)s är öppnat igen.", step=step), "success")
    return _back(pilot)


# --- the decision -----------------------------------------------------------------------------


def _decision_page(pilot: Pilot, form: DecisionForm, status: int = 200):
    db = get_session()
    state = process.status(db, pilot)
    return render_template(
        "process/decide.html", pilot=pilot, form=form, process_status=state,
        missing=[gate_message(check) for check in _decision_missing(state)],
    ), status


def _decision_missing(state) -> list:
    """What stops the decision, when the pilot is waiting for it."""
    if state.steps[-1].state is not StepState.CURRENT:
        return []
    return list(missing(state.snapshot, Step.DECIDED))


@bp.route("/pilots/<code>/decision", methods=["GET", "POST"])
@requires(Permission.DECIDE)
def decide(code: str):
    """The management group records the decision on the newest paper, confirmed with the password."""
    pilot = _pilot(code)
    db = get_session()
    form = DecisionForm()
    if request.method == "GET":
        latest = papers.latest(db, pilot)
        form.paper_version_id.data = str(latest.id) if latest else ""
        return _decision_page(pilot, form)
    if not form.validate_on_submit():
        return _decision_page(pilot, form, 422)
    try:
        decision = process.record_decision(db, pilot, form.to_data(), _actor())
        db.commit()
    except process.DecisionInputError as error:
        db.rollback()
        if error.field == "paper_version_id":
            form.form_errors.append(_("Beslutsunderlaget har ändrats sedan sidan laddades: granska den senaste "
                                      "versionen och försök igen."))
            form.paper_version_id.data = str(getattr(papers.latest(db, pilot), "id", ""))
            return _decision_page(pilot, form, 409)
        form[error.field].errors = [*form[error.field].errors, str(_DECISION_FIELD_ERRORS[(error.field, error.code)])]
        return _decision_page(pilot, form, 422)
    except ProcessError as error:
        db.rollback()
        form.form_errors.append(str(REFUSALS[error.code]))
        return _decision_page(pilot, form, 409)
    except (process.DecisionConflict, OperationalError):
        db.rollback()
        form.form_errors.append(_("Någon annan registrerade ett beslut samtidigt. Ladda om sidan."))
        return _decision_page(pilot, form, 409)
    flash(_("Beslutet är registrerat (%(case)s).", case=decision.case_number), "success")
    return redirect(url_for("pilots.show", code=pilot.code) + "#process")


# --- the register -----------------------------------------------------------------------------


@bp.route("/decisions")
@requires(Permission.READ)
def register():
    """Every decision taken, newest first, filtered by outcome and year, with the archived paper."""
    form = DecisionFilterForm(formdata=request.args)
    form.set_options()
    form.validate()
    page = process.list_decisions(
        get_session(), outcome=form.outcome_value(), year=form.year_value(),
        page=request.args.get("page", 1, type=int), per_page=current_app.config["PAGE_SIZE"],
    )
    args = {key: value for key, value in (("outcome", form.outcome.data or ""), ("year", form.year.raw_data[0]
            if form.year.raw_data else "")) if value}
    return render_template("process/register.html", form=form, page=page, args=args)
