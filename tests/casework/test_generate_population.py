"""The population generator: a small country (2,000 children, 300 open notices) made by
the real command in parallel parts, checked with queries against the rules the services
keep. It is generated twice with the same seed (with two processes, then with one) and
must come out the same; the second copy stays for the tests and is flushed at the end."""

import hashlib
import io
import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from casework.iin import parse_iin
from casework.models import (
    CASE_TRANSITIONS,
    AgendaItem,
    AgendaItemStatus,
    Breach,
    Case,
    CaseEvent,
    CaseStatus,
    District,
    KdnMeeting,
    MeetingStatus,
    Notification,
    Organisation,
    OrganisationKind,
    Role,
    StaffMembership,
    Timer,
    TimerKind,
    TimerStatus,
    User,
)
from casework.population.plan import district_count
from children.models import (
    Carer,
    CarerKind,
    Child,
    ChildStatus,
    Person,
    Placement,
    PlacementForm,
    StatusCategory,
)
from children.statistics import statistics_table
from families.models import Family
from referrals import deadlines
from referrals.models import TRANSITIONS, Referral, ReferralEvent, ReferralKind, Status

CHILDREN, OPEN_NOTICES = 2_000, 300


@dataclass
class Run:
    now: datetime
    output: str
    fingerprint: dict[str, str]


def _generate(now: datetime, workers: int) -> Run:
    out = io.StringIO()
    call_command(
        "generate_population", children=CHILDREN, open_notices=OPEN_NOTICES, seed=7,
        workers=workers, part_size=500, now=now, stdout=out,
    )  # fmt: skip
    return Run(now, out.getvalue(), _fingerprint())


def _fingerprint() -> dict[str, str]:
    """Checksums of the data in id order, ids themselves left out (a flushed database
    does not reset its sequences)."""
    queries = {
        "iins": "SELECT string_agg(iin, ',' ORDER BY id) FROM children_person",
        "people": "SELECT md5(string_agg(concat_ws('|', last_name, first_name, patronymic, birth_date, sex, search_key), ',' ORDER BY id)) FROM children_person",
        "referrals": "SELECT md5(string_agg(concat_ws('|', kind, status, received_at, registered_at, transfer_due_at, child_name), ',' ORDER BY id)) FROM referrals_referral",
        "timers": "SELECT md5(string_agg(concat_ws('|', kind, status, started_at, due_at, remind_at, reminded_at, closed_at), ',' ORDER BY id)) FROM casework_timer",
        "cases": "SELECT md5(string_agg(concat_ws('|', status, title, opened_at, closed_at, outcome), ',' ORDER BY id)) FROM casework_case",
        "meetings": "SELECT md5(string_agg(concat_ws('|', status, held_at, quorum), ',' ORDER BY id)) FROM casework_kdnmeeting",
        "users": "SELECT md5(string_agg(concat_ws('|', username, last_name, first_name), ',' ORDER BY id)) FROM casework_user WHERE username NOT LIKE 'api-%%'",
    }  # fmt: skip
    with connection.cursor() as cursor:
        found = {}
        for name, sql in queries.items():
            cursor.execute(sql)
            value = cursor.fetchone()[0] or ""
            found[name] = hashlib.sha256(value.encode()).hexdigest() if name == "iins" else value
        return found


def _flush() -> None:
    # As pytest-django does after a transactional test: TRUNCATE, which the tables'
    # delete-protection triggers (row triggers on DELETE) do not stop.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False)


