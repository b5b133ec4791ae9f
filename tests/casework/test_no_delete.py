"""Nothing in case data is hard-deleted: the database itself refuses a DELETE on every
case-data table, whoever sends it (the ORM, raw SQL, a console). Records are archived
instead (see test_archive in each app).

The meta-test keeps it so: a new model in these apps fails it until it is protected by a
`pgtrigger.Protect(operation=pgtrigger.Delete)` trigger or listed in `EXEMPT` with why.
"""

from datetime import date, timedelta

import pgtrigger
import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InternalError, connection, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from casework.models import (
    ArchiveEvent,
    AssessmentDomain,
    AuditAlert,
    AuditRead,
    CalendarOverride,
    CommissionDecision,
    ContactKind,
    DecisionKind,
    SupportType,
    Timer,
)
from casework.services import cases, contacts, plans
from casework.services import kdn as kdn_services
from casework.services.timers import breach_record
from children.models import CarerKind, ChildShare, PlacementForm, RegistryImport, StatusCategory
from children.services import carers, files, placements
from children.services.merge import person_merge
from children.services.people import PersonInput, person_create
from families import services as family_services
from families.models import DifficultSituationGround, Relation
from families.reference import difficult_situation_grounds_ensure
from referrals import services as referral_services

APPS = ("children", "families", "referrals", "casework")

# Models of these apps that may be deleted, and why. Everything else refuses DELETE.
EXEMPT = {
    # Technical rows, not case data.
    "casework.Heartbeat": "the last run of a periodic job for the status page, one row per job",
    "casework.User_groups": "Django's auth tables: Qamqor uses roles, not groups",
    "casework.User_user_permissions": "Django's auth tables: Qamqor uses roles and object grants",
    "casework.ApiToken": "credentials, not case data; revoked with revoked_at, never deleted",
    "casework.FormDraft": (
        "a user's unsent typing, not case data: dropped when the form is accepted or after "
        "FORM_DRAFT_DAYS"
    ),
    # Reference data and the organisation structure, not case data: the admin offers no
    # delete (organisations are archived, roles end); their history is tracked.
    "casework.Region": "organisation structure",
    "casework.District": "organisation structure",
    "casework.Organisation": "organisation structure (archived_at)",
    "casework.StaffMembership": "a role ends with ended_on",
    "casework.CalendarOverride": (
        "an administrator removes a mistaken override in the admin; its history keeps a "
        "delete event"
    ),
    # Many-to-many tables Django creates itself (a trigger cannot be put on them in a
    # migration). The code rewrites the first two with .set():
    "casework.Case_team": (
        "case_assign rewrites the team; the case's 'assigned' event names who is on it"
    ),
    "casework.Assessment_grounds": (
        "assessment_save rewrites a draft assessment's grounds until it is completed"
    ),
    "families.DifficultSituation_grounds": (
        "written once at recognition; both sides refuse DELETE, so nothing cascades into it"
    ),
}

PDF = b"%PDF-1.4\n%synthetic\n"


def _models() -> list[type[models.Model]]:
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    ]


def _refuses_delete(model: type[models.Model]) -> bool:
    return any(
        isinstance(trigger, pgtrigger.Protect) and "DELETE" in str(trigger.operation).split()
        for trigger in getattr(model._meta, "triggers", [])
    )


PROTECTED = [model for model in _models() if _refuses_delete(model)]


def test_every_model_refuses_delete_or_says_why_it_may_be_deleted():
    unaccounted = [
        model._meta.label
        for model in _models()
        if not _refuses_delete(model) and model._meta.label not in EXEMPT
    ]
    assert unaccounted == [], (
        "Protect these from DELETE (pgtrigger.Protect(operation=pgtrigger.Delete)) or add "
        "them to EXEMPT with the reason"
    )
    protected_and_exempt = [m._meta.label for m in PROTECTED if m._meta.label in EXEMPT]
    assert protected_and_exempt == []
    stale = set(EXEMPT) - {model._meta.label for model in _models()}
    assert stale == set()


