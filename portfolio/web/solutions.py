"""The solution register: solutions in operation, owners per level, flags, AI in use, decommissioning."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.process import OwnerLevel, Responsibility
from portfolio.domain.roles import Permission
from portfolio.domain.solutions import SolutionError
from portfolio.services import pilots, solutions

from .access import requires
from .initiative_forms import DecommissionForm, SolutionForm

bp = Blueprint("solutions", __name__)

_INPUT_ERRORS = {
    "required": _l("Fyll i fältet."),
    "without_ai": _l("Ange riskklass bara när lösningen använder AI."),
    "negative": _l("Värdet får inte vara negativt."),
    "unknown_unit": _l("Välj bland enheterna i listan."),
    "already": _l("Lösningen är redan avvecklad."),
}
_FIELDS = {"decommission_reason": "reason"}


def _actor():
    return current_user._get_current_object()


@bp.route("/solutions")
@requires(Permission.READ)
def index():
    """The register: per level who owns what, flags, AI in use by risk class."""
    register = solutions.register(get_session(), today=pilots.local_today())
    return render_template("solutions/index.html", register=register, roles=list(Responsibility),
                           levels=list(OwnerLevel))


@bp.route("/solutions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_SOLUTIONS)
def new():
    """Enter a solution by hand: a tool that never was a pilot."""
    db = get_session()
    form = SolutionForm()
    form.set_units(pilots.form_options(db)[0])
    if form.validate_on_submit():
        try:
            solution = solutions.create_solution(db, form.to_data(), _actor())
        except SolutionError as error:
            db.rollback()
            form[error.field].errors = [*form[error.field].errors, str(_INPUT_ERRORS[error.code])]
        else:
            db.commit()
            flash(_("Lösningen är registrerad."), "success")
            return redirect(url_for("solutions.show", solution_id=solution.id))
    return render_template("solutions/form.html", form=form), 422 if form.errors else 200


def _render(solution, form=None, status: int = 200):
    owners = {(o.responsibility, o.level): o.owner for o in solution.owners}
    return render_template("solutions/show.html", solution=solution, owners=owners, roles=list(Responsibility),
                           levels=list(OwnerLevel), form=form or DecommissionForm(formdata=None)), status


@bp.route("/solutions/<int:solution_id>")
@requires(Permission.READ)
def show(solution_id: int):
    """One solution with its owners, units, contract, cost and AI use."""
    solution = solutions.get_solution(get_session(), solution_id)
    if solution is None:
        abort(404)
    return _render(solution)


@bp.route("/solutions/<int:solution_id>/decommission", methods=["POST"])
@requires(Permission.MANAGE_SOLUTIONS)
def decommission(solution_id: int):
    """Decommission the solution with a date and a reason; it stays in the register."""
    db = get_session()
    solution = solutions.get_solution(db, solution_id)
    if solution is None:
        abort(404)
    form = DecommissionForm()
    if not form.validate_on_submit():
        return _render(solution, form, 422)
    try:
        solutions.decommission(db, solution, form.decommissioned_on.data, form.reason.data or "", _actor())
    except SolutionError as error:
        db.rollback()
        name = _FIELDS.get(error.field, error.field)
        form[name].errors = [*form[name].errors, str(_INPUT_ERRORS[error.code])]
        return _render(solution, form, 409 if error.code == "already" else 422)
    db.commit()
    flash(_("Lösningen är avvecklad. Den finns kvar i registret med sin historik."), "success")
    return redirect(url_for("solutions.show", solution_id=solution.id))
