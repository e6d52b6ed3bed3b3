"""SQLAlchemy models: persistence only, no business rules."""

from .audit import AuditEntry
from .base import Base, utcnow
from .costs import CostItem
from .effects import EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase
from .login_throttle import LoginThrottle
from .org import Goal, GoalFramework, Unit, UnitLevel
from .pilot import AppSettings, PhaseTransition, Pilot, pilot_goals
from .rate_limit import RateLimitWindow
from .sso import SsoGroupRole, SsoIdentity
from .token import ApiToken
from .user import User, UserRole

__all__ = [
    "ApiToken", "AppSettings", "AuditEntry", "Base", "CostItem", "EffectGoal", "Goal", "GoalCategory",
    "GoalFramework", "Indicator", "LoginThrottle", "Measurement", "MeasurementPhase", "PhaseTransition", "Pilot", "RateLimitWindow", "SsoGroupRole",
    "SsoIdentity", "Unit",
    "UnitLevel", "User", "UserRole", "pilot_goals", "utcnow",
]
