"""What the pilot page shows of the scale-up process (templates/pilots/_process.html)."""

from __future__ import annotations

from flask import current_app, url_for

from portfolio.db import get_session
from portfolio.models import Pilot
from portfolio.services import process

from .access import user_can_edit_pilot
from .process_forms import GATE_ITEMS, CompleteStepForm, ReopenStepForm, gate_message


def fix_url(fix: str, pilot: Pilot) -> str | None:
    """The link to where a missing item is fixed (None when that page is not part of this app)."""
    if fix not in current_app.view_functions:
        return None
    return url_for(fix, code=pilot.code) + ("#process" if fix == "pilots.show" else "")


def context(pilot: Pilot, *, complete_form: CompleteStepForm | None = None,
            reopen_form: ReopenStepForm | None = None) -> dict:
    """The process status and the forms of the pilot page."""
    status = process.status(get_session(), pilot)
    editable = user_can_edit_pilot(pilot)
    return {
        "process_status": status,
        # A step completed before (and reopened, or taken again after more testing) offers its texts again.
        "complete_form": complete_form or (CompleteStepForm(formdata=None, data={
            "review_comment": pilot.review_comment, "results_summary": pilot.results_summary,
            "lessons_learned": pilot.lessons_learned,
        }) if editable else None),
        "reopen_form": reopen_form or (ReopenStepForm(formdata=None) if editable else None),
        "gate_message": gate_message,
        "gate_item": lambda check: str(GATE_ITEMS[check.code]),
        "fix_url": lambda check: fix_url(check.fix, pilot),
    }
