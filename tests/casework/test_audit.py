"""The audit trail is append-only and nothing about a person is hard-deleted."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import InternalError, transaction
from pghistory.models import Events

from casework.models import AuditRead, User


@pytest.fixture
def read_row(alice, bob):
    return AuditRead.objects.create(
        user=alice,
        action="view",
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(bob.pk),
        object_repr=str(bob),
        path="/staff/1/",
    )


def test_read_rows_cannot_be_changed(read_row):
    with pytest.raises(InternalError), transaction.atomic():
        AuditRead.objects.filter(pk=read_row.pk).update(object_repr="tampered")


def test_read_rows_cannot_be_deleted(read_row):
    with pytest.raises(InternalError), transaction.atomic():
        AuditRead.objects.filter(pk=read_row.pk).delete()
    assert AuditRead.objects.filter(pk=read_row.pk).exists()


def test_change_history_cannot_be_rewritten(alice):
    alice.phone = "+7 777 000 00 00"
    alice.save(update_fields=["phone"])
    event_model = Events.objects.references(alice).get(pgh_label="update").pgh_model
    from django.apps import apps

    model = apps.get_model(event_model)
    with pytest.raises(InternalError), transaction.atomic():
        model.objects.filter(pgh_obj=alice).update(phone="forged")
    with pytest.raises(InternalError), transaction.atomic():
        model.objects.filter(pgh_obj=alice).delete()


def test_users_are_never_hard_deleted(db):
    from tests.factories import UserFactory

    loner = UserFactory()  # no memberships, so only the database trigger can refuse
    with pytest.raises(InternalError), transaction.atomic():
        User.objects.filter(pk=loner.pk).delete()
    assert User.objects.filter(pk=loner.pk).exists()


def test_password_hashes_stay_out_of_history(alice):
    alice.set_password("another-long-password")
    alice.save(update_fields=["password"])
    assert not Events.objects.references(alice).filter(pgh_label="update").exists()
    event_model = Events.objects.references(alice).first().pgh_model
    from django.apps import apps

    field_names = {f.name for f in apps.get_model(event_model)._meta.fields}
    assert "password" not in field_names


def test_the_admin_offers_no_way_to_edit_or_delete_reads(read_row, client_for, adam):
    adam.is_superuser = True
    adam.is_staff = True
    adam.save(update_fields=["is_superuser", "is_staff"])
    client = client_for(adam)
    change_page = client.get(f"/admin/casework/auditread/{read_row.pk}/change/")
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.content.decode()
    assert client.get(f"/admin/casework/auditread/{read_row.pk}/delete/").status_code == 403
    assert client.get("/admin/casework/auditread/add/").status_code == 403
