"""The navigation each role sees. Later apps add their sections here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .dashboards import DASHBOARD_ROLES
from .models import Role
from .permissions import Scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user

    @property
    def url(self) -> str:
        return reverse(self.url_name)


ALL_STAFF_ROLES = frozenset(Role.values)

STAFF_WITH_DEADLINES = frozenset(
    {
        Role.GUARDIANSHIP_SPECIALIST,
        Role.GUARDIANSHIP_HEAD,
        Role.FSC_SPECIALIST,
        Role.FSC_HEAD,
        Role.KDN_SECRETARY,
    }
)
CASE_ROLES = frozenset(
    {Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD, Role.FSC_SPECIALIST, Role.FSC_HEAD}
)
KDN_ROLES = frozenset({Role.KDN_MEMBER, Role.KDN_SECRETARY})
STATISTICS_ROLES = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD, Role.ANALYST})
GUARDIANSHIP_ROLES = frozenset({Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD})
REFERRAL_ROLES = frozenset(
    {
        Role.GUARDIANSHIP_SPECIALIST,
        Role.GUARDIANSHIP_HEAD,
        Role.FSC_SPECIALIST,
        Role.FSC_HEAD,
        Role.REFERRER,
    }
)

NAVIGATION = [
    NavItem(_("Home"), "home"),
    NavItem(_("Dashboard"), "dashboard", DASHBOARD_ROLES),
    NavItem(_("My deadlines"), "worklist", STAFF_WITH_DEADLINES),
    NavItem(_("Referrals"), "referral_list", REFERRAL_ROLES),
    NavItem(_("FSC inbox"), "fsc_inbox", frozenset({Role.FSC_SPECIALIST, Role.FSC_HEAD})),
    NavItem(_("Cases"), "case_list", CASE_ROLES),
    NavItem(_("Commission"), "kdn_home", KDN_ROLES),
    NavItem(_("Children"), "child_list", GUARDIANSHIP_ROLES),
    NavItem(_("Families"), "family_list", GUARDIANSHIP_ROLES),
    NavItem(_("Carers"), "carer_list", GUARDIANSHIP_ROLES),
    NavItem(_("Import"), "registry_import_list", GUARDIANSHIP_ROLES),
    NavItem(_("Statistics"), "statistics", STATISTICS_ROLES),
    NavItem(
        _("Audit log"), "audit_export", frozenset({Role.GUARDIANSHIP_HEAD, Role.ADMINISTRATOR})
    ),
    NavItem(_("Staff"), "staff_list"),
    NavItem(_("Working-day calendar"), "calendar_current"),
]


def navigation_for(scope: Scope) -> list[NavItem]:
    return [item for item in NAVIGATION if item.roles is None or scope.has_any_role(item.roles)]
