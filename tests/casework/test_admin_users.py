"""The administrator's page of a user: their memberships, each with its organisation."""

import re
from datetime import date

from casework.models import OrganisationKind, Role, StaffMembership
from casework.services.organisations import administrator_enable_admin_site
from tests.factories import OrganisationFactory


def test_each_membership_shows_its_organisation_selected(adam, alice, client_for, guardianship):
    earlier = OrganisationFactory(kind=OrganisationKind.FSC, name_ru="Прежний центр")
    StaffMembership.objects.create(
        user=alice, organisation=earlier, role=Role.FSC_SPECIALIST,
        started_on=date(2020, 1, 1), ended_on=date(2020, 12, 31),
    )  # fmt: skip
    administrator_enable_admin_site(user=adam)
    page = client_for(adam).get(f"/admin/casework/user/{alice.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for organisation in (guardianship, earlier):
        selected = re.search(rf'<option value="{organisation.pk}" selected>([^<]*)</option>', html)
        assert selected and selected.group(1) == str(organisation)
