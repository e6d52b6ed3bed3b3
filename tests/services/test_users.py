"""User accounts as the admin keeps them: roles, the lock-out guard, passwords and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portfolio.domain.roles import Role
from portfolio.models import AuditEntry
from portfolio.services import users
from tests import factories


def _entries(db, action=None):
    statement = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(db.scalars(statement))


def test_create_user_stores_roles_normalises_email_and_logs_without_the_hash(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    user = users.create_user(db, email="  Karin.Berg@Example.SE ", name=" Karin Berg ",
                             roles=[Role.FINANCE, Role.VIEWER], password="en lång och ovanlig fras", actor=admin)

    assert user.email == "karin.berg@example.se" and user.name == "Karin Berg"
    assert user.roles == {Role.FINANCE, Role.VIEWER}
    [entry] = _entries(db, "create")
    assert entry.actor_id == admin.id and entry.entity == "user" and entry.entity_id == user.id
    assert entry.after == {"email": "karin.berg@example.se", "name": "Karin Berg", "active": True,
                           "roles": ["finance", "viewer"]}
    assert "password" not in repr(entry.after) and user.password_hash not in repr(entry.after)


def test_create_user_refuses_an_email_that_differs_only_in_case(db):
    factories.make_user(db, email="anna@example.se")
    with pytest.raises(users.DuplicateEmailError):
        users.create_user(db, email="ANNA@example.se", name="Anna", roles=[Role.VIEWER],
                          password="en lång och ovanlig fras", actor=None)


@pytest.mark.parametrize(("password", "reason"), [("kort", "too_short"), ("password1234", "common"),
                                                  ("x" * 257, "too_long")])
def test_the_password_policy_gives_its_reason(db, password, reason):
    with pytest.raises(users.PasswordPolicyError) as raised:
        users.create_user(db, email="ny@example.se", name="Ny", roles=[Role.VIEWER], password=password, actor=None)
    assert raised.value.args[0] == reason


def test_update_user_logs_only_what_changed(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    user = factories.make_user(db, roles=[Role.VIEWER], name="Per", email="per@example.se")

    users.update_user(db, user, email="per@example.se", name="Per Holm", roles=[Role.VIEWER, Role.MANAGEMENT],
                      active=True, actor=admin)

    [entry] = _entries(db, "update")
    assert entry.before == {"name": "Per", "roles": ["viewer"]}
    assert entry.after == {"name": "Per Holm", "roles": ["management", "viewer"]}


def test_saving_an_unchanged_user_writes_no_entry(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    user = factories.make_user(db, roles=[Role.VIEWER], name="Per", email="per@example.se")
    users.update_user(db, user, email="per@example.se", name="Per", roles=[Role.VIEWER], active=True, actor=admin)
    assert _entries(db, "update") == []


def test_an_admin_cannot_deactivate_themselves(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    with pytest.raises(users.SelfLockoutError) as raised:
        users.update_user(db, admin, email=admin.email, name=admin.name, roles=[Role.ADMIN], active=False, actor=admin)
    assert raised.value.args[0] == "deactivate_self"
    assert admin.active and _entries(db) == []


def test_an_admin_cannot_remove_their_own_admin_role(db):
    admin = factories.make_user(db, roles=[Role.ADMIN, Role.FINANCE])
    with pytest.raises(users.SelfLockoutError) as raised:
        users.update_user(db, admin, email=admin.email, name=admin.name, roles=[Role.FINANCE], active=True,
                          actor=admin)
    assert raised.value.args[0] == "remove_own_admin"
    assert admin.roles == {Role.ADMIN, Role.FINANCE}


def test_an_admin_may_change_their_other_roles_and_another_admins_roles(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    other_admin = factories.make_user(db, roles=[Role.ADMIN])

    users.update_user(db, admin, email=admin.email, name=admin.name, roles=[Role.ADMIN, Role.VIEWER], active=True,
                      actor=admin)
    users.update_user(db, other_admin, email=other_admin.email, name=other_admin.name, roles=[Role.VIEWER],
                      active=False, actor=admin)

    assert admin.roles == {Role.ADMIN, Role.VIEWER}
    assert other_admin.roles == {Role.VIEWER} and not other_admin.active


def test_set_password_lets_the_user_in_with_the_new_one_and_logs_no_secret(db):
    admin = factories.make_user(db, roles=[Role.ADMIN])
    user = factories.make_user(db, email="lina@example.se")

    users.set_password(db, user, "ett helt nytt lösenord", actor=admin)

    assert users.authenticate(db, "lina@example.se", "ett helt nytt lösenord") is user
    assert users.authenticate(db, "lina@example.se", factories.PASSWORD) is None
    [entry] = _entries(db, "set_password")
    assert entry.before is None and entry.after is None


def test_list_users_pages_by_name(db):
    for name in ("Cecilia", "Anna", "Bertil"):
        factories.make_user(db, name=name)
    page = users.list_users(db, page=1, per_page=2)
    assert [user.name for user in page.items] == ["Anna", "Bertil"]
    assert (page.number, page.pages, page.total) == (1, 2, 3)
    assert [user.name for user in users.list_users(db, page=9, per_page=2).items] == ["Cecilia"]  # clamped
