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
from .users import User

__all__ = [
    "DISTRICT_KINDS",
    "ROLE_ORGANISATION_KINDS",
    "AuditRead",
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
    "User",
]
