"""More of everything the pages of the permission matrix's world list or show
(tests/test_query_budgets.py): the pages must cost as many queries on the world grown
once as on the world grown twice.

Everything is made through the services, in the world's district, on the world's own
files (its child, family, carer, case, meeting, referrals) and for its personas, so each
page has more rows of each kind it reads: a read per row shows as a count that grows.
Growing once also brings a row of every kind a page may read one query for (an archived
record of each kind, a timer of each kind, a difficult situation with its grounds), so
the counts are those of a page that shows everything it can.
"""

from datetime import date, timedelta
from itertools import count

import time_machine
from axes.models import AccessAttempt, AccessLog
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone

from casework.models import (
    ContactKind,
    OrganisationKind,
    Role,
    StaffMembership,
    SupportType,
    Timer,
    TimerKind,
)
from casework.services import cases, contacts, plans
from casework.services import kdn as kdn_services
from casework.services.api_tokens import api_token_create
from casework.services.audit import audit_read_record
from casework.services.calendar import calendar_override_set
from casework.services.notifications import notification_create, notifications_mark_read
from casework.services.timers import breach_record
from children.imports.layout import CHILDREN
from children.imports.services import registry_import_create
from children.imports.template import import_template_build
from children.models import CarerKind, PlacementForm, StatusCategory
from children.services import archive as child_archive
from children.services.carers import carer_register, inspection_record, reliability_check_record
from children.services.files import (
    child_document_add,
    child_register,
    child_status_add,
    child_status_end,
    child_view_record,
    disability_add,
)
from children.services.people import person_create
from children.services.placements import placement_start
from families import services as family_services
from families.models import DifficultSituationGround, Relation
from referrals import services as referral_services
from referrals.models import ConcernCategory, ReferralKind
from tests.cases.conftest import rate_everything
from tests.children.test_import import child as import_child
from tests.children.test_import import fill
from tests.factories import DistrictFactory, OrganisationFactory, RegionFactory, staff
from tests.permission_matrix_world import PDF, PERSONAS, REGISTERED, World, _person

N = 3  # of each kind: enough for a read per row to show
_numbers = count(1)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}-{next(_numbers)}.pdf", PDF, content_type="application/pdf")


def grow_world(world: World) -> None:
    """Add N more of everything; again each time it is called."""
    world.objects["round"] = world.objects.get("round", 0) + 1
    _grow_reference_data(world)
    _grow_staff(world)
    _grow_registry(world)
    _grow_referrals_and_cases(world)
    _grow_the_case(world)
    _grow_the_commission(world)
    _grow_the_rest(world)


def _grow_reference_data(world: World) -> None:
    for _ in range(N):
        district = DistrictFactory(region=world.region)
        OrganisationFactory(kind=OrganisationKind.SCHOOL, district=district, region=world.region)
        RegionFactory()
    for _ in range(N):
        calendar_override_set(
            day=date(2026, 11, 1) + timedelta(days=next(_numbers)), kind="day_off",
            legal_basis="Синтетическое постановление", by=None,
        )  # fmt: skip


def _grow_staff(world: World) -> None:
    u = world.users
    organisations = {
        membership.organisation
        for membership in StaffMembership.objects.filter(
            user__username__in=PERSONAS
        ).select_related("organisation")
    }
    for organisation in organisations:
        role = StaffMembership.objects.filter(organisation=organisation).values_list(
            "role", flat=True
        )[0]
        for _ in range(N):
            staff(role, organisation)
    # bob (the profile of the matrix) worked in other places before
    for _ in range(N):
        year = 2000 + next(_numbers)
        StaffMembership.objects.create(
            user=u["bob"],
            organisation=OrganisationFactory(kind=OrganisationKind.GUARDIANSHIP),
            role=Role.GUARDIANSHIP_SPECIALIST,
            started_on=date(year, 1, 1),
            ended_on=date(year, 12, 31),
        )
    for persona in PERSONAS[1:]:
        for k in range(N):
            notification_create(recipient=u[persona], subject=f"Уведомление {k}", body="Ещё.")
    notifications_mark_read(user=u["farida"])  # someone with nothing unread


