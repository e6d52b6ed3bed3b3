"""The management group's meetings on the web: meetings, the agenda and its suggestions, the pack,
decisions per item, the minutes and their extracts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from portfolio.db import get_session
from portfolio.domain import limits
from portfolio.domain.meetings import ItemKind, MeetingError, MeetingStatus
from portfolio.domain.process import ProcessError
from portfolio.domain.roles import Permission, Role, can_keep_minutes
from portfolio.models import AgendaItem, Meeting, Pilot, User
from portfolio.services import mail, meetings, process

from .access import requires
from .meeting_forms import ConfirmForm, ItemForm, MeetingForm, MoveForm, SuggestionForm
from .process import _DECISION_FIELD_ERRORS
from .process_forms import REFUSALS, DecisionForm, gate_message

bp = Blueprint("meetings", __name__)

MEETING_REFUSALS = {
    "locked": _l("Protokollet är låst. Öppna det för rättelse för att ändra något."),
    "not_locked": _l("Protokollet är inte låst."),
    "item_decided": _l("Punkten har ett registrerat beslut och kan inte tas bort."),
    "end_before_start": _l("Mötet måste sluta efter att det börjar."),
    "not_a_decision_item": _l("Beslut registreras på beslutspunkter som gäller en pilot."),
}


def _actor() -> User:
    return current_user._get_current_object()


def _meeting(meeting_id: int) -> Meeting:
    meeting = meetings.get_meeting(get_session(), meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((item for item in meeting.items if item.id == item_id), None)
    if item is None:
        abort(404)
    return item


def user_may_keep(meeting: Meeting) -> bool:
    """Whether the current user writes this meeting's agenda and minutes (its secretary or management)."""
    return current_user.is_authenticated and can_keep_minutes(current_user.roles, current_user.id,
                                                              meeting.secretary_id)


def _require_keeper(meeting: Meeting) -> None:
    if not user_may_keep(meeting):
        abort(403)


def _confirmed_by_keeper(meeting_id: int) -> Meeting:
    """The meeting of a confirmed action (a button with its own form): 404 when there is no such
    meeting, 403 for anyone but its keepers, 400 without the form's token."""
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    return meeting


def _people():
    """Who may be named on a meeting: active users with a role other than viewer only."""
    return [user for user in get_session().scalars(select(User).where(User.active.is_(True)).order_by(User.name))
            if user.roles - {Role.VIEWER}]


def _pilots():
    return list(get_session().scalars(select(Pilot).order_by(Pilot.code)))


def _back(meeting: Meeting, anchor: str = ""):
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + (f"#{anchor}" if anchor else ""), code=303)


def _refused(meeting: Meeting, error: MeetingError):
    """The meeting page again, saying why the change was refused (409)."""
    get_session().rollback()
    return _show(meeting, status=409, errors=[str(MEETING_REFUSALS[error.code])])


# --- meetings -------------------------------------------------------------------------------------


@bp.route("/meetings")
@requires(Permission.READ)
def index():
    """Every meeting, newest first."""
    return render_template("meetings/index.html", meetings=meetings.list_meetings(get_session()))


def _meeting_form_page(form: MeetingForm, meeting: Meeting | None, status: int = 200):
    return render_template("meetings/form.html", form=form, meeting=meeting), status


