"""Use cases. Importing the package registers the stored figures' session events (services.figures)."""

from . import figures  # noqa: F401
