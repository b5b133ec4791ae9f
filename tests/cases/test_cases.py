"""The FSC case: opening on pickup, the assessment clock on the working-day calendar,
transitions, closure and reopening, and telling guardianship within 24 hours."""

from datetime import date, timedelta
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.models import (
    CASE_TRANSITIONS,
    AssessmentDomain,
    Breach,
    Case,
    CaseEventKind,
    CaseStatus,
    ClosureOutcome,
    ContactKind,
    Timer,
    TimerKind,
    TimerStatus,
)
from casework.services import case_notices, cases, contacts
from casework.services.timers import timers_sweep
from referrals.models import Status
from tests.cases.conftest import PICKUP, almaty, notifications_from_now, rate_everything

pytestmark = pytest.mark.django_db


def _timer(kind, subject) -> Timer:
    return Timer.objects.filter(kind=kind, subject_id=subject.pk).latest("pk")


def test_it_opens_a_case_when_a_referral_is_picked_up(case, fatima, fsc):
    assert (case.organisation, case.lead, case.status) == (fsc, fatima, CaseStatus.ASSESSMENT)
    assert case.referral.status == Status.PICKED_UP
    assert case.events.get().kind == CaseEventKind.OPENED
    # Monday 11:00 + 3 working days: the close of Thursday.
    assert case.assessment.due_at == almaty(2026, 4, 9, 18, 30)
    timer = _timer(TimerKind.CASE_ASSESSMENT, case)
    assert (timer.due_at, timer.responsible, timer.status) == (
        case.assessment.due_at,
        fatima,
        TimerStatus.OPEN,
    )


def test_a_threat_to_life_gives_one_working_day(make_case):
    case = make_case(threat_to_life=True)
    assert case.threat_to_life
    assert case.assessment.due_at == almaty(2026, 4, 7, 18, 30)


@pytest.mark.parametrize(
    ("urgent", "due"),
    [(True, almaty(2025, 3, 26, 18, 30)), (False, almaty(2025, 3, 28, 18, 30))],
)
def test_the_assessment_clock_skips_nauryz(fsc, fatima, urgent, due):
    # Thursday 20.03.2025; 21-25 March were days off (Nauryz and its substitutes).
    case = cases.case_open(
        organisation=fsc,
        by=fatima,
        title="Синтетиковы",
        threat_to_life=urgent,
        now=almaty(2025, 3, 20, 15, 0),
    )
    assert case.assessment.due_at == due


def test_it_refuses_an_incomplete_assessment_and_keeps_the_case_where_it_was(case, fatima):
    cases.assessment_save(
        case=case,
        by=fatima,
        ratings={AssessmentDomain.SAFETY: (3, "Угроза со стороны отчима")},
        in_difficult_situation=True,
        grounds=[],
    )
    with pytest.raises(ValidationError) as refused:
        cases.assessment_complete(case=case, by=fatima)
    assert "Здоровье" in str(refused.value) or "Health" in str(refused.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT
    assert case.assessment.ratings.get().narrative == "Угроза со стороны отчима"


def test_a_difficult_situation_needs_its_grounds(case, fatima):
    cases.assessment_save(
        case=case,
        by=fatima,
        ratings={d.value: (1, "наблюдение") for d in AssessmentDomain},
        in_difficult_situation=True,
        grounds=[],
        conclusion="ТЖС",
    )
    with pytest.raises(ValidationError) as refused:
        cases.assessment_complete(case=case, by=fatima)
    assert "grounds" in refused.value.message_dict


def test_a_rating_without_a_narrative_is_refused(case, fatima):
    with pytest.raises(ValidationError):
        cases.assessment_save(
            case=case,
            by=fatima,
            ratings={AssessmentDomain.HOUSING: (2, "  ")},
            in_difficult_situation=None,
            grounds=[],
        )
    assert not case.assessment.ratings.exists()


def test_completing_the_assessment_moves_the_case_to_planning(case, fatima):
    rate_everything(case, fatima)
    at = almaty(2026, 4, 8, 10, 0)
    cases.assessment_complete(case=case, by=fatima, now=at)
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING
    assert case.plans.get().version == 1
    assert _timer(TimerKind.CASE_ASSESSMENT, case).status == TimerStatus.DONE
    assert case.referral.status == Status.IN_WORK
    with pytest.raises(ValidationError):
        cases.assessment_save(
            case=case, by=fatima, ratings={}, in_difficult_situation=False, grounds=[]
        )


def test_an_overdue_assessment_is_escalated_and_stays_on_the_worklist(
    case, fatima, gulnara, farida, client_for
):
    case_notices.case_inform_guardianship(case=case, by=fatima)
    new = notifications_from_now()
    due = case.assessment.due_at
    assert timers_sweep(now=due - timedelta(minutes=1))["expired"] == 0
    assert timers_sweep(now=due + timedelta(minutes=1))["expired"] == 1
    timer = _timer(TimerKind.CASE_ASSESSMENT, case)
    assert timer.status == TimerStatus.OVERDUE
    told = set(new.values_list("recipient__username", flat=True))
    assert told == {"fatima", "gulnara"}
    assert timers_sweep(now=due + timedelta(hours=2))["expired"] == 0  # escalated once

    page = client_for(fatima).get("/work/")
    assert f"/cases/{case.pk}/" in page.content.decode()
    assert page.context["work"]["overdue"] >= 1

    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima, now=due + timedelta(days=1))
    timer.refresh_from_db()
    assert timer.status == TimerStatus.DONE


