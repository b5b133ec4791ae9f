from .api_tokens import ApiToken
from .audit import AuditRead, ReadAction
from .calendar import CalendarOverride, CalendarOverrideKind
from .notifications import Notification
from .organisations import (
    DISTRICT_KINDS,
    ROLE_ORGANISATION_KINDS,
    District,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StaffMembership,
)
from .timers import Breach, Timer, TimerKind, TimerStatus
from .users import User

__all__ = [
    "DISTRICT_KINDS",
    "ROLE_ORGANISATION_KINDS",
    "ApiToken",
    "AuditRead",
    "Breach",
    "CalendarOverride",
    "CalendarOverrideKind",
    "District",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "ReadAction",
    "Region",
    "Role",
    "StaffMembership",
    "Timer",
    "TimerKind",
    "TimerStatus",
    "User",
]
