"""SQLAlchemy models: persistence only, no business rules."""

from .audit import AuditEntry
from .base import Base, utcnow
from .confirmation import UsedConfirmation
from .costs import CostItem
from .effects import EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase
from .org import Goal, GoalFramework, Unit, UnitLevel
from .pilot import AppSettings, PhaseTransition, Pilot, pilot_goals
from .token import ApiToken
from .user import User, UserRole

__all__ = [
    "ApiToken", "AppSettings", "AuditEntry", "Base", "CostItem", "EffectGoal", "Goal", "GoalCategory",
    "GoalFramework", "Indicator", "Measurement", "MeasurementPhase", "PhaseTransition", "Pilot", "Unit",
    "UnitLevel", "UsedConfirmation", "User", "UserRole", "pilot_goals", "utcnow",
]
