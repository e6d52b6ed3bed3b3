"""Saving an edit form once: a stale form is refused, shown again with what changed.

    form = CostForm() if request.method == "POST" else CostForm.for_cost(cost)
    if form.validate_on_submit():
        result = save(db, form, lambda: service.update(..., version=form.expected_version()),
                      current=lambda: CostForm.for_cost(cost))
        if result is not CONFLICT:
            ...flash, redirect
    return render_template(..., form=form), form_status(form)

`save` runs the change and commits. When the form was stale (services.concurrency.StaleEdit,
or SQLAlchemy's StaleDataError when two saves raced), it rolls back, puts the message and the
stored values beside the user's on the form (VersionedForm.show_conflict) and returns CONFLICT;
the view shows the form again with the user's input kept (409).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import ObjectDeletedError

from portfolio.services.concurrency import STALE_ERRORS

from .forms import VersionedForm

#: What `save` returns when the form was stale and nothing was saved.
CONFLICT = object()


def save(db: Session, form: VersionedForm, change: Callable[[], Any], current: Callable[[], Any]) -> Any:
    """Run `change()` and commit; return its result, or CONFLICT when the form was stale."""
    try:
        result = change()
        db.commit()
    except STALE_ERRORS:
        db.rollback()
        try:
            form.show_conflict(current())
        except ObjectDeletedError:
            abort(404)  # deleted by someone else meanwhile
        return CONFLICT
    return result


def form_status(form) -> int:
    """The status of a form shown again: 409 after a stale save, 422 with errors, else 200."""
    if getattr(form, "conflict", None) is not None:
        return 409
    return 422 if form.errors else 200
