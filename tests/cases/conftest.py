"""Casework personas: the FSC head, a second specialist, the commission's secretary and
members, and a case opened the way it is in life: a police notice picked up from the
FSC inbox."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from casework.models import AssessmentDomain, Case, DecisionKind, Notification, Role, SupportType
from casework.services import cases, plans
from casework.services import kdn as kdn_services
from casework.working_days import ALMATY
from families.models import DifficultSituationGround
from families.reference import difficult_situation_grounds_ensure
from referrals import services as referral_services
from tests.children.conftest import make_carer, make_child, make_person  # noqa: F401 - shared fixtures
from tests.factories import staff

# Monday 6 April 2026, 11:00 in Almaty: an ordinary working week.
PICKUP = datetime(2026, 4, 6, 11, 0, tzinfo=ALMATY)


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


@pytest.fixture(autouse=True)
def grounds(db):
    difficult_situation_grounds_ensure()


@pytest.fixture
def saule(kdn):
    """The commission's secretary, Almaly."""
    return staff(Role.KDN_SECRETARY, kdn, username="saule")


@pytest.fixture
def marat(kdn):
    """A second KDN member, Almaly."""
    return staff(Role.KDN_MEMBER, kdn, username="marat")


@pytest.fixture
def dana(kdn):
    """A KDN member who does not sit on the meeting under test."""
    return staff(Role.KDN_MEMBER, kdn, username="dana")


@pytest.fixture
def make_case(make_notice, alice, fatima, fsc, guardianship, gulnara):
    """A police notice transferred by alice and picked up by fatima, which opens the case."""

    def make(*, at: datetime = PICKUP, **fields) -> Case:
        notice = make_notice(registered_at=at, **fields)
        referral_services.referral_transfer(referral=notice, by=alice, now=at)
        referral_services.referral_pick_up(referral=notice, by=fatima, now=at)
        return Case.objects.get(referral=notice)

    return make


@pytest.fixture
def case(make_case) -> Case:
    return make_case()


def notifications_from_now():
    """The notifications written after this call. The table refuses deletes (they are part
    of the record), so a test looks only at what is new."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return Notification.objects.filter(pk__gt=last)


def rate_everything(case, by, *, in_situation=True):
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    cases.assessment_save(
        case=case,
        by=by,
        ratings={d.value: (2, f"Синтетическое наблюдение: {d.label}") for d in AssessmentDomain},
        in_difficult_situation=in_situation,
        grounds=[ground] if in_situation else [],
        conclusion="Семья нуждается в поддержке.",
    )


# --- the commission: a supported case on a published agenda ---------------------------


@pytest.fixture
def supported_case(case, fatima, gulnara):
    """A case with a completed assessment and an approved plan."""
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    plan = case.plans.get()
    plans.measure_add(
        plan=plan,
        by=fatima,
        support_type=SupportType.PSYCHOLOGICAL,
        description="Консультации психолога для матери",
        responsible_organisation=case.organisation,
        owner=None,
        due_on=timezone.localdate() + timedelta(days=20),
    )
    plans.plan_submit(plan=plan, by=fatima)
    plans.plan_approve(plan=plan, by=gulnara)
    return case


@pytest.fixture
def item(supported_case, fatima, kdn, saule):
    return kdn_services.agenda_item_submit(
        by=fatima,
        organisation=supported_case.organisation,
        case=supported_case,
        question="Рассмотреть ненадлежащее исполнение родительских обязанностей",
    )


@pytest.fixture
def meeting(kdn, saule, kairat, marat):
    return kdn_meeting(kdn, saule, [kairat, marat])


def kdn_meeting(commission, secretary, members, *, days=5, quorum=2):
    return kdn_services.meeting_create(
        commission=commission,
        by=secretary,
        held_at=timezone.now() + timedelta(days=days),
        quorum=quorum,
        members=members,
        place="Акимат, каб. 101",
    )


@pytest.fixture
def published(meeting, item, saule):
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
    return kdn_services.meeting_publish(meeting=meeting, by=saule)


def at_meeting(meeting, saule, present):
    with time_machine.travel(meeting.held_at, tick=False):
        kdn_services.meeting_attendance_record(
            meeting=meeting, by=saule, present_ids={u.pk for u in present}
        )


def decide(item, saule, **fields):
    data = {
        "kind": DecisionKind.INSTRUCTION,
        "text": "ЦПС: обеспечить посещение школы",
        "votes_for": 2,
        "owner_organisation": item.case.organisation,
        "owner": item.case.lead,
        "deadline": timezone.localdate() + timedelta(days=20),
        **fields,
    }
    return kdn_services.decision_record(item=item, by=saule, **data)
