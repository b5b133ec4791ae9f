"""Dashboards per role (issue #6): reads only, bounded, a fixed number of queries each.

Figures are computed live from indexed columns when the page is opened; the page says
the moment they were computed.
"""

from dataclasses import dataclass, field

from casework.models import Organisation, Region, Role
from casework.permissions import scope_for

from .analyst import AnalystDashboard, analyst_dashboard
from .common import Clock, clock_at
from .fsc import FscDashboard, fsc_dashboard
from .guardianship import GuardianshipDashboard, guardianship_dashboard
from .kdn import KdnDashboard, kdn_dashboard

DASHBOARD_ROLES = frozenset(
    {Role.GUARDIANSHIP_HEAD, Role.FSC_HEAD, Role.KDN_SECRETARY, Role.ANALYST}
)


@dataclass
class Dashboards:
    clock: Clock
    guardianship: list[GuardianshipDashboard] = field(default_factory=list)
    fsc: list[FscDashboard] = field(default_factory=list)
    kdn: list[KdnDashboard] = field(default_factory=list)
    analyst: list[AnalystDashboard] = field(default_factory=list)


def dashboards_for(*, user, now=None) -> Dashboards | None:
    """The dashboards of every role the user holds that has one; None when none does."""
    scope = scope_for(user)
    if not scope.has_any_role(DASHBOARD_ROLES):
        return None
    clock = clock_at(now)
    result = Dashboards(clock=clock)
    headed_ids = scope.organisations_with(DASHBOARD_ROLES - {Role.ANALYST})
    headed = (
        Organisation.objects.filter(pk__in=headed_ids)
        .select_related("district")
        .order_by("name_ru", "pk")
        if headed_ids
        else []
    )
    for organisation in headed:
        held = {m.role for m in scope.memberships if m.organisation_id == organisation.pk}
        if Role.GUARDIANSHIP_HEAD in held:
            result.guardianship.append(
                guardianship_dashboard(organisation=organisation, clock=clock)
            )
        if Role.FSC_HEAD in held:
            result.fsc.append(fsc_dashboard(organisation=organisation, clock=clock))
        if Role.KDN_SECRETARY in held:
            result.kdn.append(kdn_dashboard(organisation=organisation, clock=clock))
    regions = {m.region_id for m in scope.memberships if m.role == Role.ANALYST}
    loaded = Region.objects.in_bulk([pk for pk in regions if pk])
    for region_id in sorted(regions, key=lambda pk: pk or 0):
        result.analyst.append(analyst_dashboard(region=loaded.get(region_id), clock=clock))
    return result
