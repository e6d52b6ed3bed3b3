"""Running the Alembic migrations for a database URL (used by the CLI and the tests)."""

from __future__ import annotations

import functools

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from portfolio import ROOT


def alembic_config(url: str) -> Config:
    """Alembic's configuration for `url`, from the repository's alembic.ini."""
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Upgrade the database at `url` to `revision`."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Downgrade the database at `url` to `revision`."""
    command.downgrade(alembic_config(url), revision)


@functools.cache
def head_revision() -> str:
    """The newest migration revision of this version of the app."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
