"""Who signed in through the identity provider, read from the ID token's claims. Pure.

Works with any OpenID Connect provider and with Microsoft Entra ID's claims: `oid` (the person's
object id, the same in every application of the tenant) before `sub` (pairwise per application),
`email` or else `preferred_username` (the UPN, usually the e-mail), `name`, `groups` (object ids of
the groups) and `tid` (the tenant).

Entra's groups overage: for a person in more groups than fit in a token (200 in a JWT), Entra leaves
`groups` out and says where to find them instead: `_claim_names: {"groups": "src1"}` with
`_claim_sources: {"src1": {"endpoint": ...}}`. The identity then says `groups_overage`; its groups
are unknown (empty) until looked up (Microsoft Graph, by the caller), never read from that endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .roles import Role

MAX_GROUPS = 500


class ClaimsError(ValueError):
    """The claims lack what a sign-in needs; `args[0]` is "no_subject" or "no_email"."""


@dataclass(frozen=True)
class ProviderIdentity:
    """The person the provider vouches for."""

    issuer: str
    subject: str
    email: str
    name: str
    groups: frozenset[str]
    tenant: str | None
    # False only when the provider says the address is unverified: then it never links an existing account.
    email_verified: bool = True
    # True when the provider left the groups out of the token (too many) and named another source.
    groups_overage: bool = False


def _text(value: object, limit: int) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def identity_from_claims(claims: Mapping[str, object], *, groups_claim: str = "groups") -> ProviderIdentity:
    """The identity in validated ID token claims; raises ClaimsError when one cannot sign in with them."""
    issuer = _text(claims.get("iss"), 500)
    subject = _text(claims.get("oid"), 255) or _text(claims.get("sub"), 255)
    if not issuer or not subject:
        raise ClaimsError("no_subject")
    email = ""
    for key in ("email", "preferred_username", "upn"):
        candidate = _text(claims.get(key), 254).lower()
        if "@" in candidate and candidate.isprintable() and " " not in candidate:
            email = candidate
            break
    if not email:
        raise ClaimsError("no_email")
    name = " ".join(_text(claims.get("name"), 200).split()) or email
    raw_groups = claims.get(groups_claim) or []
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    groups = frozenset(g.strip()[:255] for g in list(raw_groups)[:MAX_GROUPS] if isinstance(g, str) and g.strip())
    tenant = _text(claims.get("tid"), 100) or None
    return ProviderIdentity(issuer, subject, email, name, groups, tenant, claims.get("email_verified") is not False,
                            groups_overage=groups_overage(claims, groups_claim))


def groups_overage(claims: Mapping[str, object], groups_claim: str = "groups") -> bool:
    """Whether the groups are left out of the claims and to be found elsewhere (Entra's overage)."""
    names = claims.get("_claim_names")
    return claims.get(groups_claim) is None and isinstance(names, Mapping) and groups_claim in names


def groups_from_directory(values: object) -> frozenset[str]:
    """The object ids in a directory's answer listing a person's groups (Microsoft Graph's `value`).

    Raises ValueError when the answer is not a list of ids."""
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError("not a list of object ids")
    return frozenset(value.strip()[:255] for value in values if value.strip())


def roles_from_groups(groups: Iterable[str], mapping: Iterable[tuple[str, Role]]) -> frozenset[Role]:
    """The roles the mapping gives to a member of `groups`."""
    return frozenset(groups_of_roles(groups, mapping))


def groups_of_roles(groups: Iterable[str], mapping: Iterable[tuple[str, Role]]) -> dict[Role, list[str]]:
    """Each role the mapping gives to a member of `groups`, with the groups (sorted) that give it."""
    member_of = set(groups)
    given: dict[Role, set[str]] = {}
    for group, role in mapping:
        if group in member_of:
            given.setdefault(Role(role), set()).add(group)
    return {role: sorted(given[role]) for role in sorted(given)}
