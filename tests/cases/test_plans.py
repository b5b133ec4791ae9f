"""The individual support plan: drafting, approval by the FSC head, the family's
signature, revisions that keep the version before readable, measures tracked to done
and escalated when overdue."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.deadlines import end_of_day
from casework.models import (
    CaseEventKind,
    CaseStatus,
    MeasureStatus,
    PlanStatus,
    SupportType,
    Timer,
    TimerKind,
    TimerStatus,
)
from casework.services import cases, plans
from casework.services.timers import timers_sweep
from tests.cases.conftest import notifications_from_now, rate_everything

pytestmark = pytest.mark.django_db
SOON = timezone.localdate() + timedelta(days=10)
LATER = timezone.localdate() + timedelta(days=30)


@pytest.fixture
def draft(case, fatima):
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    return case.plans.get()


def add(plan, by, *, due_on=SOON, support_type=SupportType.PSYCHOLOGICAL, owner=None):
    return plans.measure_add(
        plan=plan,
        by=by,
        support_type=support_type,
        description=f"Синтетическая мера: {support_type}",
        responsible_organisation=plan.case.organisation,
        owner=owner,
        due_on=due_on,
    )


@pytest.fixture
def approved(draft, fatima, gulnara):
    add(draft, fatima)
    add(draft, fatima, support_type=SupportType.BENEFITS, due_on=LATER)
    plans.plan_submit(plan=draft, by=fatima)
    return plans.plan_approve(plan=draft, by=gulnara)


def _measure_timer(measure) -> Timer:
    return Timer.objects.get(kind=TimerKind.PLAN_MEASURE, subject_id=measure.pk)


def test_an_empty_plan_cannot_be_submitted(draft, fatima):
    with pytest.raises(ValidationError):
        plans.plan_submit(plan=draft, by=fatima)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    "bad",
    [
        {"due_on": timezone.localdate() - timedelta(days=1)},
        {"support_type": "astrology"},
        {"description": "   "},
    ],
)
def test_a_bad_measure_is_refused(draft, fatima, bad):
    data = {
        "support_type": SupportType.SOCIAL,
        "description": "Оформить пособие",
        "responsible_organisation": draft.case.organisation,
        "owner": None,
        "due_on": SOON,
        **bad,
    }
    with pytest.raises(ValidationError):
        plans.measure_add(plan=draft, by=fatima, **data)
    assert not draft.measures.exists()


def test_the_head_approves_and_the_measures_clocks_start(approved, fatima, gulnara):
    case = approved.case
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPORT
    assert (approved.status, approved.approved_by) == (PlanStatus.APPROVED, gulnara)
    for measure in approved.measures.all():
        timer = _measure_timer(measure)
        assert timer.due_at == end_of_day(measure.due_on)
        assert timer.responsible == fatima  # no owner named: the lead follows it up
    assert case.events.filter(kind=CaseEventKind.PLAN_APPROVED).exists()
    with pytest.raises(ValidationError):  # an approved version no longer changes
        add(approved, fatima)


def test_the_head_can_return_a_draft_with_remarks(draft, fatima, gulnara):
    add(draft, fatima)
    plans.plan_submit(plan=draft, by=fatima)
    with pytest.raises(ValidationError):
        plans.plan_return(plan=draft, by=gulnara, note="")
    plans.plan_return(plan=draft, by=gulnara, note="Добавьте меры по занятости")
    draft.refresh_from_db()
    assert (draft.status, draft.return_note) == (PlanStatus.DRAFT, "Добавьте меры по занятости")


def test_the_family_signs_once_and_not_in_the_future(approved, fatima):
    with pytest.raises(ValidationError):
        plans.plan_sign(plan=approved, by=fatima, signed_on=timezone.localdate() + timedelta(1))
    plans.plan_sign(plan=approved, by=fatima, signed_on=timezone.localdate())
    with pytest.raises(ValidationError):
        plans.plan_sign(plan=approved, by=fatima, signed_on=timezone.localdate())
    approved.refresh_from_db()
    assert approved.signed_by_family_on == timezone.localdate()


def test_a_revision_keeps_the_approved_version_readable_until_it_replaces_it(
    approved, fatima, gulnara, client_for
):
    case = approved.case
    first, second = approved.measures.order_by("pk")
    plans.measure_complete(measure=first, by=fatima, done_on=timezone.localdate(), result="Сделано")
    with pytest.raises(ValidationError):
        plans.plan_revise(case=case, by=fatima, reason="")
    revision = plans.plan_revise(case=case, by=fatima, reason="Мать устроилась на работу")
    assert (revision.version, revision.status) == (2, PlanStatus.DRAFT)
    copied = {m.carried_from_id: m for m in revision.measures.all()}
    assert copied[first.pk].status == MeasureStatus.DONE
    assert copied[second.pk].status == MeasureStatus.PLANNED
    with pytest.raises(ValidationError):  # one revision at a time
        plans.plan_revise(case=case, by=fatima, reason="ещё одна")

    # Version 1 stays in force while version 2 is drafted.
    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED
    assert _measure_timer(second).status == TimerStatus.OPEN

    plans.measure_drop(measure=copied[second.pk], by=fatima)
    add(revision, fatima, support_type=SupportType.EMPLOYMENT, due_on=LATER)
    plans.plan_submit(plan=revision, by=fatima)
    plans.plan_approve(plan=revision, by=gulnara)
    approved.refresh_from_db()
    assert approved.status == PlanStatus.SUPERSEDED
    assert _measure_timer(second).status == TimerStatus.CANCELLED
    new = revision.measures.get(support_type=SupportType.EMPLOYMENT)
    assert _measure_timer(new).status == TimerStatus.OPEN

    # The version before is still there to read, as it was.
    page = client_for(fatima).get(f"/cases/{case.pk}/plan/v1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Синтетическая мера: benefits" in text and "Сделано" in text


def test_an_overdue_measure_is_escalated_once_and_closed_when_done(
    approved, fatima, gulnara, farida
):
    measure = approved.measures.get(support_type=SupportType.PSYCHOLOGICAL)
    due = end_of_day(measure.due_on)
    new = notifications_from_now()
    timers_sweep(now=due - timedelta(minutes=1))
    assert _measure_timer(measure).status == TimerStatus.OPEN
    timers_sweep(now=due + timedelta(minutes=1))
    timer = _measure_timer(measure)
    assert timer.status == TimerStatus.OVERDUE
    told = set(new.values_list("recipient__username", flat=True))
    assert {"fatima", "gulnara"} <= told and "farida" not in told
    assert approved.case.events.filter(kind=CaseEventKind.MEASURE_ESCALATED).count() == 1
    timers_sweep(now=due + timedelta(days=1))
    assert approved.case.events.filter(kind=CaseEventKind.MEASURE_ESCALATED).count() == 1

    with pytest.raises(ValidationError):
        plans.measure_complete(measure=measure, by=fatima, done_on=timezone.localdate(), result="")
    plans.measure_complete(
        measure=measure, by=fatima, done_on=timezone.localdate(), result="Консультация проведена"
    )
    timer.refresh_from_db()
    assert timer.status == TimerStatus.DONE
    with pytest.raises(ValidationError):  # done once
        plans.measure_complete(measure=measure, by=fatima, done_on=timezone.localdate(), result="x")
