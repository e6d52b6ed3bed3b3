"""Administration → Inloggning med grupper: which provider group gives which role (single sign-on).

A mapped user's roles follow the groups at every sign-in: removed from a mapped group at the
provider, the user loses its role at the next sign-in. Registered on the admin blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portfolio.db import get_session
from portfolio.domain.roles import Permission, Role
from portfolio.models import SsoGroupRole
from portfolio.services import sso

from .access import requires
from .admin import bp
from .forms import CheckedForm, ReauthenticationField, choices
from .labels import ROLE_LABELS


class GroupRoleForm(CheckedForm):
    """A new group-to-role mapping."""

    group_id = StringField(
        _l("Grupp hos identitetsleverantören"),
        validators=[InputRequired(_l("Ange gruppens id.")), Length(max=255)],
        description=_l("Gruppens id som det står i inloggningens gruppanspråk; i Microsoft Entra ID gruppens objekt-id."),
    )
    role = SelectField(_l("Roll"), validators=[InputRequired(_l("Välj en roll."))])
    description = StringField(_l("Beskrivning (valfri)"), validators=[Optional(), Length(max=200)])
    current_password = ReauthenticationField(_l("Ditt eget lösenord"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = choices([(role.value, ROLE_LABELS[role]) for role in Role])


class RemoveGroupRoleForm(CheckedForm):
    """Removing a mapping: nothing but the CSRF token."""


def _page(form, status: int = 200):
    db = get_session()
    return render_template("admin/sso_groups.html", form=form, mappings=sso.list_mappings(db),
                           remove_form=RemoveGroupRoleForm(), role_labels=ROLE_LABELS), status


@bp.route("/sso-groups", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def sso_groups():
    """The mapping, and a form adding one group → role pair."""
    form = GroupRoleForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.errors else 200)
    db = get_session()
    try:
        sso.add_mapping(db, form.group_id.data, Role(form.role.data), form.description.data or "", current_user)
    except sso.DuplicateMappingError:
        form.group_id.errors.append(_("Gruppen ger redan den rollen."))
        return _page(form, 422)
    db.commit()
    flash(_("Medlemmar i gruppen får rollen från nästa inloggning."), "success")
    return redirect(url_for("admin.sso_groups"))


@bp.route("/sso-groups/<int:mapping_id>/remove", methods=["POST"])
@requires(Permission.ADMINISTER)
def sso_group_remove(mapping_id: int):
    """Remove one mapping; members lose the role at their next sign-in."""
    db = get_session()
    row = db.get(SsoGroupRole, mapping_id)
    if row is not None and RemoveGroupRoleForm().validate_on_submit():
        sso.remove_mapping(db, row, current_user)
        db.commit()
        flash(_("Kopplingen är borttagen. Medlemmarna förlorar rollen vid nästa inloggning."), "success")
    return redirect(url_for("admin.sso_groups"))
