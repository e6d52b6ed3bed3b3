"""The admin area: users and roles, organisational units, goal frameworks, settings, the audit log.

Every route needs Permission.ADMINISTER. Views parse a form, call one service, commit once.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portfolio.db import get_session
from portfolio.domain.limits import ROW_ID
from portfolio.domain.roles import Permission, Role
from portfolio.models import Goal, GoalFramework, Unit, User
from portfolio.models import utcnow
from portfolio.services import audit_log, login_protection, org
from portfolio.services import settings as settings_service
from portfolio.services import users as users_service
from portfolio.services import sso as sso_service

from .access import requires
from .admin_audit import ENTITY_LABELS, Names, ids_named, present
from .concurrency import CONFLICT, form_status, save
from .admin_forms import (
    DUPLICATE_EMAIL,
    DUPLICATE_NAME,
    LOCKOUT_MESSAGES,
    PASSWORD_MESSAGES,
    AuditFilterForm,
    FrameworkEditForm,
    FrameworkForm,
    GoalEditForm,
    GoalForm,
    LiftLockForm,
    NewUserForm,
    PasswordForm,
    SettingsForm,
    UnitEditForm,
    UnitForm,
    UserForm,
)
from .forms import choices

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 50


def _page_number() -> int:
    return request.args.get("page", 1, type=int)


def _render(template: str, form, **context):
    """A form page: 200 on first show, 422 when re-shown with errors, 409 after a stale save."""
    return render_template(template, form=form, **context), form_status(form)


@bp.route("/")
@requires(Permission.ADMINISTER)
def index():
    """The admin area opens on the user list."""
    return redirect(url_for("admin.users"))


# Users ---------------------------------------------------------------------------------------


def _get_user(user_id: int) -> User:
    return get_session().get(User, user_id) or abort(404)


@bp.route("/users")
@requires(Permission.ADMINISTER)
def users():
    """Users with their roles, by name, a page at a time (the header's link to the admin area)."""
    db = get_session()
    page = users_service.list_users(db, page=_page_number(), per_page=current_app.config["PAGE_SIZE"])
    names = sso_service.group_names(db)
    return render_template("admin/users.html", page=page,
                           role_sources={user.id: _role_sources(user, names) for user in page.items})


def _role_sources(user: User, group_names: dict[str, str]) -> list[tuple[Role, list[str] | None]]:
    """The user's roles in the usual order, each with None (the admin gave it) or the names of the
    provider groups giving it (empty when not known yet)."""
    rows = {row.role: row for row in user.role_rows}
    return [(role, [group_names.get(g, g) for g in rows[role].groups or []] if rows[role].from_group else None)
            for role in Role if role in rows]


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def user_new():
    """Create an account with roles and a first password."""
    form = NewUserForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = users_service.create_user(db, email=form.email.data, name=form.name.data, roles=form.role_values,
                                     password=form.password.data, actor=current_user)
        except users_service.DuplicateEmailError:
            form.email.errors.append(DUPLICATE_EMAIL)
        except users_service.PasswordPolicyError as error:
            form.password.errors.append(PASSWORD_MESSAGES[error.args[0]])
        else:
            db.commit()
            flash(_("Användaren %(name)s är skapad.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return _render("admin/user_form.html", form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def user_edit(user_id: int):
    """Change a user's name, e-mail, roles and whether the account is active."""
    user = _get_user(user_id)
    from_groups = [row for row in user.role_rows if row.from_group]

    def stored(**kwargs):
        admin_roles = [row.role.value for row in user.role_rows if not row.from_group]
        return UserForm(data={"name": user.name, "email": user.email, "active": user.active,
                              "roles": admin_roles, "version": user.version}, group_roles=bool(from_groups), **kwargs)

    form = stored()
    if form.validate_on_submit():
        db = get_session()
        try:
            result = save(db, form, lambda: users_service.update_user(
                db, user, email=form.email.data, name=form.name.data, roles=form.role_values,
                active=form.active.data, actor=current_user, version=form.expected_version()),
                current=lambda: stored(formdata=None))
        except users_service.DuplicateEmailError:
            db.rollback()
            form.email.errors.append(DUPLICATE_EMAIL)
        except users_service.SelfLockoutError as error:
            db.rollback()
            field = form.active if error.args[0] == "deactivate_self" else form.roles
            field.errors.append(LOCKOUT_MESSAGES[error.args[0]])
        else:
            if result is CONFLICT:
                return _render("admin/user_form.html", form, user=user, is_self=user.id == current_user.id,
                               group_roles=_group_roles(user))
            flash(_("Ändringarna för %(name)s är sparade.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return _render("admin/user_form.html", form, user=user, is_self=user.id == current_user.id,
                   group_roles=_group_roles(user))


def _group_roles(user: User) -> list[tuple[Role, list[str]]]:
    """The roles the user holds through the provider's groups, with the groups' names."""
    return [(role, groups) for role, groups in _role_sources(user, sso_service.group_names(get_session()))
            if groups is not None]


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def user_password(user_id: int):
    """Give a user a new password."""
    user = _get_user(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            users_service.set_password(db, user, form.password.data, actor=current_user)
        except users_service.PasswordPolicyError as error:
            form.password.errors.append(PASSWORD_MESSAGES[error.args[0]])
        else:
            db.commit()
            flash(_("Nytt lösenord är sparat för %(name)s.", name=user.name), "success")
            return redirect(url_for("admin.users"))
    return _render("admin/user_password.html", form, user=user)


# Login locks ---------------------------------------------------------------------------------


@bp.route("/login-locks")
@requires(Permission.ADMINISTER)
def login_locks():
    """Accounts and addresses that are locked or must wait after failed sign-ins, each with a lift button."""
    throttles = login_protection.current_throttles(get_session())
    return render_template("admin/login_locks.html", throttles=throttles, now=utcnow(), form=LiftLockForm())


@bp.route("/login-locks/<int:throttle_id>/lift", methods=["POST"])
@requires(Permission.ADMINISTER)
def login_lock_lift(throttle_id: int):
    """Lift a lock (or a delay) at once; written to the audit log."""
    db = get_session()
    throttle = login_protection.get_throttle(db, throttle_id)
    if throttle is None:
        flash(_("Spärren är redan hävd eller har gått ut."), "success")
        return redirect(url_for("admin.login_locks"))
    if LiftLockForm().validate_on_submit():
        key = throttle.key
        login_protection.lift(db, throttle, actor=current_user)
        db.commit()
        flash(_("Spärren för %(key)s är hävd.", key=key), "success")
    return redirect(url_for("admin.login_locks"))


# Units ---------------------------------------------------------------------------------------


@bp.route("/units")
@requires(Permission.ADMINISTER)
def units():
    """Every organisational unit with its level, status and how many pilots use it."""
    db = get_session()
    return render_template("admin/units.html", units=org.list_units(db), usage=org.unit_usage(db))


@bp.route("/units/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def unit_new():
    """Add a unit."""
    form = UnitForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            unit = org.create_unit(db, name=form.name.data, level=form.level_value, actor=current_user)
        except org.DuplicateNameError:
            form.name.errors.append(DUPLICATE_NAME)
        else:
            db.commit()
            flash(_("Enheten %(name)s är skapad.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return _render("admin/unit_form.html", form, unit=None)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def unit_edit(unit_id: int):
    """Rename a unit, change its level or deactivate it (units are never deleted)."""
    db = get_session()
    unit = db.get(Unit, unit_id) or abort(404)
    def stored(**kwargs):
        return UnitEditForm(data={"name": unit.name, "level": unit.level.value, "active": unit.active,
                                  "version": unit.version}, **kwargs)

    form = stored()
    if form.validate_on_submit():
        try:
            result = save(db, form, lambda: org.update_unit(
                db, unit, name=form.name.data, level=form.level_value, active=form.active.data, actor=current_user,
                version=form.expected_version()), current=lambda: stored(formdata=None))
        except org.DuplicateNameError:
            db.rollback()
            form.name.errors.append(DUPLICATE_NAME)
        else:
            if result is CONFLICT:
                return _render("admin/unit_form.html", form, unit=unit)
            flash(_("Enheten %(name)s är sparad.", name=unit.name), "success")
            return redirect(url_for("admin.units"))
    return _render("admin/unit_form.html", form, unit=unit)


# Goal frameworks and goals -------------------------------------------------------------------


def _get_framework(framework_id: int) -> GoalFramework:
    return get_session().get(GoalFramework, framework_id) or abort(404)


@bp.route("/goals")
@requires(Permission.ADMINISTER)
def goals():
    """The goal frameworks with their goals."""
    return render_template("admin/goals.html", frameworks=org.list_frameworks(get_session()))


@bp.route("/goals/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def framework_new():
    """Add a goal framework (e.g. the operational plan)."""
    form = FrameworkForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            framework = org.create_framework(db, name=form.name.data, actor=current_user)
        except org.DuplicateNameError:
            form.name.errors.append(DUPLICATE_NAME)
        else:
            db.commit()
            flash(_("Målramen %(name)s är skapad. Lägg nu till dess mål.", name=framework.name), "success")
            return redirect(url_for("admin.goals", _anchor=f"framework-{framework.id}"))
    return _render("admin/framework_form.html", form, framework=None)


@bp.route("/goals/<int:framework_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def framework_edit(framework_id: int):
    """Rename, reorder or deactivate a goal framework."""
    framework = _get_framework(framework_id)
    def stored(**kwargs):
        return FrameworkEditForm(data={"name": framework.name, "position": framework.position,
                                       "active": framework.active, "version": framework.version}, **kwargs)

    form = stored()
    if form.validate_on_submit():
        db = get_session()
        try:
            result = save(db, form, lambda: org.update_framework(
                db, framework, name=form.name.data, position=form.position.data, active=form.active.data,
                actor=current_user, version=form.expected_version()), current=lambda: stored(formdata=None))
        except org.DuplicateNameError:
            db.rollback()
            form.name.errors.append(DUPLICATE_NAME)
        else:
            if result is CONFLICT:
                return _render("admin/framework_form.html", form, framework=framework)
            flash(_("Målramen %(name)s är sparad.", name=framework.name), "success")
            return redirect(url_for("admin.goals", _anchor=f"framework-{framework.id}"))
    return _render("admin/framework_form.html", form, framework=framework)


@bp.route("/goals/<int:framework_id>/goals/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def goal_new(framework_id: int):
    """Add a goal to a framework."""
    framework = _get_framework(framework_id)
    form = GoalForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            goal = org.create_goal(db, framework, name=form.name.data, actor=current_user)
        except org.DuplicateNameError:
            form.name.errors.append(_("Målramen har redan ett mål med det namnet."))
        else:
            db.commit()
            flash(_("Målet %(name)s är tillagt.", name=goal.name), "success")
            return redirect(url_for("admin.goals", _anchor=f"framework-{framework.id}"))
    return _render("admin/goal_form.html", form, framework=framework, goal=None)


@bp.route("/goals/<int:framework_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def goal_edit(framework_id: int, goal_id: int):
    """Rename, reorder or deactivate a goal."""
    framework = _get_framework(framework_id)
    goal = get_session().get(Goal, goal_id)
    if goal is None or goal.framework_id != framework.id:
        abort(404)
    def stored(**kwargs):
        return GoalEditForm(data={"name": goal.name, "position": goal.position, "active": goal.active,
                                  "version": goal.version}, **kwargs)

    form = stored()
    if form.validate_on_submit():
        db = get_session()
        try:
            result = save(db, form, lambda: org.update_goal(
                db, goal, name=form.name.data, position=form.position.data, active=form.active.data,
                actor=current_user, version=form.expected_version()), current=lambda: stored(formdata=None))
        except org.DuplicateNameError:
            db.rollback()
            form.name.errors.append(_("Målramen har redan ett mål med det namnet."))
        else:
            if result is CONFLICT:
                return _render("admin/goal_form.html", form, framework=framework, goal=goal)
            flash(_("Målet %(name)s är sparat.", name=goal.name), "success")
            return redirect(url_for("admin.goals", _anchor=f"framework-{framework.id}"))
    return _render("admin/goal_form.html", form, framework=framework, goal=goal)


# Settings ------------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def settings():
    """The organisation's name and the economics defaults every pilot starts from."""
    db = get_session()
    current = settings_service.get_settings(db)
    form = SettingsForm(data=SettingsForm.initial(current))
    if form.validate_on_submit():
        if save(db, form, lambda: settings_service.update_settings(
                db, current, **form.values(), actor=current_user, version=form.expected_version()),
                current=lambda: SettingsForm(formdata=None, data=SettingsForm.initial(current))) is not CONFLICT:
            flash(_("Inställningarna är sparade."), "success")
            return redirect(url_for("admin.settings"))
    return _render("admin/settings.html", form)


# Audit log -----------------------------------------------------------------------------------

@bp.route("/audit")
@requires(Permission.ADMINISTER)
def audit():
    """The audit log, newest first, filtered by kind of object and by pilot."""
    db = get_session()
    form = AuditFilterForm(formdata=request.args)
    entities = audit_log.logged_entities(db)
    form.entity.choices = choices([("", _("Alla"))] + [(name, ENTITY_LABELS.get(name, name)) for name in entities])
    form.validate()
    entity = form.entity.data or None
    pilot_id = None
    pilot_text = (form.pilot_id.data or "").strip()
    if pilot_text and not form.pilot_id.errors:
        if pilot_text.isascii() and pilot_text.isdigit():
            # An id no row can have (20 digits) names no pilot: a message, not a database error.
            pilot_id = int(pilot_text) if ROW_ID.problem(int(pilot_text)) is None else None
        else:
            pilot_id = audit_log.pilot_id_for_code(db, pilot_text)
        if pilot_id is None:
            form.pilot_id.errors.append(_("Det finns ingen pilot med koden %(code)s.", code=pilot_text))
    if form.pilot_id.errors:
        pilot_id = None
    page = audit_log.list_entries(db, entity=entity, pilot_id=pilot_id, page=_page_number(), per_page=AUDIT_PAGE_SIZE)
    codes = audit_log.pilot_codes(db, (entry.pilot_id for entry in page.items))
    names = Names(*audit_log.names_of(db, *ids_named(page.items)))
    rows = [present(entry, codes.get(entry.pilot_id), names) for entry in page.items]
    args = {key: value for key, value in (("entity", entity), ("pilot_id", pilot_text if pilot_id else None)) if value}
    status = 422 if form.errors else 200
    return render_template("admin/audit.html", form=form, page=page, rows=rows, args=args), status
