"""Single sign-on: the provider identities linked to users, and the groups that give roles."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.roles import Role

from .base import Base, created_at, enum_column, intpk
from .user import User


class SsoIdentity(Base):
    """A person at an OpenID provider (issuer + subject), linked to one user of the app."""

    __tablename__ = "sso_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_sso_identities_issuer_subject"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    # Microsoft Entra ID: the tenant the person signed in from (the `tid` claim), for the record.
    tenant: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[created_at]
    last_login_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship()


class SsoGroupRole(Base):
    """Members of a group at the provider hold a role (Entra ID: the group's object id)."""

    __tablename__ = "sso_group_roles"
    __table_args__ = (UniqueConstraint("group_id", "role", name="uq_sso_group_roles_group_id_role"),)

    id: Mapped[intpk]
    group_id: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = enum_column(Role, constraint_name="sso_group_role")
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]