def _grow_registry(world: World) -> None:
    alice, hanna = world.users["alice"], world.users["hanna"]
    child, family, carer = world.child, world.family, world.carer
    # the child's file: statuses, disabilities, views, documents, families, a second
    # placement with another carer (an addition), and who read it
    day = date(2026, 2, 1) + timedelta(days=world.round)
    for category in (StatusCategory.ORPHAN, StatusCategory.CONFLICT_WITH_LAW):
        for status in child.statuses.filter(category=category, ended_on__isnull=True):
            child_status_end(status=status, ended_on=day)
        child_status_add(child=child, category=category, started_on=day)
    for k in range(N):
        disability_add(
            child=child, by=alice, group=f"Группа {k}", established_on=date(2026, 1, 5 + k),
            valid_until=date(2027, 1, 5 + k),
        )  # fmt: skip
        child_view_record(
            child=child, by=alice, heard_on=date(2026, 3, 2 + k), decision="Устройство",
            words=f"Слова {k}",
        )  # fmt: skip
        document = child_document_add(
            child=child, by=alice, title=f"Документ {k}", upload=_pdf("doc")
        )
        if k == 0:
            child_archive.document_archive(document=document, by=alice, reason="Дубликат")
        other = family_services.family_create(name=f"Семья {k}", district=world.almaly, by=alice)
        family_services.family_member_add(
            family=other, person=child.person, relation=Relation.CHILD
        )
    for reader in ("alice", "hanna", "bob"):
        for _ in range(N):
            audit_read_record(request=_request(world.users[reader]), obj=child)
            audit_read_record(request=_request(world.users[reader]), obj=family)
            audit_read_record(request=_request(world.users[reader]), obj=world.case)
    # more children in the district, one of them placed with the carer too, one archived
    world.objects["grown_children"] = []
    for k in range(N):
        other = child_register(
            data=_person(world.almaly, last_name=f"Ребёнков{k}", birth_date=date(2016, 1, 1 + k)),
            by=alice,
        )
        child_status_add(
            child=other, category=StatusCategory.WITHOUT_CARE, started_on=date(2026, 2, 1)
        )
        world.grown_children.append(other)
        family_services.family_member_add(
            family=family, person=other.person, relation=Relation.CHILD
        )
    placed = child_register(
        data=_person(world.almaly, last_name="Размещённый", birth_date=date(2017, 5, 5)), by=alice
    )
    placement_start(
        child=placed, form=PlacementForm.FOSTER_FAMILY, started_on=date(2026, 3, 1), carer=carer
    )
    for k in range(N):
        gone = child_register(
            data=_person(world.almaly, last_name=f"Архивный{k}", birth_date=date(2014, 1, 1 + k)),
            by=alice,
        )
        child_archive.child_archive(child=gone, by=alice, reason="Дубликат")
        twice = family_services.family_create(name=f"Дубль {k}", district=world.almaly, by=alice)
        family_services.family_archive(family=twice, by=alice, reason="Дубликат")
    # carers: more, and the world's carer checked and inspected
    for k in range(N):
        person = person_create(
            data=_person(world.almaly, last_name=f"Опекунова{k}", first_name="Айгуль"), by=alice
        )
        other_carer = carer_register(
            person=person, kind=CarerKind.GUARDIAN, district=world.almaly,
            approved_on=date(2026, 1, 10),
        )  # fmt: skip
        if k == 0:
            child_archive.carer_archive(carer=other_carer, by=alice, reason="Дубликат")
        reliability_check_record(
            carer=carer, by=alice, checked_on=date(2026, 3, 1 + k), income_ok=True,
            health_ok=True, housing_ok=True, no_criminal_record=True, notes=f"Проверка {k}",
        )  # fmt: skip
        inspection_record(
            carer=carer, by=alice, inspected_on=date(2026, 3, 10 + k), conditions_ok=True,
            findings=f"Условия хорошие {k}",
        )  # fmt: skip
    # the family: police registrations, a difficult situation ended and a new one
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    for k in range(N):
        family_services.police_registration_add(
            family=family, registered_on=date(2026, 4, 7 + k), police_unit="ОП",
            inspector=f"Инспектор {k}", ground="Профилактический учёт",
        )  # fmt: skip
    day = date(2026, 1, 10) + timedelta(days=world.round)
    for situation in family.difficult_situations.filter(ended_on__isnull=True):
        family_services.difficult_situation_end(situation=situation, ended_on=day, note="Прошла")
    family_services.difficult_situation_recognise(
        family=family, grounds=[ground], other_ground="", recognised_on=day, by=hanna
    )
    for k in range(2):
        registry_import_create(
            district=world.almaly,
            by=alice,
            upload=SimpleUploadedFile(
                f"registry-{k}.xlsx",
                fill(
                    import_template_build(district=world.almaly),
                    {CHILDREN.key: [import_child(), import_child()]},
                ),
            ),
            language="ru",
        )


