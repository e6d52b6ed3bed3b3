"""The user's own page (Mitt konto): who they are, their roles and their personal API tokens."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portfolio.db import get_session
from portfolio.domain.roles import Role
from portfolio.services import tokens

from .access import authenticated
from .forms import CheckedForm
from .labels import ROLE_LABELS

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


class RevokeForm(CheckedForm):
    """The confirmation of a revocation: nothing but the CSRF token."""


def _render_index(form: TokenForm, status: int = 200):
    roles = [ROLE_LABELS[role] for role in Role if role in current_user.roles]
    return render_template(
        "account/index.html",
        form=form,
        roles=roles,
        tokens=tokens.tokens_of(get_session(), current_user),
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
    token, raw = tokens.create_token(session, current_user, form.name.data, actor=current_user)
    session.commit()
    # Rendered, not redirected: the raw token must not travel through the (signed, readable)
    # session cookie, and it is never stored; `Cache-Control: no-store` keeps it out of caches.
    return render_template("account/token_created.html", token=token, raw=raw), 201


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
