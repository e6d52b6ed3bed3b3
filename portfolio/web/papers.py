"""The decision paper on the web: the list of versions, generating a new one, downloading each.

Generating renders the paper from the pilot's data as it stands (services.papers.generate) and
stores it as a new version; a download serves the stored bytes unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portfolio.db import get_session
from portfolio.domain.roles import Permission, can_generate_paper
from portfolio.models import Pilot
from portfolio.services import economics, papers

from .access import requires
from .security import rate_limited

bp = Blueprint("papers", __name__)


@dataclass(frozen=True)
class VersionRow:
    """One stored version as the list shows it."""

    number: int
    created_at: dt.datetime
    created_by: str
    is_draft: bool
    is_decision_copy: bool
    sha256: str
    size: int
    download_url: str


@dataclass(frozen=True)
class PapersPanel:
    """What the pilot page says about the pilot's decision paper."""

    code: str
    versions: list[VersionRow]
    out_of_date: bool  # the newest version was made from other data than the pilot has now
    may_generate: bool


def user_can_generate_paper(pilot: Pilot) -> bool:
    """For templates and views: whether the current user may generate this pilot's paper."""
    return current_user.is_authenticated and can_generate_paper(
        current_user.roles, current_user.id, pilot.innovation_leader_id
    )


def papers_panel(pilot: Pilot) -> PapersPanel:
    """The versions of `pilot`'s paper, whether the newest is out of date, whether the user may generate one."""
    session = get_session()
    stored = papers.versions(session, pilot)
    rows = [
        VersionRow(
            number=v.number,
            created_at=v.created_at,
            created_by=v.created_by.name if v.created_by else "–",
            is_draft=v.is_draft,
            is_decision_copy=v.is_decision_copy,
            sha256=v.sha256,
            size=v.size,
            download_url=url_for("papers.download", code=pilot.code, version=v.number),
        )
        for v in stored
    ]
    out_of_date = bool(stored) and papers.is_out_of_date(session, pilot, stored[0])
    return PapersPanel(code=pilot.code, versions=rows, out_of_date=out_of_date,
                       may_generate=user_can_generate_paper(pilot))


@bp.app_template_global()
def paper_versions_panel(pilot: Pilot) -> PapersPanel:
    """For the pilot page's partial (templates/pilots/_papers.html)."""
    return papers_panel(pilot)


def _pilot_or_404(code: str) -> Pilot:
    pilot = economics.pilot_by_code(get_session(), code)
    if pilot is None:
        abort(404)
    return pilot


@bp.route("/pilots/<code>/papers")
@requires(Permission.READ)
def index(code: str):
    """Every version of the pilot's decision paper, with a button to generate a new one."""
    pilot = _pilot_or_404(code)
    return render_template("papers/index.html", pilot=pilot, panel=papers_panel(pilot))


@bp.route("/pilots/<code>/papers", methods=["POST"])
@requires(Permission.GENERATE_PAPER)
@rate_limited("paper")
def generate(code: str):
    """Generate the paper from the data as it stands and store it as a new version."""
    pilot = _pilot_or_404(code)
    if not user_can_generate_paper(pilot):
        abort(403)
    session = get_session()
    try:
        version = papers.generate(session, pilot, current_user._get_current_object())
        session.commit()
    except IntegrityError:  # someone else generated the same version number a moment ago
        session.rollback()
        flash(_("Någon annan skapade en version samtidigt. Försök igen."), "error")
    else:
        flash(_("Beslutsunderlaget version %(number)s är skapat.", number=version.number), "success")
    target = url_for("papers.index", code=pilot.code) if request.form.get("back") == "papers" else (
        url_for("pilots.show", code=pilot.code) + "#papers"
    )
    return redirect(target, code=303)


@bp.route("/pilots/<code>/papers/<int:version>.pdf")
@requires(Permission.READ)
def download(code: str, version: int):
    """The stored PDF of one version, byte for byte as it was generated."""
    pilot = _pilot_or_404(code)
    stored = papers.get_version(get_session(), pilot, version)
    if stored is None:
        abort(404)
    response = make_response(stored.pdf)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{stored.filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
