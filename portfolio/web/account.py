"""The user's own page (Mitt konto): who they are, their roles, their password, their API tokens and
their calendar subscription address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_user
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from portfolio.db import get_session
from portfolio.domain.roles import Permission, Role
from portfolio.models import utcnow
from portfolio.services import calendar_tokens, tokens, users

from .access import authenticated, requires
from .admin_forms import PASSWORD_MESSAGES, ChangePasswordForm
from .forms import CheckedForm, ReauthenticationField, choices
from .labels import ROLE_LABELS
from .security import STARTED_AT, start_session_clock

bp = Blueprint("account", __name__)


class TokenForm(CheckedForm):
    """A name for a new API token, so the user can tell their tokens apart."""

    name = StringField(
        _l("Namn på nyckeln"),
        # Stripped first, so that a name of only spaces counts as no name.
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(_l("Ge nyckeln ett namn.")), Length(max=100, message=_l("Högst 100 tecken."))],
        description=_l("Till exempel programmet eller rapporten som ska använda nyckeln."),
    )
    days = SelectField(
        _l("Giltig i"),
        default=str(tokens.DEFAULT_LIFETIME_DAYS),
        description=_l("Nyckeln slutar fungera efter den här tiden. Skapa en ny när den behövs."),
    )
    current_password = ReauthenticationField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.days.choices = choices(
            (days, ngettext("%(num)s dag", "%(num)s dagar", days)) for days in tokens.LIFETIME_CHOICES
        )

    @property
    def lifetime_days(self) -> int:
        """The chosen lifetime (the choices are the only accepted values)."""
        return int(self.days.data)


class RevokeForm(CheckedForm):
    """The confirmation of a revocation: nothing but the CSRF token."""


def _password_refusal() -> str | None:
    """Why this user cannot change a password here, or None when they can."""
    from . import sso

    if not sso.local_passwords():
        return _("Lösenord används inte här: alla loggar in med %(provider)s. Byt lösenord där.",
                 provider=sso.provider_name())
    if not current_user.has_password:
        return _("Du loggar in med %(provider)s och har inget lösenord här. Byt lösenord där.",
                 provider=sso.provider_name())
    return None


def _render_index(form: TokenForm, status: int = 200):
    roles = [ROLE_LABELS[role] for role in Role if role in current_user.roles]
    return render_template(
        "account/index.html",
        form=form,
        roles=roles,
        password_refusal=_password_refusal(),
        tokens=tokens.tokens_of(get_session(), current_user),
        now=utcnow(),
        calendar=calendar_tokens.live_token(get_session(), current_user),
        may_subscribe=calendar_tokens.may_subscribe(current_user),
        calendar_form=RevokeForm(),
    ), status


def _own_token_or_404(token_id: int):
    token = tokens.token_of(get_session(), current_user, token_id)
    if token is None:
        abort(404)
    return token


@bp.route("/account")
@authenticated
def index():
    """Name, e-mail, roles and the user's API tokens."""
    return _render_index(TokenForm())


@bp.route("/account/tokens", methods=["POST"])
@authenticated
def create_token():
    """Create a token and show it this once: only its hash is kept."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_index(form, 422)
    session = get_session()
    token, raw = tokens.create_token(session, current_user, form.name.data, actor=current_user,
                                     days=form.lifetime_days)
    session.commit()
    # Rendered, not redirected: the raw token must not travel through the (signed, readable)
    # session cookie, and it is never stored; `Cache-Control: no-store` keeps it out of caches.
    return render_template("account/token_created.html", token=token, raw=raw), 201


@bp.route("/account/password", methods=["GET", "POST"])
@authenticated
def change_password():
    """The user's own new password: the current one, the new one twice. Other sessions end.

    Refused (403, with the reason) to a user who signs in only through the identity provider, and
    to everyone when local passwords are switched off."""
    refusal = _password_refusal()
    if refusal is not None:
        return render_template("account/password.html", refusal=refusal), 403
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            users.set_password(db, current_user, form.password.data, actor=current_user)
        except users.PasswordPolicyError as error:
            form.password.errors.append(PASSWORD_MESSAGES[error.args[0]])
        else:
            db.commit()
            # set_password ended every session of the user, this one too: go on in a new one,
            # keeping the sign-in time (the absolute timeout still counts from it) and the language.
            started, locale = session.get(STARTED_AT), session.get("locale")
            session.clear()
            login_user(current_user._get_current_object())
            start_session_clock()
            if isinstance(started, int):
                session[STARTED_AT] = started
            if locale:
                session["locale"] = locale
            flash(_("Ditt lösenord är bytt. Du är utloggad på alla andra enheter och dina API-nycklar är "
                    "återkallade."), "success")
            return redirect(url_for("account.index"))
    return render_template("account/password.html", form=form), 422 if form.errors else 200


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@authenticated
def revoke_token(token_id: int):
    """Confirm (GET), then revoke (POST) one of the user's own tokens."""
    token = _own_token_or_404(token_id)
    form = RevokeForm()
    if token.revoked_at is not None:
        flash(_("Nyckeln är redan återkallad."), "success")
        return redirect(url_for("account.index"))
    if form.validate_on_submit():
        session = get_session()
        tokens.revoke_token(session, token, actor=current_user)
        session.commit()
        flash(_("Nyckeln %(name)s är återkallad och fungerar inte längre.", name=token.name), "success")
        return redirect(url_for("account.index"))
    return render_template("account/revoke.html", token=token, form=form)


@bp.route("/account/calendar", methods=["POST"])
@requires(Permission.READ)
def create_calendar_address():
    """Make the user's calendar subscription address (a new one replaces the old) and show it once."""
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    _token, raw = calendar_tokens.issue(session, current_user, actor=current_user)
    session.commit()
    url = url_for("board.calendar_feed", token=raw, _external=True)
    # Rendered, not redirected, as a new API token is: the secret never passes through the session
    # cookie and is never stored; `Cache-Control: no-store` keeps the page out of caches.
    return render_template("account/calendar_created.html", url=url,
                           webcal="webcal://" + url.split("://", 1)[1]), 201


@bp.route("/account/calendar/revoke", methods=["POST"])
@requires(Permission.READ)
def revoke_calendar_address():
    """Stop the user's calendar subscription address: its feed answers 404 from now on."""
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    if calendar_tokens.revoke(session, current_user, actor=current_user):
        session.commit()
        flash(_("Kalenderadressen är återkallad. Kalendrar som prenumererar på den får inga fler möten."),
              "success")
    else:
        flash(_("Du har ingen kalenderadress att återkalla."), "success")
    return redirect(url_for("account.index", _anchor="calendar-heading"), code=303)
