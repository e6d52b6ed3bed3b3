"""SQLAlchemy models: persistence only, no business rules."""

from .audit import AuditEntry
from .base import Base, utcnow
from .calendar import CalendarToken
from .confirmation import UsedConfirmation
from .costs import CostItem
from .figures import BenefitFigure, FollowUpFigure, PilotFigure
from .effects import EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase
from .follow_up import BenefitOwner, FollowUp, HarvestDecision
from .login_throttle import LoginThrottle
from .meetings import AgendaItem, MailLog, Meeting, MeetingDocument, MeetingParticipant, MinutesVersion
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
from .solutions import (
    Challenge,
    OverlapCoordination,
    PublicInitiative,
    Solution,
    SolutionOwner,
    challenge_goals,
    solution_units,
)
from .sso import SsoGroupRole, SsoIdentity
from .token import ApiToken
from .user import User, UserRole

__all__ = [
    "AgendaItem", "ApiToken", "AppSettings", "AuditEntry", "Base", "BenefitFigure", "BenefitOwner", "CostItem", "Decision",
    "EffectGoal", "FollowUp", "FollowUpFigure", "Goal", "GoalCategory", "GoalFramework", "HarvestDecision", "ImplementationPlan",
    "Indicator", "LifecycleOwner", "LoginThrottle", "MailLog", "Measurement", "MeasurementPhase", "Meeting",
    "MeetingDocument", "MeetingParticipant", "Milestone", "MinutesVersion", "PaperVersion", "PhaseTransition",
    "Pilot", "PilotFigure", "RateLimitWindow", "Risk", "RolloutUnit", "SchoolCheckpoint", "SsoGroupRole", "SsoIdentity", "Unit", "UnitLevel",
    "UsedConfirmation", "User", "UserRole", "pilot_goals", "utcnow",
    "Challenge", "OverlapCoordination", "PublicInitiative", "Solution", "SolutionOwner", "challenge_goals",
    "solution_units",
    "CalendarToken",
]