@pytest.fixture(scope="module")
def population(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        now = timezone.now().replace(microsecond=0)
        try:
            first = _generate(now, workers=2)
            _flush()
            second = _generate(now, workers=1)
            yield first, second
        finally:
            _flush()


@pytest.fixture
def run(population, db):
    return population[1]


def test_the_same_seed_gives_the_same_data_however_many_processes(population):
    first, second = population
    assert first.fingerprint == second.fingerprint
    assert all(first.fingerprint.values())


def test_it_reports_rows_and_time(run):
    assert "children.Child" in run.output and "2,000" in run.output
    assert "Done in" in run.output and "Database size" in run.output


def test_it_refuses_a_database_with_case_data(run):
    with pytest.raises(CommandError, match="already holds case data"):
        call_command("generate_population", children=10, stdout=io.StringIO())


def test_districts_scale_with_the_children_and_have_their_organisations(run):
    districts = list(District.objects.all())
    assert len(districts) == district_count(CHILDREN) == 2
    assert sum(d.child_population for d in districts) == CHILDREN
    for district in districts:
        kinds = Counter(district.organisations.values_list("kind", flat=True))
        assert kinds[OrganisationKind.GUARDIANSHIP] == kinds[OrganisationKind.KDN] == 1
        assert kinds[OrganisationKind.SCHOOL] >= 1 and kinds[OrganisationKind.POLICE] == 1
    assert Organisation.objects.filter(kind=OrganisationKind.FSC).count() >= 1


def test_every_login_shares_the_one_password_hash(run):
    hashes = set(User.objects.exclude(username__startswith="api-").values_list("password", flat=True))  # fmt: skip
    assert len(hashes) == 1
    assert User.objects.get(username="r01d01.opeka.head").check_password("qamqor-demo-2026")


def test_every_child_has_a_person_with_a_valid_unique_iin(run):
    rows = list(Child.objects.values_list("person__iin", "person__birth_date", "person__sex"))
    assert len(rows) == CHILDREN
    for iin, born, sex in rows:
        facts = parse_iin(iin)
        assert (facts.birth_date, facts.sex) == (born, sex)
    iins = list(Person.objects.values_list("iin", flat=True))
    assert None not in iins and len(set(iins)) == len(iins)
    assert all(parse_iin(iin) for iin in iins)


def test_families_hold_about_two_to_three_children(run):
    families = Family.objects.count()
    assert CHILDREN / 3 < families < CHILDREN / 2


def test_placements_are_with_carers_or_organisations_of_the_childs_district(run):
    placements = Placement.objects.select_related("child", "carer", "organisation")
    assert placements.exists()
    for placement in placements:
        holder = placement.carer or placement.organisation
        assert holder.district_id == placement.child.district_id
    active = Counter(
        Placement.objects.filter(
            ended_on=None, is_addition=False, carer__kind=CarerKind.PROFESSIONAL_FOSTER
        ).values_list("carer", flat=True)
    )
    assert all(n <= 4 for n in active.values())  # the families here are small
    orphans = Child.objects.filter(identified_without_care_at__isnull=False)
    assert orphans.exists() and orphans.count() < CHILDREN * 0.02


def test_every_open_notice_has_one_open_transfer_timer_due_as_the_service_computes(run):
    notices = Referral.objects.filter(kind=ReferralKind.POLICE_NOTICE, status=Status.REGISTERED)
    assert notices.count() >= OPEN_NOTICES
    timers = defaultdict(list)
    for timer in Timer.objects.filter(kind=TimerKind.REFERRAL_TRANSFER):
        timers[timer.subject_id].append(timer)
    due_by_day = {}
    for notice in notices:
        (timer,) = timers[notice.pk]
        assert timer.status == TimerStatus.OPEN
        day = timezone.localdate(notice.registered_at)
        if day not in due_by_day:  # the deadline depends on the day only
            due_by_day[day] = deadlines.transfer_due_at(notice.registered_at)
            assert deadlines.transfer_remind_at(due_by_day[day]) == timer.remind_at
        assert timer.due_at == notice.transfer_due_at == due_by_day[day]
        assert timer.due_at > run.now and timer.started_at == notice.received_at
        assert notice.registered_at <= notice.received_at <= run.now


def test_transfer_timers_end_as_the_referral_went(run):
    for timer in Timer.objects.filter(kind=TimerKind.REFERRAL_TRANSFER).exclude(status=TimerStatus.OPEN):  # fmt: skip
        referral = Referral.objects.get(pk=timer.subject_id)
        kinds = set(referral.events.values_list("kind", flat=True))
        if timer.status == TimerStatus.EXPIRED:
            breach = Breach.objects.get(timer=timer)
            assert breach.due_at == timer.due_at and breach.recorded_at == timer.closed_at
            assert {"breached", "auto_transferred"} <= kinds and referral.transferred_automatically
            assert referral.transferred_at == timer.closed_at > timer.due_at
        else:
            assert timer.status == TimerStatus.DONE and "transferred" in kinds
            assert referral.transferred_at == timer.closed_at <= timer.due_at


def test_nothing_happened_after_the_moment_of_generation(run):
    moments = {
        "referrals_referral": ["received_at", "registered_at", "transferred_at", "picked_up_at", "updated_at"],
        "referrals_referralevent": ["at"],
        "casework_timer": ["started_at", "reminded_at", "closed_at"],
        "casework_breach": ["recorded_at"],
        "casework_case": ["opened_at", "closed_at", "updated_at"],
        "casework_caseevent": ["at"],
        "casework_assessment": ["completed_at"],
        "casework_supportplan": ["created_at", "approved_at"],
        "casework_casecontact": ["recorded_at"],
        "casework_commissiondecision": ["recorded_at", "executed_at"],
        "casework_agendaitem": ["submitted_at"],
        "casework_notification": ["created_at", "sent_at", "read_at"],
        "children_child": ["created_at", "identified_without_care_at", "closed_at"],
        "children_person": ["created_at"],
        "children_removal": ["removed_at"],
        "families_family": ["created_at"],
    }  # fmt: skip
    with connection.cursor() as cursor:
        for table, columns in moments.items():
            cursor.execute(f"SELECT {', '.join(f'max({c})' for c in columns)} FROM {table}")  # noqa: S608
            for column, latest in zip(columns, cursor.fetchone(), strict=True):
                assert latest is None or latest <= run.now, (table, column, latest)
        # A referral's timeline starts with its receipt; a linked file was there before.
        cursor.execute(
            "SELECT count(*) FROM referrals_referralevent e JOIN referrals_referral r"
            " ON r.id = e.referral_id LEFT JOIN children_child c ON c.id = r.child_id"
            " WHERE e.at < r.received_at OR c.created_at > r.received_at"
        )
        assert cursor.fetchone()[0] == 0


def test_referral_states_follow_the_transition_map_to_their_last_event(run):
    events = defaultdict(list)
    for event in ReferralEvent.objects.order_by("at", "pk"):
        events[event.referral_id].append(event)
    seen = Counter()
    for referral in Referral.objects.all():
        moves = [e for e in events[referral.pk] if e.to_status]
        assert moves[0].kind == "created" and not moves[0].from_status
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.to_status
            assert after.to_status in TRANSITIONS[before.to_status]
        assert referral.status == moves[-1].to_status
        assert referral.updated_at == events[referral.pk][-1].at
        seen[referral.status] += 1
    assert set(seen) == set(Status.values)  # every state


def test_case_states_follow_the_transition_map_and_their_referrals(run):
    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("at", "pk"):
        events[event.case_id].append(event)
    for case in Case.objects.select_related("referral", "assessment"):
        moves = [e for e in events[case.pk] if e.to_status]
        assert moves[0].kind == "opened"
        for before, after in itertools.pairwise(moves):
            assert after.from_status == before.to_status
            assert after.to_status in CASE_TRANSITIONS[before.to_status]
        assert case.status == moves[-1].to_status
        assert (case.assessment.completed_at is None) == (
            "assessed" not in {e.kind for e in events[case.pk]}
        )
        if case.status == CaseStatus.CLOSED:
            assert case.closed_at and case.outcome
        if case.referral:
            expected = {
                CaseStatus.ASSESSMENT: {Status.PICKED_UP},
                CaseStatus.PLANNING: {Status.IN_WORK},
                CaseStatus.SUPPORT: {Status.IN_WORK},
                CaseStatus.CLOSED: {Status.CLOSED, Status.RETURNED},
            }[case.status]
            assert case.referral.status in expected
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)


