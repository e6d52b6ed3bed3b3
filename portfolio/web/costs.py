"""Placeholder: this area is being built."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("costs", __name__)
