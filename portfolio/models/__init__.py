"""SQLAlchemy models: persistence only, no business rules."""

from .audit import AuditEntry
from .base import Base, utcnow
from .confirmation import UsedConfirmation
from .costs import CostItem
from .effects import EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase
from .login_throttle import LoginThrottle
from .org import Goal, GoalFramework, Unit, UnitLevel
from .paper import PaperVersion
from .pilot import AppSettings, PhaseTransition, Pilot, pilot_goals
from .rate_limit import RateLimitWindow
from .process import (
    Decision,
    ImplementationPlan,
    LifecycleOwner,
    Milestone,
    Risk,
    RolloutUnit,
    SchoolCheckpoint,
)
from .sso import SsoGroupRole, SsoIdentity
from .token import ApiToken
from .user import User, UserRole

__all__ = [
    "ApiToken", "AppSettings", "AuditEntry", "Base", "CostItem", "Decision", "EffectGoal", "Goal", "GoalCategory",
    "GoalFramework", "ImplementationPlan", "Indicator", "LifecycleOwner", "LoginThrottle", "Measurement",
    "MeasurementPhase", "Milestone", "PaperVersion", "PhaseTransition", "Pilot", "RateLimitWindow", "Risk",
    "RolloutUnit", "SchoolCheckpoint", "SsoGroupRole", "SsoIdentity", "Unit",
    "UnitLevel", "UsedConfirmation", "User", "UserRole", "pilot_goals", "utcnow",
]