def test_picked_up_referrals_have_their_case(run):
    for referral in Referral.objects.filter(status__in=[Status.PICKED_UP, Status.IN_WORK, Status.CLOSED]):  # fmt: skip
        assert referral.case.referral_id == referral.pk


def test_running_timers_belong_to_live_work(run):
    for timer in Timer.objects.filter(status__in=[TimerStatus.OPEN, TimerStatus.OVERDUE]):
        model = timer.subject_type.model_class()
        subject = model.objects.get(pk=timer.subject_id)
        if timer.kind == TimerKind.CASE_ASSESSMENT:
            assert subject.status == CaseStatus.ASSESSMENT
        if timer.kind == TimerKind.REFERRAL_PICKUP:
            assert subject.status == Status.TRANSFERRED
        if timer.kind == TimerKind.PLAN_MEASURE:
            assert subject.plan.case.status == CaseStatus.SUPPORT
        assert (timer.status == TimerStatus.OPEN) == (timer.due_at > run.now)
    assert not Notification.objects.filter(sent_at=None).exists()  # no e-mail flood


def test_every_meeting_state_and_agenda_item_state_is_there(run):
    assert set(KdnMeeting.objects.values_list("status", flat=True)) >= {
        MeetingStatus.HELD, MeetingStatus.PLANNED,
    }  # fmt: skip
    for item in AgendaItem.objects.filter(status=AgendaItemStatus.DECIDED).select_related("meeting"):  # fmt: skip
        assert item.meeting.status == MeetingStatus.HELD and item.decisions.exists()
        present = item.meeting.members.filter(present=True).count()
        assert present >= item.meeting.quorum
        assert all(d.votes_for * 2 > present for d in item.decisions.all())


