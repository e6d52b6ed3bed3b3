"""Finance's pages: cost items, valuation of indicators, economics parameters, sign-off and
spreadsheets ("Kostnader och värdering").

Reading is for everyone with READ; every change needs EDIT_ECONOMICS (finance, on any pilot).
"""

from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portfolio.db import get_session
from portfolio.domain.cost_import import COLUMNS, ParsedImport, validate_row
from portfolio.domain.roles import Permission
from portfolio.models import Pilot
from portfolio.services import costs as costs_service
from portfolio.services import concurrency as concurrency_service
from portfolio.services import confirmations, economics, process, spreadsheets
from portfolio.services.settings import default_first_year, get_settings, sensitivity_from_json

from .access import requires
from .concurrency import CONFLICT, form_status, save
from .cost_forms import (
    COLUMN_LABELS,
    ActionForm,
    CostForm,
    ImportConfirmForm,
    ImportUploadForm,
    ParametersForm,
    SignOffForm,
    ValuationForm,
    message,
    percent_text,
)
from .forms import ramp_up_text
from .security import allows_upload, rate_limited

bp = Blueprint("costs", __name__)

#: How long a previewed import may wait for its confirmation.
IMPORT_TOKEN_MAX_AGE = 60 * 60
#: A hidden form field must stay under Flask's MAX_FORM_MEMORY_SIZE (500 kB).
IMPORT_TOKEN_MAX_LENGTH = 400_000
_TOKEN_SALT = "portfolio.costs.import"


@bp.context_processor
def _words():
    return {"columns": COLUMN_LABELS, "percent_text": percent_text}


def _pilot(code: str) -> Pilot:
    pilot = economics.pilot_by_code(get_session(), code)
    if pilot is None:
        abort(404)
    return pilot


def _back(pilot: Pilot):
    return redirect(url_for("costs.index", code=pilot.code))


def _refuse_locked(pilot: Pilot):
    """A redirect with the reason when the pilot's economics can no longer change, else None."""
    if costs_service.is_locked(pilot):
        flash(message("locked"), "error")
        return _back(pilot)
    return None


def _service_error(pilot: Pilot, error: costs_service.CostsError | process.SignOffRefused):
    get_session().rollback()
    flash(message(error.code, str(error.detail.get("names", ""))), "error")
    return _back(pilot)


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs")
@requires(Permission.READ)
def index(code: str):
    """Cost items with totals, the valuation of every indicator, parameters and sign-off."""
    db = get_session()
    pilot = _pilot(code)
    overview = costs_service.costs_overview(db, pilot)
    evaluation = overview.evaluation
    return render_template(
        "costs/index.html",
        pilot=pilot,
        overview=overview,
        cost_years=list(zip(evaluation.years, evaluation.costs_by_year, strict=True)),
        ramp_up=ramp_up_text([str(value) for value in overview.parameters.ramp_up]),
        action_form=ActionForm(),
        signoff_form=SignOffForm(data={"basis_version": pilot.basis_version}),
    )


# --------------------------------------------------------------------------------------------
# Cost items
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs/new", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
def new(code: str):
    """Add a cost item."""
    pilot = _pilot(code)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = CostForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            costs_service.add_cost(db, pilot, form.to_values(), current_user)
        except costs_service.CostsError as error:
            return _service_error(pilot, error)
        db.commit()
        flash(_("Kostnaden är tillagd."), "success")
        return _back(pilot)
    return render_template("costs/form.html", pilot=pilot, form=form, cost=None), 422 if form.errors else 200