@bp.route("/meetings/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_MEETINGS)
def create():
    """A management group member or the admin creates a meeting."""
    form = MeetingForm()
    form.set_people(_people())
    if request.method == "GET":
        form.participants.data = [str(u.id) for u in _people() if Role.MANAGEMENT in u.roles]
    if not form.validate_on_submit():
        return _meeting_form_page(form, None, 422 if request.method == "POST" else 200)
    db = get_session()
    meeting = meetings.create_meeting(db, form.to_data(), _actor())
    db.commit()
    flash(_("Mötet är skapat."), "success")
    return _back(meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_MEETINGS)
def edit(meeting_id: int):
    meeting = _meeting(meeting_id)
    form = MeetingForm(obj=meeting) if request.method == "GET" else MeetingForm()
    form.set_people(_people())
    if request.method == "GET":
        form.secretary.data = str(meeting.secretary_id)
        form.participants.data = [str(p.user_id) for p in meeting.participants]
    if not form.validate_on_submit():
        return _meeting_form_page(form, meeting, 422 if request.method == "POST" else 200)
    db = get_session()
    try:
        meetings.update_meeting(db, meeting, form.to_data(), _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    db.commit()
    flash(_("Mötet är ändrat."), "success")
    return _back(meeting)


def _show(meeting: Meeting, *, item_form: ItemForm | None = None, status: int = 200, typed_notes=None,
          errors: list[str] | None = None):
    db = get_session()
    keeper = user_may_keep(meeting)
    if item_form is None:
        item_form = ItemForm(formdata=None)
    item_form.set_pilots(_pilots())
    editable = meeting.status is not MeetingStatus.LOCKED
    return render_template(
        "meetings/show.html", meeting=meeting, agenda=meetings.agenda(meeting), keeper=keeper, editable=editable,
        item_form=item_form, suggestions=meetings.suggestions(db, meeting) if keeper and editable else [],
        pack=meetings.pack_status(db, meeting), decisions=meetings.decisions_by_item(db, meeting),
        versions=meetings.minutes_versions(db, meeting), extracts=meetings.extracts(db, meeting),
        confirm=ConfirmForm(formdata=None), typed_notes=typed_notes or {}, errors=errors or [],
    ), status


@bp.route("/meetings/<int:meeting_id>")
@requires(Permission.READ)
def show(meeting_id: int):
    """The meeting: the agenda, suggestions, the pack, decisions per item, the minutes."""
    return _show(_meeting(meeting_id))


# --- the agenda -----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/items", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def add_item(meeting_id: int):
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    form = ItemForm()
    form.set_pilots(_pilots())
    if not form.validate_on_submit():
        return _show(meeting, item_form=form, status=422)
    db = get_session()
    try:
        item = meetings.add_item(db, meeting, form.to_data(), _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    db.commit()
    flash(_("Punkten är tillagd."), "success")
    return _back(meeting, f"item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/suggestions", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def add_suggestion(meeting_id: int):
    """One click adds one suggested item."""
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    form = SuggestionForm()
    if not form.validate_on_submit():
        abort(400)
    db = get_session()
    try:
        item = meetings.add_suggestion(db, meeting, form.key.data, _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    if item is None:
        flash(_("Förslaget gäller inte längre."), "error")
        return _back(meeting, "suggestions")
    db.commit()
    flash(_("Punkten är tillagd."), "success")
    return _back(meeting, "suggestions")


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/move", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def move_item(meeting_id: int, item_id: int):
    """Move an item one place up or down."""
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    item = _item(meeting, item_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    db = get_session()
    try:
        meetings.move_item(db, meeting, item, form.direction.data, _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    db.commit()
    return _back(meeting, f"item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.KEEP_MINUTES)
def edit_item(meeting_id: int, item_id: int):
    """Change an item's kind, title, presenter, text or pilot."""
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    item = _item(meeting, item_id)
    form = ItemForm(obj=item) if request.method == "GET" else ItemForm()
    form.set_pilots(_pilots())
    if request.method == "GET":
        form.pilot.data = str(item.pilot_id or "")
    if not form.validate_on_submit():
        return render_template("meetings/item_form.html", meeting=meeting, item=item, form=form,
                               number=meetings.item_number(meeting, item)), 422 if request.method == "POST" else 200
    db = get_session()
    try:
        meetings.update_item(db, meeting, item, form.to_data(), _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    db.commit()
    flash(_("Punkten är ändrad."), "success")
    return _back(meeting, f"item-{item.id}")


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/delete", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def delete_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    _require_keeper(meeting)
    item = _item(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    db = get_session()
    try:
        meetings.remove_item(db, meeting, item, _actor())
    except MeetingError as error:
        return _refused(meeting, error)
    db.commit()
    flash(_("Punkten är borttagen."), "success")
    return _back(meeting, "agenda")


# --- the pack -------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/pack", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def generate_pack(meeting_id: int):
    """Put the pack together from the agenda and the newest papers; tell the participants it is ready."""
    meeting = _confirmed_by_keeper(meeting_id)
    db = get_session()
    try:
        document = meetings.generate_pack(db, meeting, _actor())
        db.commit()
    except IntegrityError:
        db.rollback()
        flash(_("Någon annan skapade ett mötesunderlag samtidigt. Försök igen."), "error")
        return _back(meeting, "pack")
    link = url_for("meetings.show", meeting_id=meeting.id, _external=True)
    mail.announce_pack(db, meeting, document, link)
    db.commit()
    flash(_("Mötesunderlaget är skapat (%(pages)s sidor).", pages=document.pages), "success")
    return _back(meeting, "pack")


@bp.route("/meetings/<int:meeting_id>/documents/<int:document_id>.pdf")
@requires(Permission.READ)
def document(meeting_id: int, document_id: int):
    """A stored pack or minutes extract, byte for byte as generated."""
    meeting = _meeting(meeting_id)
    stored = meetings.get_document(get_session(), meeting, document_id)
    if stored is None:
        abort(404)
    name = {"pack": _("motesunderlag"), "extract": _("protokollsutdrag")}.get(stored.kind, stored.kind)
    return _pdf(stored.pdf, f"{meeting.body}-{meeting.date.isoformat()}-{name}-{stored.number}.pdf")


def _pdf(data: bytes, filename: str):
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename.encode("ascii", "ignore").decode())
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


# --- decisions at the meeting ---------------------------------------------------------------------


def _decision_page(meeting: Meeting, item: AgendaItem, form: DecisionForm, status: int = 200):
    db = get_session()
    state = process.status(db, item.pilot)
    from .process import _decision_missing

    return render_template(
        "process/decide.html", pilot=item.pilot, form=form, process_status=state, meeting_item=item,
        missing=[gate_message(check) for check in _decision_missing(state)],
    ), status


@bp.route("/meetings/<int:meeting_id>/items/<int:item_id>/decision", methods=["GET", "POST"])
@requires(Permission.DECIDE)
def decide(meeting_id: int, item_id: int):
    """The decision of a Beslut item, with the scale-up decision form, pre-filled from the meeting."""
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    if item.pilot is None or item.kind is not ItemKind.DECISION:
        abort(404)
    db = get_session()
    form = DecisionForm()
    if request.method == "GET":
        for name, value in meetings.decision_prefill(db, meeting, item).items():
            form[name].data = value
        return _decision_page(meeting, item, form)
    if not form.validate_on_submit():  # the password asked again is checked here (ReauthenticationField)
        return _decision_page(meeting, item, form, 422)
    data = form.to_data()
    try:
        decision = process.record_decision(db, item.pilot, meetings.at_item(data, item), _actor())
        db.commit()
    except process.DecisionInputError as error:
        db.rollback()
        if error.field == "paper_version_id":
            form.form_errors.append(_("Beslutsunderlaget i mötesunderlaget är inte det senaste: granska den "
                                      "senaste versionen och försök igen."))
            return _decision_page(meeting, item, form, 409)
        form[error.field].errors = [*form[error.field].errors, str(_DECISION_FIELD_ERRORS[(error.field, error.code)])]
        return _decision_page(meeting, item, form, 422)
    except ProcessError as error:
        db.rollback()
        form.form_errors.append(str(REFUSALS[error.code]))
        return _decision_page(meeting, item, form, 409)
    except (process.DecisionConflict, OperationalError):
        db.rollback()
        form.form_errors.append(_("Någon annan registrerade ett beslut samtidigt. Ladda om sidan."))
        return _decision_page(meeting, item, form, 409)
    flash(_("Beslutet är registrerat (%(case)s).", case=decision.case_number), "success")
    return _back(meeting, f"item-{item.id}")


# --- minutes --------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def save_minutes(meeting_id: int):
    """Attendance and a note per item; refused once the minutes are locked."""
    meeting = _confirmed_by_keeper(meeting_id)
    present = {}
    for participant in meeting.participants:
        value = request.form.get(f"present-{participant.user_id}")
        if value in ("yes", "no"):
            present[participant.user_id] = value == "yes"
    notes = {item.id: request.form[f"note-{item.id}"] for item in meeting.items if f"note-{item.id}" in request.form}
    if any(limits.control_characters(note) or len(note) > limits.TEXT_LENGTH for note in notes.values()):
        return _show(meeting, status=422, typed_notes=notes, errors=[_(
            "En anteckning innehåller osynliga styrtecken eller är längre än %(max)s tecken. Inget är sparat.",
            max=limits.TEXT_LENGTH)])
    db = get_session()
    try:
        meetings.save_minutes(db, meeting, present, notes, _actor())
    except MeetingError as error:
        db.rollback()
        return _show(meeting, status=409, errors=[str(MEETING_REFUSALS[error.code])])
    db.commit()
    flash(_("Anteckningarna är sparade."), "success")
    return _back(meeting, "minutes")


@bp.route("/meetings/<int:meeting_id>/minutes/lock", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def lock_minutes(meeting_id: int):
    """Lock the minutes: a stored PDF version and an extract per decision."""
    meeting = _confirmed_by_keeper(meeting_id)
    db = get_session()
    try:
        version = meetings.lock_minutes(db, meeting, _actor())
        db.commit()
    except MeetingError as error:
        db.rollback()
        return _show(meeting, status=409, errors=[str(MEETING_REFUSALS[error.code])])
    except IntegrityError:
        db.rollback()
        flash(_("Någon annan låste protokollet samtidigt."), "error")
        return _back(meeting, "minutes")
    flash(_("Protokollet är låst (version %(number)s).", number=version.number), "success")
    return _back(meeting, "minutes")


@bp.route("/meetings/<int:meeting_id>/minutes/correct", methods=["POST"])
@requires(Permission.KEEP_MINUTES)
def correct_minutes(meeting_id: int):
    """Open locked minutes for a correction; locking again stores a new version showing what changed."""
    meeting = _confirmed_by_keeper(meeting_id)
    db = get_session()
    try:
        meetings.open_for_correction(db, meeting, _actor())
    except MeetingError as error:
        db.rollback()
        return _show(meeting, status=409, errors=[str(MEETING_REFUSALS[error.code])])
    db.commit()
    flash(_("Protokollet är öppnat för rättelse. Lås det igen när rättelsen är klar."), "success")
    return _back(meeting, "minutes")


@bp.route("/meetings/<int:meeting_id>/minutes/<int:minutes_number>.pdf")
@requires(Permission.READ)
def minutes_pdf(meeting_id: int, minutes_number: int):
    meeting = _meeting(meeting_id)
    version = meetings.get_minutes_version(get_session(), meeting, minutes_number)
    if version is None:
        abort(404)
    return _pdf(version.pdf, f"{meeting.body}-{meeting.date.isoformat()}-{_('protokoll')}-v{version.number}.pdf")
