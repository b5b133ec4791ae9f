"""Two people acting on the same case at the same moment: exactly one outcome."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import timezone

from casework.models import (
    CaseEventKind,
    ClosureOutcome,
    PlanStatus,
    Role,
    SupportType,
    Timer,
    TimerKind,
)
from casework.services import cases, plans
from tests.cases.conftest import rate_everything
from tests.factories import staff

pytestmark = pytest.mark.django_db(transaction=True)


def race(actions) -> list:
    """Run the actions at the same moment; return what each one ended in."""
    barrier = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(n, action):
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[n] = "done"
        except ValidationError as refused:
            outcomes[n] = refused.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_heads_approving_one_plan_approve_it_once(case, fatima, gulnara, fsc):
    second_head = staff(Role.FSC_HEAD, fsc, username="aigul")
    rate_everything(case, fatima)
    cases.assessment_complete(case=case, by=fatima)
    plan = case.plans.get()
    plans.measure_add(
        plan=plan,
        by=fatima,
        support_type=SupportType.SOCIAL,
        description="Мера",
        responsible_organisation=fsc,
        owner=None,
        due_on=timezone.localdate() + timedelta(days=5),
    )
    plans.plan_submit(plan=plan, by=fatima)
    outcomes = race(
        [lambda h=h: plans.plan_approve(plan=plan, by=h) for h in (gulnara, second_head)]
    )
    assert sorted(o == "done" for o in outcomes) == [False, True]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert case.events.filter(kind=CaseEventKind.PLAN_APPROVED).count() == 1
    assert Timer.objects.filter(kind=TimerKind.PLAN_MEASURE).count() == 1


def test_closing_a_case_twice_at_once_closes_it_once(case, fatima, gulnara):
    outcomes = race(
        [
            lambda u=u: cases.case_close(case=case, by=u, outcome=ClosureOutcome.MOVED_AWAY)
            for u in (fatima, gulnara)
        ]
    )
    assert sorted(o == "done" for o in outcomes) == [False, True]
    assert case.events.filter(kind=CaseEventKind.CLOSED).count() == 1
