"""Reading who signed in from ID token claims: Microsoft Entra ID's and a plain provider's."""

from __future__ import annotations

import pytest

from portfolio.domain.roles import Role
from portfolio.domain.sso import (
    ClaimsError,
    groups_from_directory,
    groups_of_roles,
    identity_from_claims,
    roles_from_groups,
)


def test_entra_claims_use_the_object_id_and_the_user_principal_name():
    identity = identity_from_claims({
        "iss": "https://login.microsoftonline.com/t/v2.0", "sub": "pairwise", "oid": "obj-1", "tid": "t",
        "preferred_username": "Anna.Ek@Kommun.se", "name": "  Anna   Ek ", "groups": ["g1", "g2"],
    })
    assert (identity.subject, identity.email, identity.name, identity.tenant) == ("obj-1", "anna.ek@kommun.se", "Anna Ek", "t")
    assert identity.groups == {"g1", "g2"}


def test_a_plain_provider_uses_sub_email_and_a_configured_groups_claim():
    identity = identity_from_claims({"iss": "https://idp", "sub": "42", "email": "b@x.se", "roles": "staff"},
                                    groups_claim="roles")
    assert (identity.subject, identity.email, identity.name, identity.groups) == ("42", "b@x.se", "b@x.se", {"staff"})


@pytest.mark.parametrize("claims, problem", [
    ({"iss": "https://idp", "email": "a@x.se"}, "no_subject"),
    ({"iss": "https://idp", "sub": "1", "preferred_username": "not-an-address"}, "no_email"),
    ({"iss": "https://idp", "sub": "1", "email": "a@x.se\nX-Injected: 1"}, "no_email"),
])
def test_claims_without_a_subject_or_an_address_are_refused(claims, problem):
    with pytest.raises(ClaimsError, match=problem):
        identity_from_claims(claims)


def test_roles_come_from_the_mapped_groups_only():
    mapping = [("g1", Role.FINANCE), ("g2", Role.VIEWER), ("g1", Role.MANAGEMENT)]
    assert roles_from_groups({"g1", "other"}, mapping) == {Role.FINANCE, Role.MANAGEMENT}
    assert roles_from_groups(set(), mapping) == frozenset()


def test_entra_groups_overage_is_recognised_and_leaves_the_groups_unknown():
    claims = {"iss": "https://login.microsoftonline.com/t/v2.0", "oid": "obj-1", "preferred_username": "a@x.se",
              "_claim_names": {"groups": "src1"},
              "_claim_sources": {"src1": {"endpoint": "https://graph.windows.net/t/users/obj-1/getMemberObjects"}}}
    identity = identity_from_claims(claims)
    assert identity.groups_overage and identity.groups == frozenset()
    assert not identity_from_claims(claims | {"groups": ["g1"]}).groups_overage  # listed after all
    assert not identity_from_claims({k: v for k, v in claims.items() if k != "_claim_names"}).groups_overage


@pytest.mark.parametrize("answer", [None, "g1", [1, 2], {"value": []}])
def test_a_directory_answer_that_is_no_list_of_ids_is_refused(answer):
    with pytest.raises(ValueError):
        groups_from_directory(answer)
    assert groups_from_directory([" g1 ", "g2", ""]) == {"g1", "g2"}


def test_each_role_from_groups_names_the_groups_that_give_it():
    mapping = [("g1", Role.FINANCE), ("g2", Role.FINANCE), ("g3", Role.MANAGEMENT), ("g4", Role.ADMIN)]
    assert groups_of_roles({"g2", "g1", "g3", "other"}, mapping) == {Role.FINANCE: ["g1", "g2"],
                                                                     Role.MANAGEMENT: ["g3"]}
