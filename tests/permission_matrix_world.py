"""The permission matrix's shared world: one file of every kind, all in the Almaly district,
made through the same services and factories the other tests use, and the personas who
look at it (DESIGN.md section 2).

Built once per test process (it takes a few hundred queries); every cell of the matrix
then runs inside a savepoint that is rolled back, so no request changes what the next one
sees. See tests/permission_matrix.py for the rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import time_machine
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone
from pghistory.models import Events

from casework.models import (
    ApiToken,
    AuditAlert,
    Case,
    CaseContact,
    ContactKind,
    OrganisationKind,
    Role,
    SupportType,
    Timer,
    TimerKind,
)
from casework.services import cases, contacts, plans
from casework.services import kdn as kdn_services
from casework.services.api_tokens import api_token_create
from casework.services.audit import audit_read_record
from casework.services.calendar import calendar_override_set
from casework.services.notifications import notification_create
from casework.services.organisations import administrator_enable_admin_site
from casework.services.timers import breach_record
from casework.working_days import ALMATY
from children.imports.layout import CHILDREN
from children.imports.services import registry_import_create
from children.imports.template import import_template_build
from children.models import CarerKind, PlacementForm, StatusCategory
from children.services.carers import carer_register
from children.services.files import child_document_add, child_register, child_status_add
from children.services.people import PersonInput, person_create
from children.services.placements import placement_start, removal_record
from families import services as family_services
from families.models import Relation
from families.reference import difficult_situation_grounds_ensure
from referrals import services as referral_services
from referrals.models import ConcernCategory, ReferralKind, Status
from tests.cases.conftest import rate_everything
from tests.children.test_import import child as import_child
from tests.children.test_import import fill
from tests.factories import DistrictFactory, OrganisationFactory, RegionFactory, staff

PDF = b"%PDF-1.4\n%synthetic\n"
# Monday 6 April 2026, 11:00 in Almaty: the police registration (as tests/cases/conftest.py).
REGISTERED = datetime(2026, 4, 6, 11, 0, tzinfo=ALMATY)

# Words only the world's files hold: a page that shows one shows that file's content.
CHILD_SURNAME = "Канареев"  # the registry child and the family
VISIT_FINDINGS = "Семья дома, ребёнок в школе (канарейка визита)."  # the FSC case
CONCERN_NARRATIVE = "Не посещает школу две недели (канарейка школы)."  # rita's concern
NOTICE_NARRATIVE = "Семья поставлена на учёт (канарейка полиции)."  # pavel's notice
TRIAGE_NOTE = "Семья известна опеке (канарейка сортировки)."  # guardianship's reasoning
GUARDIANSHIP_SCAN = "akt-opeki-kanareika.pdf"  # a file guardianship added to the notice

ANONYMOUS = "anonymous"
# The columns, in the order a failure lists them.
PERSONAS = (
    ANONYMOUS,
    "alice",  # guardianship specialist, Almaly (the world's district)
    "hanna",  # head of Almaly guardianship
    "oscar",  # guardianship specialist, Bostandyk
    "fatima",  # FSC specialist, Almaly: lead of the case, received the police notice
    "farida",  # FSC specialist, Almaly: same center, not on the case
    "gulnara",  # FSC head, Almaly
    "omar",  # FSC specialist, Bostandyk: an FSC that received nothing
    "saule",  # KDN secretary, Almaly
    "kairat",  # KDN member sitting on the meeting
    "dana",  # KDN member of the same commission, not on the meeting
    "rita",  # referrer (school, Almaly): sent the concern
    "pavel",  # referrer (police, Almaly): sent the police notice
    "sam",  # referrer (school, Bostandyk): sent nothing
    "nina",  # analyst (city analytics)
    "adam",  # administrator (operator), let into the admin site
)
# Referrers reach the API with their organisation's token, the way their systems do.
TOKEN_PERSONAS = ("rita", "pavel", "sam")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError as missing:
            raise AttributeError(name) from missing


def _person(district, **fields) -> PersonInput:
    return PersonInput(
        **{"last_name": "Нурланов", "first_name": "Ерлан", "district": district, **fields}
    )


def build_world() -> World:
    world = World()
    o = world.objects
    difficult_situation_grounds_ensure()

    # --- places and organisations (as tests/conftest.py and tests/referrals/conftest.py)
    region = RegionFactory(code="ALM", name_ru="город Алматы")
    almaly = DistrictFactory(region=region, code="ALM-ALM", name_ru="Алмалинский район")
    bostandyk = DistrictFactory(region=region, code="ALM-BOS", name_ru="Бостандыкский район")

    def org(kind, district=None, **fields):
        return OrganisationFactory(kind=kind, district=district, region=region, **fields)

    guardianship = org(OrganisationKind.GUARDIANSHIP, almaly)
    other_guardianship = org(OrganisationKind.GUARDIANSHIP, bostandyk)
    fsc = org(OrganisationKind.FSC, almaly)
    other_fsc = org(OrganisationKind.FSC, bostandyk)
    kdn = org(OrganisationKind.KDN, almaly)
    school = org(OrganisationKind.SCHOOL, almaly)
    other_school = org(OrganisationKind.SCHOOL, bostandyk)
    police = org(OrganisationKind.POLICE, almaly)
    analytics = org(OrganisationKind.ANALYTICS)
    operator = OrganisationFactory(kind=OrganisationKind.OPERATOR, district=None, region=None)
    o.update(region=region, almaly=almaly, bostandyk=bostandyk, fsc=fsc, school=school)

    # --- people
    u = world.users
    for name, role, organisation in (
        ("alice", Role.GUARDIANSHIP_SPECIALIST, guardianship),
        ("bob", Role.GUARDIANSHIP_SPECIALIST, guardianship),
        ("hanna", Role.GUARDIANSHIP_HEAD, guardianship),
        ("oscar", Role.GUARDIANSHIP_SPECIALIST, other_guardianship),
        ("fatima", Role.FSC_SPECIALIST, fsc),
        ("farida", Role.FSC_SPECIALIST, fsc),
        ("gulnara", Role.FSC_HEAD, fsc),
        ("omar", Role.FSC_SPECIALIST, other_fsc),
        ("saule", Role.KDN_SECRETARY, kdn),
        ("kairat", Role.KDN_MEMBER, kdn),
        ("marat", Role.KDN_MEMBER, kdn),
        ("dana", Role.KDN_MEMBER, kdn),
        ("rita", Role.REFERRER, school),
        ("pavel", Role.REFERRER, police),
        ("sam", Role.REFERRER, other_school),
        ("nina", Role.ANALYST, analytics),
        ("adam", Role.ADMINISTRATOR, operator),
    ):
        u[name] = staff(role, organisation, username=name)
    administrator_enable_admin_site(user=u["adam"])
    for persona, organisation in (("rita", school), ("pavel", police), ("sam", other_school)):
        _token, world.tokens[persona] = api_token_create(
            organisation=organisation, name=f"{persona}'s system", by=u["adam"]
        )
    o["staff_profile"] = u["bob"]
    o["notification"] = notification_create(
        recipient=u["alice"], subject="Синтетическое уведомление", body="Проверка."
    )

    # --- the registry: a child with a status, a placement with a carer, a document and a
    # removal; a family with the child and a police registration
    alice = u["alice"]
    child = child_register(
        data=_person(almaly, last_name=CHILD_SURNAME, birth_date=date(2015, 6, 14)), by=alice
    )
    child_status_add(child=child, category=StatusCategory.WITHOUT_CARE, started_on=date(2026, 2, 1))
    carer_person = person_create(
        data=_person(almaly, last_name="Сейтжанова", first_name="Гүлнар"), by=alice
    )
    carer = carer_register(
        person=carer_person, kind=CarerKind.FOSTER, district=almaly, approved_on=date(2026, 2, 10)
    )
    placement = placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, started_on=date(2026, 2, 15), carer=carer
    )
    document = child_document_add(
        child=child, by=alice, title="Решение суда", upload=SimpleUploadedFile("court.pdf", PDF)
    )
    now = timezone.now()
    removal = removal_record(
        child=child, by=alice, removed_at=now - timedelta(days=1), reason="Угроза жизни",
        accompanied_by="Специалист", explained_to_child=True, psychologist_present=True,
        psychologist_absence_reason="", taken_to="Центр поддержки детей", prosecutor_notified_at=now,
    )  # fmt: skip
    family = family_services.family_create(name=f"{CHILD_SURNAME}ы", district=almaly, by=alice)
    family_services.family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    registration = family_services.police_registration_add(
        family=family,
        registered_on=date(2026, 4, 6),
        police_unit="ОП Алмалинского района",
        inspector="Инспектор (синтетический)",
        ground="Профилактический учёт",
    )
    o.update(
        child=child, carer=carer, placement=placement, document=document, removal=removal,
        family=family, registration=registration,
    )  # fmt: skip

    # --- referrals: rita's concern (not transferred) and pavel's police notice, transferred
    # by alice to the Almaly FSC and picked up by fatima, which opened the case
    concern, _created = referral_services.referral_create(
        data=referral_services.ReferralInput(
            kind=ReferralKind.CONCERN, district=almaly, source_organisation=school,
            child_name="Аружан Синтетикова", categories=[ConcernCategory.SCHOOL_ABSENCE],
            narrative=CONCERN_NARRATIVE,
        ),
        by=u["rita"],
        attachments=[SimpleUploadedFile("note.pdf", PDF)],
    )  # fmt: skip
    notice, _created = referral_services.referral_create(
        data=referral_services.ReferralInput(
            kind=ReferralKind.POLICE_NOTICE, district=almaly, source_organisation=police,
            channel="api", family_name="Синтетиковы",
            narrative=NOTICE_NARRATIVE, registered_at=REGISTERED,
            police_unit="ОП Алмалинского района", inspector="Инспектор (синтетический)",
            ground="Профилактический учёт",
        ),
        by=u["pavel"],
        now=REGISTERED,
        attachments=[SimpleUploadedFile("notice.pdf", PDF)],
    )  # fmt: skip
    referral_services.referral_transfer(referral=notice, by=alice, now=REGISTERED)
    referral_services.referral_pick_up(referral=notice, by=u["fatima"], now=REGISTERED)
    # Guardianship's own work on them: a triage reason, a scan of its own.
    referral_services.referral_triage(
        referral=concern, by=alice, decision=Status.CASEWORK, reason=TRIAGE_NOTE
    )
    guardianship_scan = referral_services.referral_attachment_add(
        referral=notice, by=alice, upload=SimpleUploadedFile(GUARDIANSHIP_SCAN, PDF)
    )
    o.update(
        concern=concern,
        concern_attachment=concern.attachments.get(),
        notice=notice,
        notice_attachment=notice.attachments.exclude(pk=guardianship_scan.pk).get(),
        guardianship_scan=guardianship_scan,
    )

    # --- the FSC case: assessment completed, plan approved with a measure, a visit with a
    # scanned act (as the `supported_case` fixture of tests/cases/conftest.py)
    fatima, gulnara = u["fatima"], u["gulnara"]
    case = Case.objects.get(referral=notice)
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    plan = case.plans.get()
    measure = plans.measure_add(
        plan=plan, by=fatima, support_type=SupportType.PSYCHOLOGICAL,
        description="Консультации психолога для матери", responsible_organisation=fsc,
        owner=None, due_on=timezone.localdate() + timedelta(days=20),
    )  # fmt: skip
    plans.plan_submit(plan=plan, by=fatima)
    plans.plan_approve(plan=plan, by=gulnara)
    contacts.contact_record(
        case=case, by=fatima, kind=ContactKind.VISIT, occurred_on=timezone.localdate(),
        findings=VISIT_FINDINGS,
        attachments=[SimpleUploadedFile("akt.pdf", PDF, content_type="application/pdf")],
    )  # fmt: skip
    contact = CaseContact.objects.get(case=case)
    # A new version of the plan is drafted (the approved one stays in force): the draft's
    # pages and actions have something to act on.
    draft = plans.plan_revise(case=case, by=fatima, reason="Семья переехала")
    o.update(
        case=case, plan=plan, measure=measure, draft_plan=draft,
        draft_measure=draft.measures.order_by("pk").first(),
        case_attachment=contact.attachments.get(),
    )  # fmt: skip

    # A second notice, picked up too: a case whose assessment is still a draft.
    second, _created = referral_services.referral_create(
        data=referral_services.ReferralInput(
            kind=ReferralKind.POLICE_NOTICE, district=almaly, source_organisation=police,
            channel="api", family_name="Синтетиковы-2", narrative="Второе уведомление.",
            registered_at=REGISTERED, police_unit="ОП Алмалинского района",
        ),
        by=u["pavel"],
        now=REGISTERED,
    )  # fmt: skip
    referral_services.referral_transfer(referral=second, by=alice, now=REGISTERED)
    referral_services.referral_pick_up(referral=second, by=fatima, now=REGISTERED)
    o["draft_case"] = Case.objects.get(referral=second)

    # --- the commission: the case on the agenda of a published meeting that kairat and
    # marat sit on (not dana), with the decision taken at the meeting
    saule = u["saule"]
    item = kdn_services.agenda_item_submit(
        by=fatima, organisation=fsc, case=case,
        question="Рассмотреть ненадлежащее исполнение родительских обязанностей",
    )  # fmt: skip
    meeting = kdn_services.meeting_create(
        commission=kdn, by=saule, held_at=timezone.now() + timedelta(days=5), quorum=2,
        members=[u["kairat"], u["marat"]], place="Акимат, каб. 101",
    )  # fmt: skip
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
    kdn_services.meeting_publish(meeting=meeting, by=saule)
    with time_machine.travel(meeting.held_at, tick=False):
        kdn_services.meeting_attendance_record(
            meeting=meeting, by=saule, present_ids={u["kairat"].pk, u["marat"].pk}
        )
    decision = kdn_services.decision_record(
        item=item, by=saule, kind="instruction", text="ЦПС: обеспечить посещение школы",
        votes_for=2, owner_organisation=fsc, owner=fatima,
        deadline=timezone.localdate() + timedelta(days=20),
    )  # fmt: skip
    meeting.refresh_from_db()  # published and held: its review window is set
    o.update(item=item, meeting=meeting, decision=decision)

    # --- a registry import checked for Almaly: one child typed into the official template
    o["registry_import"] = registry_import_create(
        district=almaly,
        by=alice,
        upload=SimpleUploadedFile(
            "registry.xlsx",
            fill(import_template_build(district=almaly), {CHILDREN.key: [import_child()]}),
        ),
        language="ru",
    )

    # --- one row of each model the admin site lists (its change and history pages)
    o["calendar_override"] = calendar_override_set(
        day=date(2026, 12, 31), kind="day_off", legal_basis="Синтетическое постановление", by=None
    )
    o["breach"] = breach_record(timer=Timer.objects.get(kind=TimerKind.COURT_CLAIM), now=now)
    o["audit_read"] = audit_read_record(request=_request(alice), obj=child)
    o["audit_alert"] = AuditAlert.objects.create(
        user=alice, window_start=now, counted_from=now, detected_at=now, count=51, threshold=50
    )
    o["api_token"] = ApiToken.objects.order_by("pk").first()
    o["event"] = Events.objects.order_by("pgh_created_at").first()
    o["group"] = Group.objects.create(name="Синтетическая группа")
    o["access_attempt"] = AccessAttempt.objects.create(
        username="bob", ip_address="10.0.0.9", user_agent="Synthetic", failures_since_start=2,
        get_data="", post_data="", http_accept="*/*", path_info="/accounts/login/",
    )  # fmt: skip
    o["access_log"] = AccessLog.objects.create(
        username="bob", ip_address="10.0.0.9", user_agent="Synthetic", http_accept="*/*",
        path_info="/accounts/login/",
    )  # fmt: skip
    return world


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
