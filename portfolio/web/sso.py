"""Single sign-on with OpenID Connect (Authlib): start at the provider, come back, sign in.

The ID token is checked by Authlib against the provider's published keys: signature, issuer,
audience (our client id), expiry and the nonce; the state ties the answer to this browser's
session and is used once. A refused answer is a security event in the audit log, as a failed
local sign-in is.
"""

from __future__ import annotations

import dataclasses
import time
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from joserfc.errors import JoseError

from portfolio.config import sso_configured
from portfolio.db import get_session
from portfolio.domain.sso import ClaimsError, ProviderIdentity, groups_from_directory, identity_from_claims
from portfolio.services import sso, users

from .access import public
from .security import client_address, log_event, start_session_clock

bp = Blueprint("sso", __name__)

CLIENT = "idp"
NEXT_KEY = "_sso_next"
SIGNED_IN_AT = "_sso_signed_in_at"  # when the user last signed in at the provider (re-authentication)


def init_app(app: Flask) -> None:
    """Register the provider's client when single sign-on is configured."""
    if not sso_configured(app):
        return
    oauth = OAuth(app)
    oauth.register(
        CLIENT,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
        client_kwargs={"scope": app.config["OIDC_SCOPES"], "code_challenge_method": "S256", "timeout": 10},
    )
    app.extensions["portfolio_sso"] = oauth


def enabled() -> bool:
    """Whether this app signs in through an identity provider."""
    return "portfolio_sso" in current_app.extensions


def local_passwords() -> bool:
    """Whether users may sign in with a password."""
    return bool(current_app.config["OIDC_LOCAL_PASSWORDS"]) or not enabled()


def provider_name() -> str:
    return str(current_app.config["OIDC_PROVIDER_NAME"])


def _client():
    return current_app.extensions["portfolio_sso"].create_client(CLIENT)


def recently_signed_in() -> bool:
    """Whether the user signed in at the provider recently enough to confirm a sensitive action."""
    at = session.get(SIGNED_IN_AT)
    window = float(current_app.config["OIDC_REAUTHENTICATION_MINUTES"]) * 60
    return isinstance(at, int) and time.time() - at < window


@bp.route("/login/sso")
@public
def start():
    """Send the browser to the provider; `?reauth=1` asks the provider to sign the user in anew."""
    if not enabled():
        abort(404)
    from .auth import _safe_next

    session[NEXT_KEY] = _safe_next(request.args.get("next"))
    extra = {"prompt": "login", "max_age": 0} if request.args.get("reauth") == "1" else {}
    try:
        return _client().authorize_redirect(url_for("sso.callback", _external=True), **extra)
    except (AuthlibBaseError, requests.RequestException):
        current_app.logger.exception("the identity provider could not be reached")
        return _refused(_("Inloggningstjänsten svarar inte just nu. Försök igen om en stund."), "provider_unreachable", 503)


def _refused(message: str, reason: str, status: int = 401):
    log_event("sso_login_failed", "sign_in", details={"reason": reason, "via": "sso"})
    from .auth import LoginForm

    return render_template("auth/login.html", form=LoginForm(), sso_error=message), status


@bp.route("/login/sso/callback")
@public
def callback():
    """The provider's answer: check it, find or create the user, start a new session."""
    if not enabled():
        abort(404)
    if request.args.get("error"):
        return _refused(_("Inloggningen avbröts hos %(provider)s.", provider=provider_name()), "provider_error")
    try:
        token = _client().authorize_access_token()
        claims = token.get("userinfo")
        if not claims:
            raise ClaimsError("no_id_token")
        identity = identity_from_claims(claims, groups_claim=current_app.config["OIDC_GROUPS_CLAIM"])
    except ClaimsError as error:
        return _refused(_("Kontot hos %(provider)s saknar e-postadress.", provider=provider_name()), str(error))
    except (AuthlibBaseError, JoseError) as error:
        reason = type(error).__name__ + (f": {error.error}" if getattr(error, "error", None) else "")
        return _refused(_("Inloggningen kunde inte bekräftas. Försök igen."), reason[:200])
    except requests.RequestException:
        current_app.logger.exception("the identity provider could not be reached")
        return _refused(_("Inloggningstjänsten svarar inte just nu. Försök igen om en stund."), "provider_unreachable", 503)
    groups_lookup = None
    if identity.groups_overage:
        identity, groups_lookup = _groups_of_overage(identity, token)
    db = get_session()
    result = sso.sign_in(db, identity, address=client_address(), groups_lookup=groups_lookup)
    if result.user is None:
        db.commit()
        return render_template("auth/login.html", form=_login_form(),
                               sso_error=_("Kontot kan inte användas här. Kontakta administratören.")), 403
    user = result.user
    target = session.get(NEXT_KEY) or url_for("pilots.index")
    locale = session.get("locale")
    session.clear()  # a new session on sign-in: no fixation
    if locale and not user.locale:
        users.set_locale(db, user, locale)
    db.commit()
    login_user(user)
    start_session_clock()
    session[SIGNED_IN_AT] = int(time.time())
    if groups_lookup == "failed":
        flash(_("Dina grupper hos %(provider)s kunde inte läsas. Du har därför bara de roller som administratören "
                "har gett dig. Logga ut och in igen om en stund.", provider=provider_name()), "important")
    return redirect(target)


def _groups_of_overage(identity: ProviderIdentity, token: dict) -> tuple[ProviderIdentity, str]:
    """The groups the token left out (Entra's overage), read from Microsoft Graph with the access token.

    The endpoint named in the token's `_claim_sources` is never called (it is the retired Azure AD
    Graph, and a URL from a token is not to be fetched). A failed lookup gives no groups, so no role
    from the mapping: the user keeps only the roles the admin gave, and is told so.
    """
    base = str(current_app.config["OIDC_GRAPH_URL"]).rstrip("/")
    try:
        access_token = token.get("access_token")
        if not access_token:
            raise ValueError("no access token in the provider's answer")
        response = requests.post(f"{base}/me/getMemberObjects", json={"securityEnabledOnly": False}, timeout=10,
                                 headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                                 allow_redirects=False)
        if response.status_code != 200:
            raise ValueError(f"HTTP {response.status_code}")
        groups = groups_from_directory(response.json().get("value"))
    except (requests.RequestException, ValueError, AttributeError) as error:
        current_app.logger.warning(
            "groups overage: the groups of %s could not be read from Microsoft Graph (%s); no roles from groups "
            "at this sign-in", identity.email, str(error)[:300])
        return dataclasses.replace(identity, groups=frozenset()), "failed"
    current_app.logger.info("groups overage: %d groups of %s read from Microsoft Graph", len(groups), identity.email)
    return dataclasses.replace(identity, groups=groups), "graph"


def _login_form():
    from .auth import LoginForm

    return LoginForm()


def end_session_url() -> str | None:
    """Where to send the browser at sign-out to end the provider's session too (if it has such an endpoint)."""
    if not enabled():
        return None
    try:
        endpoint = _client().load_server_metadata().get("end_session_endpoint")
    except (AuthlibBaseError, requests.RequestException, ValueError):
        return None
    if not endpoint:
        return None
    query = urlencode({"client_id": current_app.config["OIDC_CLIENT_ID"],
                       "post_logout_redirect_uri": url_for("auth.login", _external=True)})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


__all__ = ["bp", "enabled", "end_session_url", "init_app", "local_passwords", "provider_name",
           "recently_signed_in"]