def _grow_referrals_and_cases(world: World) -> None:
    u = world.users
    alice, fatima = u["alice"], u["fatima"]
    for k in range(N):
        concern, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(
                kind=ReferralKind.CONCERN, district=world.almaly,
                source_organisation=world.school, child_name=f"Ребёнок {k}",
                categories=[ConcernCategory.SCHOOL_ABSENCE], narrative=f"Беспокойство {k}.",
            ),
            by=u["rita"],
            attachments=[_pdf("concern")],
        )  # fmt: skip
        if k == 0:
            referral_services.referral_archive(referral=concern, by=alice, reason="Дубликат")
        notice, _created = referral_services.referral_create(
            data=referral_services.ReferralInput(
                kind=ReferralKind.POLICE_NOTICE, district=world.almaly,
                source_organisation=world.notice.source_organisation, channel="api",
                family_name=f"Семья уведомления {k}", narrative=f"Уведомление {k}.",
                registered_at=REGISTERED, police_unit="ОП", inspector="Инспектор",
                ground="Профилактический учёт",
            ),
            by=u["pavel"],
            now=REGISTERED,
            attachments=[_pdf("notice")],
        )  # fmt: skip
        referral_services.referral_transfer(referral=notice, by=alice, now=REGISTERED)
        if k:
            referral_services.referral_pick_up(referral=notice, by=fatima, now=REGISTERED)
    # the world's referrals: more files (some archived) and events; linked to the child
    for referral in (world.concern, world.notice):
        for k in range(N):
            attachment = referral_services.referral_attachment_add(
                referral=referral, by=alice, upload=_pdf("scan")
            )
            if k == 0:
                referral_services.attachment_archive(
                    attachment=attachment, by=alice, reason="Не тот файл"
                )
        # (again each time: an event more)
        referral_services.referral_link_child(referral=referral, child=world.child, by=alice)


def _grow_the_case(world: World) -> None:
    u = world.users
    fatima, gulnara = u["fatima"], u["gulnara"]
    if world.round == 1:
        # The fullest file: a case about the registry's child and family (the world's case
        # came from a police notice, with neither).
        full = cases.case_open(
            organisation=world.fsc, by=fatima, family=world.family, child=world.child
        )
        rate_everything(full, fatima)
        cases.assessment_complete(case=full, by=fatima)
        world.objects["full_case"] = full
    for k in range(N):
        contacts.contact_record(
            case=world.full_case, by=fatima, kind=ContactKind.VISIT,
            occurred_on=timezone.localdate(), findings=f"Визит {k}", attachments=[_pdf("akt")],
        )  # fmt: skip
        plans.measure_add(
            plan=world.full_case.plans.get(status="draft"), by=fatima,
            support_type=list(SupportType)[k % 8], description=f"Мера {k}",
            responsible_organisation=world.fsc, owner=None,
            due_on=timezone.localdate() + timedelta(days=10 + k),
        )  # fmt: skip
    case = world.case
    team = [u["farida"], *staff_of(world.fsc, exclude=("fatima", "farida", "gulnara"))]
    cases.case_assign(case=case, by=gulnara, lead=fatima, team=team)
    for k in range(N):
        contacts.contact_record(
            case=case, by=fatima, kind=ContactKind.VISIT, occurred_on=timezone.localdate(),
            findings=f"Визит {k}", attachments=[_pdf("akt"), _pdf("foto")],
            measure=world.measure,
        )  # fmt: skip
        plans.measure_add(
            plan=world.draft_plan, by=fatima, support_type=list(SupportType)[k % 8],
            description=f"Мера {k}", responsible_organisation=world.fsc,
            owner=u["farida"], due_on=timezone.localdate() + timedelta(days=10 + k),
        )  # fmt: skip
    # the draft case: rated, with contacts
    for k in range(N):
        contacts.contact_record(
            case=world.draft_case, by=fatima, kind=ContactKind.CONTACT,
            occurred_on=timezone.localdate(), findings=f"Звонок {k}",
        )  # fmt: skip