@pytest.mark.parametrize(("source", "target"), list(product(CaseStatus.values, repeat=2)))
def test_every_transition_follows_the_map(case, fatima, source, target):
    Case.objects.filter(pk=case.pk).update(status=source)
    allowed = target in CASE_TRANSITIONS[source]
    events = case.events.count()
    if allowed:
        cases.case_move(case, to=target, kind=CaseEventKind.ASSIGNED, by=fatima)
        assert Case.objects.get(pk=case.pk).status == target
        assert case.events.count() == events + 1
    else:
        with pytest.raises(ValidationError):
            cases.case_move(case, to=target, kind=CaseEventKind.ASSIGNED, by=fatima)
        assert Case.objects.get(pk=case.pk).status == source
        assert case.events.count() == events


def test_closing_needs_an_outcome_and_closes_the_referral(case, fatima):
    with pytest.raises(ValidationError):
        cases.case_close(case=case, by=fatima, outcome="")
    with pytest.raises(ValidationError):
        cases.case_close(case=case, by=fatima, outcome=ClosureOutcome.OTHER, note=" ")
    cases.case_close(case=case, by=fatima, outcome=ClosureOutcome.MOVED_AWAY)
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, ClosureOutcome.MOVED_AWAY)
    assert case.referral.status == Status.CLOSED
    assert _timer(TimerKind.CASE_ASSESSMENT, case).status == TimerStatus.CANCELLED


def test_reopening_needs_a_reason_and_restarts_the_assessment_clock(case, fatima):
    cases.case_close(case=case, by=fatima, outcome=ClosureOutcome.MOVED_AWAY)
    with pytest.raises(ValidationError):
        cases.case_reopen(case=case, by=fatima, reason="")
    at = almaty(2026, 5, 4, 10, 0)  # Monday
    cases.case_reopen(case=case, by=fatima, reason="Семья вернулась в район", now=at)
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.outcome) == (CaseStatus.ASSESSMENT, None, "")
    # 5 and 6 May, then 7 May (Defender of the Fatherland Day) is off: the third is the 8th.
    assert case.assessment.due_at == almaty(2026, 5, 8, 18, 30)
    assert _timer(TimerKind.CASE_ASSESSMENT, case).status == TimerStatus.OPEN
    assert case.events.filter(kind=CaseEventKind.REOPENED, note="Семья вернулась в район").exists()


def test_returning_the_referral_closes_its_case(case, fatima):
    from referrals.services import referral_return

    referral_return(referral=case.referral, by=fatima, reason="Не наш район")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, ClosureOutcome.OTHER)


# --- guardianship is told within 24 hours --------------------------------------------


def test_a_key_event_starts_the_24_hour_clock_and_informing_stops_it(
    case, fatima, alice, hanna, rita
):
    opened = case.events.get(kind=CaseEventKind.OPENED)
    timer = _timer(TimerKind.GUARDIANSHIP_NOTICE, opened)
    assert timer.due_at == PICKUP + timedelta(hours=24)
    new = notifications_from_now()

    assert (
        case_notices.case_inform_guardianship(case=case, by=fatima, message="Семья на связи") == 1
    )
    timer.refresh_from_db()
    assert timer.status == TimerStatus.DONE
    subjects = dict(new.values_list("recipient__username", "subject"))
    assert set(subjects) == {"alice", "hanna"}
    assert "Семья на связи" in subjects["alice"]
    with pytest.raises(ValidationError):
        case_notices.case_inform_guardianship(case=case, by=fatima)


def test_when_nobody_informs_guardianship_the_system_does_and_records_a_breach(
    case, fatima, alice, gulnara, fsc
):
    new = notifications_from_now()
    due = PICKUP + timedelta(hours=24)
    assert timers_sweep(now=due - timedelta(seconds=1))["expired"] == 0
    timers_sweep(now=due + timedelta(seconds=1))
    breach = Breach.objects.get(kind=TimerKind.GUARDIANSHIP_NOTICE)
    assert breach.organisation == fsc
    assert new.filter(recipient=alice).count() == 1
    assert new.filter(recipient=gulnara).count() == 1
    assert case.events.filter(kind=CaseEventKind.GUARDIANSHIP_INFORMED, actor=None).exists()
    assert not case_notices.pending_notice_events(case)
    timers_sweep(now=due + timedelta(hours=1))
    assert Breach.objects.count() == 1


# --- visits, contacts, notes -------------------------------------------------------------


def test_a_visit_is_recorded_with_its_attachment(case, fatima):
    scan = SimpleUploadedFile("akt.pdf", b"%PDF-1.4 synthetic", content_type="application/pdf")
    contact = contacts.contact_record(
        case=case,
        by=fatima,
        kind=ContactKind.VISIT,
        occurred_on=date(2026, 4, 7),
        participants="мать, специалист ЦПС",
        findings="Условия проживания удовлетворительные.",
        attachments=[scan],
    )
    assert contact.attachments.get().content_type == "application/pdf"
    assert case.events.filter(kind=CaseEventKind.CONTACT).exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"occurred_on": timezone.localdate() + timedelta(days=1)},
        {"findings": "  "},
        {"kind": "phone"},
        {"attachments": [SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")]},
    ],
)
def test_a_bad_contact_changes_nothing(case, fatima, fields):
    data = {
        "kind": ContactKind.NOTE,
        "occurred_on": date(2026, 4, 7),
        "findings": "Заметка",
        **fields,
    }
    with pytest.raises(ValidationError):
        contacts.contact_record(case=case, by=fatima, **data)
    assert not case.contacts.exists()


def test_a_closed_case_takes_no_new_contacts(case, fatima):
    cases.case_close(case=case, by=fatima, outcome=ClosureOutcome.MOVED_AWAY)
    with pytest.raises(ValidationError):
        contacts.contact_record(
            case=case, by=fatima, kind=ContactKind.NOTE, occurred_on=date(2026, 4, 7), findings="x"
        )