@bp.route("/pilots/<code>/costs/<int:cost_id>/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
def edit(code: str, cost_id: int):
    """Change a cost item."""
    db = get_session()
    pilot = _pilot(code)
    cost = costs_service.get_cost(db, pilot, cost_id) or abort(404)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = CostForm() if request.method == "POST" else CostForm.for_cost(cost)
    if form.validate_on_submit():
        try:
            changed = save(db, form, lambda: costs_service.update_cost(
                db, pilot, cost, form.to_values(), current_user, version=form.expected_version()),
                current=lambda: CostForm.for_cost(cost, formdata=None))
        except costs_service.CostsError as error:
            return _service_error(pilot, error)
        if changed is not CONFLICT:
            flash(_("Kostnaden är ändrad.") if changed else _("Inget ändrades."), "success")
            return _back(pilot)
    return render_template("costs/form.html", pilot=pilot, form=form, cost=cost), form_status(form)


@bp.route("/pilots/<code>/costs/<int:cost_id>/delete", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
def delete(code: str, cost_id: int):
    """Ask "Är du säker?" (GET), then delete the cost item (POST)."""
    db = get_session()
    pilot = _pilot(code)
    cost = costs_service.get_cost(db, pilot, cost_id) or abort(404)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = ActionForm()
    if form.validate_on_submit():
        try:
            costs_service.delete_cost(db, pilot, cost, current_user)
        except costs_service.CostsError as error:
            return _service_error(pilot, error)
        db.commit()
        flash(_("Kostnaden är borttagen."), "success")
        return _back(pilot)
    return render_template("costs/delete.html", pilot=pilot, cost=cost, form=form)


# --------------------------------------------------------------------------------------------
# Valuation
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs/indicators/<int:indicator_id>/valuation", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
def valuation(code: str, indicator_id: int):
    """Value an indicator: SEK per unit of improvement, annual volume and benefit class."""
    db = get_session()
    pilot = _pilot(code)
    indicator = costs_service.get_indicator(db, pilot, indicator_id) or abort(404)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = ValuationForm() if request.method == "POST" else ValuationForm.for_indicator(indicator)
    if form.validate_on_submit():
        try:
            changed = save(db, form, lambda: costs_service.set_valuation(
                db, pilot, indicator, value_per_unit=form.value_per_unit.data,
                annual_volume=form.annual_volume.data, benefit_class=form.benefit_class.data, actor=current_user,
                version=form.expected_version()),
                current=lambda: ValuationForm.for_indicator(indicator, formdata=None))
        except costs_service.CostsError as error:
            return _service_error(pilot, error)
        if changed is not CONFLICT:
            flash(_("Värderingen är sparad.") if changed else _("Inget ändrades."), "success")
            return _back(pilot)
    return render_template("costs/valuation.html", pilot=pilot, indicator=indicator, form=form), form_status(form)


# --------------------------------------------------------------------------------------------
# Economics parameters
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs/parameters", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
def parameters(code: str):
    """The pilot's own year 0, discount rate, horizon, ramp-up and sensitivity factors."""
    db = get_session()
    pilot = _pilot(code)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = ParametersForm() if request.method == "POST" else ParametersForm.for_pilot(pilot)
    if form.validate_on_submit():
        try:
            changed = save(db, form, lambda: costs_service.set_parameters(
                db, pilot, form.to_overrides(), current_user, version=form.expected_version()),
                current=lambda: ParametersForm.for_pilot(pilot, formdata=None))
        except costs_service.CostsError as error:
            return _service_error(pilot, error)
        if changed is not CONFLICT:
            flash(_("Kalkylparametrarna är sparade.") if changed else _("Inget ändrades."), "success")
            return _back(pilot)
    settings = get_settings(db)
    defaults = {
        "first_year": default_first_year(pilot),
        "discount_rate": percent_text(settings.discount_rate),
        "horizon_years": settings.horizon_years,
        "ramp_up": ramp_up_text(settings.ramp_up),
        "sensitivity": {key: percent_text(getattr(sensitivity_from_json(settings.sensitivity), key))
                        for key in costs_service.SENSITIVITY_KEYS},
    }
    return render_template("costs/parameters.html", pilot=pilot, form=form, defaults=defaults), form_status(form)


# --------------------------------------------------------------------------------------------
# Sign-off
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs/signoff", methods=["POST"])
@requires(Permission.EDIT_ECONOMICS)
def signoff(code: str):
    """Mark the economics as reviewed by finance ("Ekonomi granskad")."""
    db = get_session()
    pilot = _pilot(code)
    form = SignOffForm()
    if form.validate_on_submit():
        try:
            process.sign_off(db, pilot, current_user, basis_version=form.expected_basis_version())
            db.commit()
        except process.SignOffRefused as error:
            return _service_error(pilot, error)
        except process.DecisionBasisLocked:
            return _service_error(pilot, costs_service.EconomicsLocked())
        except concurrency_service.STALE_ERRORS:
            db.rollback()
            flash(message("basis_changed"), "error")
            return _back(pilot)
        flash(_("Ekonomin är markerad som granskad."), "success")
    return _back(pilot)


@bp.route("/pilots/<code>/costs/signoff/withdraw", methods=["POST"])
@requires(Permission.EDIT_ECONOMICS)
def withdraw_signoff(code: str):
    """Take back the finance sign-off."""
    db = get_session()
    pilot = _pilot(code)
    if ActionForm().validate_on_submit():
        try:
            process.withdraw_sign_off(db, pilot, current_user)
        except process.DecisionBasisLocked:
            return _service_error(pilot, costs_service.EconomicsLocked())
        db.commit()
        flash(_("Granskningen är tillbakatagen."), "success")
    return _back(pilot)


# --------------------------------------------------------------------------------------------
# Spreadsheets
# --------------------------------------------------------------------------------------------


@bp.route("/pilots/<code>/costs/export.xlsx")
@requires(Permission.READ)
def export(code: str):
    """The cost items as an Excel file (a template with instructions when there are none)."""
    db = get_session()
    pilot = _pilot(code)
    rows = [costs_service.values_of(cost) for cost in costs_service.list_costs(db, pilot)]
    data = spreadsheets.export_costs(rows, pilot_code=pilot.code, pilot_title=pilot.title)
    return send_file(io.BytesIO(data), mimetype=spreadsheets.XLSX_MIMETYPE, as_attachment=True,
                     download_name=f"kostnader-{pilot.code}.xlsx")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_TOKEN_SALT)


@bp.route("/pilots/<code>/costs/import", methods=["GET", "POST"])
@requires(Permission.EDIT_ECONOMICS)
@allows_upload
@rate_limited("cost_import")
def import_costs(code: str):
    """Upload a spreadsheet (GET: the form; POST: a preview of every row with its problems)."""
    db = get_session()
    pilot = _pilot(code)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return render_template("costs/import.html", pilot=pilot, form=form), 422 if form.errors else 200
    upload = form.file.data
    data = upload.stream.read(spreadsheets.MAX_UPLOAD_BYTES + 1)
    try:
        parsed = spreadsheets.parse_upload(upload.filename, data)
    except spreadsheets.SpreadsheetError as error:
        form.file.errors.append(message("too_large_file" if error.code == "too_large" else error.code))
        return render_template("costs/import.html", pilot=pilot, form=form), 422
    if parsed.errors:  # the file as a whole: no header, missing columns, too many rows
        form.file.errors.extend(message(e.code, e.detail) for e in parsed.errors)
        return render_template("costs/import.html", pilot=pilot, form=form), 422
    costs_service.mark_duplicates(db, pilot, parsed)
    confirm = ImportConfirmForm()
    if parsed.ok:
        token = _serializer().dumps({"pilot": pilot.id, "user": current_user.id, "source": upload.filename or "",
                                     "once": confirmations.new_token(),
                                     "rows": [values.to_list() for values in parsed.values]})
        if len(token) > IMPORT_TOKEN_MAX_LENGTH:
            form.file.errors.append(message("token_too_large"))
            return render_template("costs/import.html", pilot=pilot, form=form), 422
        confirm.token.data = token
    return _preview(pilot, parsed, upload.filename or "", form, confirm)


def _preview(pilot: Pilot, parsed: ParsedImport, filename: str, upload_form, confirm_form):
    def words(error):
        return {"row": error.row, "column": COLUMN_LABELS.get(error.column, ""),
                "message": message(error.code, error.detail)}

    errors = [words(error) for error in parsed.all_errors]
    row_errors = {row.number: [words(error) for error in row.errors] for row in parsed.rows}
    new_rows = sum(1 for row in parsed.rows if row.values is not None and not row.duplicate)
    duplicates = sum(1 for row in parsed.rows if row.duplicate)
    return render_template(
        "costs/import_preview.html", pilot=pilot, parsed=parsed, errors=errors, row_errors=row_errors,
        filename=filename,
        new_rows=new_rows, duplicates=duplicates, form=upload_form, confirm_form=confirm_form,
    ), 200 if parsed.ok else 422


@bp.route("/pilots/<code>/costs/import/confirm", methods=["POST"])
@requires(Permission.EDIT_ECONOMICS)
def confirm_import(code: str):
    """Import the previewed rows: checked again, all or nothing, identical rows skipped."""
    db = get_session()
    pilot = _pilot(code)
    if (refused := _refuse_locked(pilot)) is not None:
        return refused
    form = ImportConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload = _serializer().loads(form.token.data or "", max_age=IMPORT_TOKEN_MAX_AGE)
        if payload.get("pilot") != pilot.id or payload.get("user") != current_user.id:
            raise BadSignature("another pilot or user")
        keys = [key for key, _header in COLUMNS]
        rows = [validate_row(dict(zip(keys, row, strict=True)), number)
                for number, row in enumerate(payload["rows"], start=2)]
    except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
        flash(message("expired"), "error")
        return redirect(url_for("costs.import_costs", code=pilot.code))
    if any(row.errors for row in rows):
        flash(message("invalid_row"), "error")
        return redirect(url_for("costs.import_costs", code=pilot.code))
    try:
        # Single use: of two simultaneous confirmations of one preview, only one imports.
        confirmations.consume(db, "cost_import", form.token.data, user=current_user, pilot=pilot)
        result = costs_service.import_costs(db, pilot, [row.values for row in rows], current_user,
                                            source=str(payload.get("source", "")))
    except confirmations.AlreadyConfirmed:
        db.rollback()
        flash(message("already_imported"), "error")
        return _back(pilot)
    except costs_service.CostsError as error:
        return _service_error(pilot, error)
    db.commit()
    text = ngettext("%(num)s kostnad importerades.", "%(num)s kostnader importerades.", len(result.added))
    if result.skipped:
        text += " " + ngettext("%(num)s rad fanns redan och hoppades över.",
                               "%(num)s rader fanns redan och hoppades över.", result.skipped)
    flash(text, "success")
    return _back(pilot)