def test_the_statistics_parts_add_up_to_their_total(run):
    table = statistics_table(
        day=timezone.localdate(), district_ids=list(District.objects.values_list("pk", flat=True))
    )
    for row in [*table.rows, table.total]:
        assert sum(row.cells.values()) == row.total
    assert table.total.total == sum(row.total for row in table.rows) > 0
    without_care = ChildStatus.objects.filter(
        category__in=[StatusCategory.ORPHAN, StatusCategory.WITHOUT_CARE], ended_on=None
    )
    in_care = Placement.objects.filter(ended_on=None, is_addition=False).exclude(form=PlacementForm.ADOPTION)  # fmt: skip
    expected = Child.objects.filter(archived_at=None).filter(
        pk__in=without_care.values("child")
    ) | Child.objects.filter(pk__in=in_care.values("child"))
    assert table.total.total == expected.distinct().count()
    assert table.total.disabled > 0


def test_the_pages_of_a_district_head_open(run, client_for):
    head = User.objects.get(username="r01d01.opeka.head")
    district = StaffMembership.objects.get(user=head, role=Role.GUARDIANSHIP_HEAD).organisation.district  # fmt: skip
    child = Child.objects.filter(district=district).order_by("-placements", "pk").first()
    family = Family.objects.filter(district=district).first()
    referral = Referral.objects.filter(district=district, child__isnull=False).first()
    carers = [f"/registry/carers/{c.pk}/" for c in Carer.objects.filter(district=district)[:1]]
    client = client_for(head)
    for url in [
        "/", "/work/", "/dashboard/", "/referrals/", "/referrals/?status=registered",
        "/registry/children/", f"/registry/children/{child.pk}/", "/registry/families/",
        f"/registry/families/{family.pk}/", f"/referrals/{referral.pk}/", "/registry/carers/",
        *carers, "/statistics/", "/staff/", "/cases/",
    ]:  # fmt: skip
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("username", "urls"),
    [
        ("r01d01.opeka01", ["/", "/referrals/", "/registry/children/"]),
        ("r01d01.cps.head", ["/", "/fsc/inbox/", "/cases/", "/dashboard/"]),
        ("r01d01.cps01", ["/", "/fsc/inbox/", "/cases/"]),
        ("r01d01.kdn.secretary", ["/", "/kdn/"]),
        ("r01.analyst", ["/", "/statistics/", "/dashboard/"]),
        ("kz.analyst", ["/statistics/"]),
    ],
)
def test_the_other_demo_logins_open_their_pages(run, client_for, username, urls):
    client = client_for(User.objects.get(username=username))
    for url in urls:
        assert client.get(url).status_code == 200, (username, url)