def test_the_case_data_tables_named_in_the_issue_are_protected():
    labels = {model._meta.label for model in PROTECTED}
    assert {
        "children.Child",
        "children.Person",
        "children.Carer",
        "children.Placement",
        "children.Document",
        "children.Removal",
        "families.Family",
        "families.FamilyMember",
        "referrals.Referral",
        "referrals.Attachment",
        "casework.Case",
        "casework.AgendaItem",
        "casework.CommissionDecision",
        "casework.MeetingMember",
        "casework.Timer",
        "casework.Breach",
        "casework.Notification",
        "casework.ArchiveEvent",
    } <= labels


def test_the_triggers_are_installed_in_the_database(db):
    """The migrations put every trigger in place (a model's Meta alone proves nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND (t.tgtype & 8) = 8"
        )
        tables_with_delete_triggers = {row[0] for row in cursor.fetchall()}
    missing = [
        m._meta.label for m in PROTECTED if m._meta.db_table not in tables_with_delete_triggers
    ]
    assert missing == []


@pytest.fixture
def world(
    settings, tmp_path, almaly, bostandyk, guardianship, fsc, kdn, alice, hanna, fatima,
    gulnara, kairat, rita, make_notice, make_concern,
):  # fmt: skip
    """One row of every case-data table, written the way the application writes them."""
    settings.MEDIA_ROOT = tmp_path
    difficult_situation_grounds_ensure()
    now = timezone.now()
    today = timezone.localdate()

    def person(last_name, **fields):
        data = PersonInput(last_name=last_name, first_name="Ерлан", district=almaly, **fields)
        return person_create(data=data, by=alice)

    child = files.child_register(
        data=PersonInput(last_name="Нурланов", first_name="Ерлан", district=almaly), by=alice
    )
    files.child_status_add(child=child, category=StatusCategory.ORPHAN, started_on=today)
    files.disability_add(
        child=child, by=alice, group="Ребёнок-инвалид", established_on=today,
        valid_until=today + timedelta(days=300),
    )  # fmt: skip
    files.child_view_record(
        child=child, by=alice, heard_on=today, decision="Устройство", words="Да"
    )
    files.child_document_add(
        child=child, by=alice, title="Акт", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    carer = carers.carer_register(
        person=person("Сейтжанова"), kind=CarerKind.FOSTER, district=almaly, approved_on=today
    )
    carers.reliability_check_record(
        carer=carer, by=alice, checked_on=today, income_ok=True, health_ok=True,
        housing_ok=True, no_criminal_record=True,
    )  # fmt: skip
    carers.inspection_record(
        carer=carer, by=alice, inspected_on=today, conditions_ok=True, findings="Хорошо"
    )
    placements.placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, carer=carer, started_on=today
    )
    placements.removal_record(
        child=files.child_register(data=PersonInput(last_name="Омаров", first_name="Тимур", district=almaly), by=alice),
        by=alice, removed_at=now - timedelta(hours=1), reason="Угроза", accompanied_by="Инспектор",
        explained_to_child=True, psychologist_present=True, psychologist_absence_reason="",
        taken_to="Центр", prosecutor_notified_at=now,
    )  # fmt: skip
    person_merge(keep=person("Касымов"), duplicate=person("Касымов"), by=hanna)
    ChildShare.objects.create(child=child, district=bostandyk, granted_by=hanna, reason="Переезд")
    RegistryImport.objects.create(
        token="import-token", file="imports/x.xlsx", original_name="x.xlsx",
        content_type="application/vnd.ms-excel", size=1, uploaded_by=alice, district=almaly,
        status="checked", sha256="0" * 64,
    )  # fmt: skip

    family = family_services.family_create(name="Нурлановы", district=almaly, by=alice)
    family_services.family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    family_services.difficult_situation_recognise(
        family=family, grounds=list(DifficultSituationGround.objects.all()[:1]),
        other_ground="", recognised_on=today, by=alice,
    )  # fmt: skip
    family_services.police_registration_add(
        family=family, registered_on=today, police_unit="ОП", ground="Учёт"
    )

    make_concern()
    notice = make_notice(registered_at=now - timedelta(hours=1), now=now)
    referral_services.referral_attachment_add(
        referral=notice, by=alice, upload=SimpleUploadedFile("n.pdf", PDF)
    )
    referral_services.referral_transfer(referral=notice, by=alice, now=now)
    referral_services.referral_pick_up(referral=notice, by=fatima, now=now)
    case = notice.case
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    cases.assessment_save(
        case=case, by=fatima,
        ratings={d.value: (2, "Наблюдение") for d in AssessmentDomain},
        in_difficult_situation=True, grounds=[ground], conclusion="Нужна поддержка",
    )  # fmt: skip
    cases.assessment_complete(case=case, by=fatima)
    plans.measure_add(
        plan=case.plans.get(), by=fatima, support_type=SupportType.SOCIAL, description="Мера",
        responsible_organisation=fsc, owner=None, due_on=today + timedelta(days=10),
    )  # fmt: skip
    contacts.contact_record(
        case=case, by=fatima, kind=ContactKind.VISIT, occurred_on=today, findings="Дома",
        attachments=[SimpleUploadedFile("v.pdf", PDF)],
    )  # fmt: skip
    meeting = kdn_services.meeting_create(
        commission=kdn, by=kairat, held_at=now + timedelta(days=3), quorum=1,
        members=[kairat],
    )  # fmt: skip
    item = kdn_services.agenda_item_submit(
        by=alice, organisation=guardianship, question="?", child=child
    )
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=kairat)
    CommissionDecision.objects.create(
        item=item, kind=DecisionKind.OTHER, text="Решение", votes_for=1, recorded_by=kairat,
        recorded_at=now,
    )  # fmt: skip
    breach_record(timer=Timer.objects.first(), now=now)
    ArchiveEvent.objects.create(
        content_type=ContentType.objects.get_for_model(child), object_id=child.pk,
        action="archived", actor=alice, at=now, reason="Дубликат",
    )  # fmt: skip
    AuditRead.objects.create(
        user=alice, action="view", content_type=ContentType.objects.get_for_model(child),
        object_id=str(child.pk), object_repr=str(child), path="/",
    )  # fmt: skip
    CalendarOverride.objects.create(day=date(2031, 1, 2), kind="day_off", legal_basis="Указ")
    AuditAlert.objects.create(
        user=alice, window_start=now, counted_from=now, detected_at=now, count=51, threshold=50
    )


def test_the_database_refuses_to_delete_any_protected_row(world):
    """Through the ORM and through raw SQL, for one row of every protected table."""
    missing, deleted_by_orm, deleted_by_sql = [], [], []
    for model in PROTECTED:
        row = model._default_manager.order_by("pk").first()
        if row is None:
            missing.append(model._meta.label)
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=row.pk).delete()
            deleted_by_orm.append(model._meta.label)
        except (InternalError, ProtectedError):
            pass
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f'DELETE FROM "{model._meta.db_table}" WHERE "{model._meta.pk.column}" = %s',  # noqa: S608 - table names come from the models
                    [row.pk],
                )
            deleted_by_sql.append(model._meta.label)
        except InternalError as refused:
            assert "pgtrigger" in str(refused), model._meta.label
        assert model._default_manager.filter(pk=row.pk).exists(), model._meta.label
    assert missing == []  # the world has a row of every table, so nothing went unproved
    assert deleted_by_orm == []
    assert deleted_by_sql == []


def test_a_childs_file_with_nothing_attached_is_refused_by_the_database_not_by_django(
    db, almaly, guardianship, alice
):
    """No related rows for Django's collector to object to: only the trigger stands."""
    child = files.child_register(
        data=PersonInput(last_name="Одинокий", first_name="Файл", district=almaly), by=alice
    )
    with pytest.raises(InternalError, match="pgtrigger"), transaction.atomic():
        type(child).objects.filter(pk=child.pk).delete()
    assert type(child).objects.filter(pk=child.pk).exists()
