"""Users and the roles they hold."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import JSON, Boolean, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portfolio.domain.roles import Role

from .base import Base, Versioned, created_at, enum_column, intpk, str200


#: The password hash of an account that signs in only through the identity provider: no password
#: ever verifies against it (Argon2 refuses it as a hash).
NO_PASSWORD = "!sso"


def new_session_token() -> str:
    """A fresh random session token."""
    return secrets.token_hex(16)


class User(Versioned, Base):
    """A person who logs in. Never deleted: deactivated, so history keeps its names."""

    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str200]
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[created_at]
    last_login_at: Mapped[dt.datetime | None]
    # Part of the id kept in the session cookie: changing it ends every session of the user
    # (logout, new password, deactivation), since Flask's sessions live in the cookie itself.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    role_rows: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds."""
        return frozenset(row.role for row in self.role_rows)

    # Flask-Login protocol
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def has_password(self) -> bool:
        """Whether the user can sign in with a password (not an account made by single sign-on)."""
        return self.password_hash != NO_PASSWORD

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = enum_column(Role, primary_key=True)
    # Held because of a group at the identity provider (single sign-on): recomputed at every
    # sign-in, so leaving the group takes the role away. Roles the admin gives are False.
    from_group: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # For a role held through groups: the ids of the mapped groups giving it, as of the last sign-in.
    groups: Mapped[list[str] | None] = mapped_column(JSON)

    user: Mapped[User] = relationship(back_populates="role_rows")