def _grow_the_commission(world: World) -> None:
    u = world.users
    saule, fatima, alice = u["saule"], u["fatima"], u["alice"]
    meeting, guardianship = world.meeting, _organisation_of(alice)
    # more files on the meeting's agenda, each decided (a file waits for one meeting at a
    # time: submitted, scheduled and decided in turn)
    subjects = [
        {"by": fatima, "organisation": world.fsc, "case": world.case},
        {"by": fatima, "organisation": world.fsc, "case": world.full_case},
        {"by": alice, "organisation": guardianship, "child": world.child},
        {"by": alice, "organisation": guardianship, "family": world.family},
    ]
    for k in range(N):
        for subject in subjects:
            item = kdn_services.agenda_item_submit(question=f"Вопрос {k}", **subject)
            with time_machine.travel(meeting.held_at - timedelta(days=1), tick=False):
                kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
            if "full_item" not in world.objects and item.case_id == world.full_case.pk:
                world.objects["full_item"] = item
            with time_machine.travel(meeting.held_at, tick=False):
                kdn_services.decision_record(
                    item=item, by=saule, kind="instruction", text=f"Поручение {k}",
                    votes_for=2, owner_organisation=world.fsc, owner=fatima,
                    deadline=timezone.localdate() + timedelta(days=20),
                )  # fmt: skip
    # files waiting for a meeting, and meetings to come
    if world.round == 1:
        kdn_services.agenda_item_submit(
            by=fatima, organisation=world.fsc, case=world.draft_case, question="Ждёт"
        )
    for child in world.grown_children:
        kdn_services.agenda_item_submit(
            by=alice, organisation=guardianship, child=child, question="Ждёт"
        )
    for k in range(N):
        kdn_services.meeting_create(
            commission=meeting.commission, by=saule,
            held_at=timezone.now() + timedelta(days=10 + k), quorum=2,
            members=[u["kairat"], u["dana"]], place=f"Каб. {k}",
        )  # fmt: skip


def _organisation_of(user):
    return (
        StaffMembership.objects.filter(user=user)
        .select_related("organisation")
        .first()
        .organisation
    )


def _grow_the_rest(world: World) -> None:
    u = world.users
    now = timezone.now()
    for timer in Timer.objects.filter(kind=TimerKind.GUARDIANSHIP_NOTICE, breach=None)[:N]:
        breach_record(timer=timer, now=now)
    for _ in range(N):
        k = next(_numbers)
        api_token_create(organisation=world.school, name=f"Система {k}", by=u["adam"])
        AccessAttempt.objects.create(
            username=f"someone{k}", ip_address="10.0.0.9", user_agent="Synthetic",
            failures_since_start=1, get_data="", post_data="", http_accept="*/*",
            path_info="/accounts/login/",
        )  # fmt: skip
        AccessLog.objects.create(
            username=f"someone{k}", ip_address="10.0.0.9", user_agent="Synthetic",
            http_accept="*/*", path_info="/accounts/login/",
        )  # fmt: skip


def staff_of(organisation, *, exclude=()) -> list:
    return [
        m.user
        for m in StaffMembership.objects.filter(organisation=organisation)
        .exclude(user__username__in=exclude)
        .select_related("user")
    ]


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
