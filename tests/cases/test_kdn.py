"""The Commission on Minors: agenda built from submitted files, the members' reading
window, the one-page summary and PDF packet, quorum and votes, and instructions tracked
to execution with escalation to the secretary."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from casework.kdn_selectors import agenda_summary
from casework.models import (
    AgendaItem,
    AgendaItemStatus,
    AuditRead,
    CaseEventKind,
    MeetingStatus,
    Notification,
    Timer,
    TimerKind,
    TimerStatus,
)
from casework.services import kdn as kdn_services
from casework.services.timers import timers_sweep
from tests.cases.conftest import at_meeting, decide, kdn_meeting, notifications_from_now

pytestmark = pytest.mark.django_db


def test_a_submitted_file_waits_for_the_secretary(item, saule, supported_case):
    assert (item.status, item.commission.kind) == (AgendaItemStatus.SUBMITTED, "kdn")
    assert supported_case.events.filter(kind=CaseEventKind.SUBMITTED_TO_KDN).exists()
    assert Notification.objects.filter(recipient=saule).exists()
    with pytest.raises(ValidationError):  # once is enough
        kdn_services.agenda_item_submit(
            by=item.submitted_by,
            organisation=item.submitting_organisation,
            case=supported_case,
            question="ещё раз",
        )


def test_the_secretary_builds_and_publishes_the_agenda(meeting, item, saule, kairat):
    with pytest.raises(ValidationError):  # nothing to publish yet
        kdn_services.meeting_publish(meeting=meeting, by=saule)
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
    item.refresh_from_db()
    assert (item.status, item.position) == (AgendaItemStatus.SCHEDULED, 1)
    meeting = kdn_services.meeting_publish(meeting=meeting, by=saule)
    assert meeting.status == MeetingStatus.PUBLISHED
    assert meeting.review_until == meeting.held_at + timedelta(days=3)
    assert Notification.objects.filter(recipient=kairat).exists()


def test_quorum_must_be_possible(kdn, saule, kairat):
    with pytest.raises(ValidationError):
        kdn_meeting(kdn, saule, [kairat], quorum=2)


def test_members_must_belong_to_the_commission(kdn, saule, alice):
    with pytest.raises(ValidationError):
        kdn_meeting(kdn, saule, [alice], quorum=1)


# --- the members' reading window ---------------------------------------------------------


def test_a_member_reads_the_agenda_files_only_in_the_window(
    meeting, item, saule, kairat, client_for
):
    member = client_for(kairat)
    url = f"/kdn/items/{item.pk}/"
    kdn_services.agenda_item_schedule(item=item, meeting=meeting, by=saule)
    assert member.get(url).status_code == 404  # before publication
    assert member.get(f"/kdn/meetings/{meeting.pk}/").status_code == 404

    kdn_services.meeting_publish(meeting=meeting, by=saule)
    assert member.get(url).status_code == 200
    assert member.get(f"/kdn/meetings/{meeting.pk}/").status_code == 200

    with time_machine.travel(meeting.held_at + timedelta(days=2), tick=False):
        # after the meeting, inside the window (a new sign-in: days have passed)
        assert client_for(kairat).get(url).status_code == 200
    with time_machine.travel(meeting.held_at + timedelta(days=3, minutes=1), tick=False):
        member = client_for(kairat)
        assert member.get(url).status_code == 404
        assert member.get(f"/kdn/items/{item.pk}/packet.pdf").status_code == 404


def test_a_member_not_on_the_meeting_sees_nothing(published, item, dana, client_for):
    assert client_for(dana).get(f"/kdn/items/{item.pk}/").status_code == 404
    assert client_for(dana).get(f"/kdn/meetings/{published.pk}/").status_code == 404


def test_a_member_cannot_open_any_other_file(published, item, kairat, client_for, supported_case):
    member = client_for(kairat)
    assert member.get(f"/cases/{supported_case.pk}/").status_code in {403, 404}
    assert member.get(f"/referrals/{supported_case.referral_id}/").status_code in {403, 404}
    assert member.get("/registry/children/").status_code in {403, 404}
    other = AgendaItem.objects.create(
        commission=item.commission,
        family=None,
        case=supported_case,
        question="другое",
        submitted_by=item.submitted_by,
        submitting_organisation=item.submitting_organisation,
        submitted_at=timezone.now(),
    )
    assert member.get(f"/kdn/items/{other.pk}/").status_code == 404


def test_every_read_by_a_member_is_audited(published, item, kairat, client_for):
    client_for(kairat).get(f"/kdn/items/{item.pk}/")
    client_for(kairat).get(f"/kdn/items/{item.pk}/packet.pdf")
    reads = AuditRead.objects.filter(user=kairat)
    item_type = ContentType.objects.get_for_model(AgendaItem)
    assert set(reads.filter(content_type=item_type).values_list("action", flat=True)) == {
        "view",
        "print",
    }
    case_reads = reads.filter(object_id=str(item.case_id)).exclude(content_type=item_type)
    assert case_reads.count() == 2


# --- the one-page summary and the packet -----------------------------------------------


def test_the_summary_says_who_what_happened_what_was_tried_and_the_risks(published, item):
    summary = agenda_summary(item=item)
    assert summary.case == item.case
    assert [r.pk for r in summary.referrals] == [item.case.referral_id]
    assert {r.domain for r in summary.risks} == {
        "safety",
        "health",
        "education",
        "housing",
        "income",
        "parenting",
        "violence",
        "disability",
    }
    assert [m.description for m in summary.measures] == ["Консультации психолога для матери"]
    html = render_to_string("kdn/packet.html", {"item": item, "s": summary})
    for expected in (
        "Синтетиковы",
        "Рассмотреть ненадлежащее исполнение",
        "Консультации психолога для матери",
        "Синтетическое наблюдение",
    ):
        assert expected in html


def test_the_summary_carries_the_childs_own_words(published, item, make_child, alice):
    from children.services.files import child_view_record

    child = make_child()
    AgendaItem.objects.filter(pk=item.pk).update(child=child)
    item.refresh_from_db()
    child_view_record(
        child=child,
        by=alice,
        heard_on=timezone.localdate(),
        decision="Вопрос КДН",
        words="Хочу жить с бабушкой",
    )
    summary = agenda_summary(item=item)
    assert [v.words for v in summary.views] == ["Хочу жить с бабушкой"]
    assert "Хочу жить с бабушкой" in render_to_string(
        "kdn/packet.html", {"item": item, "s": summary}
    )


def test_the_summary_of_a_child_and_a_family_shows_every_part(
    published, item, make_child, make_carer, alice, hanna, almaly, saule
):
    from datetime import date

    from children.models import PlacementForm, StatusCategory
    from children.services.files import child_status_add
    from children.services.placements import placement_start, removal_record
    from families import services as families
    from families.models import DifficultSituationGround, Relation

    child = make_child(last_name="Канареева", first_name="Дана")
    child_status_add(child=child, category=StatusCategory.ORPHAN, started_on=date(2026, 1, 5))
    carer = make_carer(last_name="Опекунова", first_name="Айгуль")
    placement_start(
        child=child, form=PlacementForm.FOSTER_FAMILY, started_on=date(2026, 1, 6), carer=carer
    )
    removal_record(
        child=child, by=alice, removed_at=timezone.now() - timedelta(days=2),
        reason="Угроза здоровью (канарейка)", accompanied_by="Инспектор",
        explained_to_child=True, psychologist_present=True, psychologist_absence_reason="",
        taken_to="Центр", prosecutor_notified_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
    family = families.family_create(name="Канареевы", district=almaly, by=alice)
    families.family_member_add(family=family, person=child.person, relation=Relation.CHILD)
    families.police_registration_add(
        family=family, registered_on=date(2026, 2, 2), police_unit="ОП",
        inspector="Инспектор", ground="Учёт за пьянство (канарейка)",
    )  # fmt: skip
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    families.difficult_situation_recognise(
        family=family, grounds=[ground], other_ground="", recognised_on=date(2026, 2, 3), by=hanna
    )
    AgendaItem.objects.filter(pk=item.pk).update(child=child, family=family)
    item.refresh_from_db()

    summary = agenda_summary(item=item)
    assert [s.category for s in summary.statuses] == [StatusCategory.ORPHAN]
    assert [p.carer.person.full_name for p in summary.placements] == ["Опекунова Айгуль"]
    assert [m.person.full_name for m in summary.members] == ["Канареева Дана"]
    assert [g.pk for d in summary.situations for g in d.ground_list] == [ground.pk]
    html = render_to_string("kdn/packet.html", {"item": item, "s": summary})
    for expected in (
        "Канареева Дана", "Сирота", "Опекунова Айгуль", "Угроза здоровью (канарейка)",
        "Учёт за пьянство (канарейка)", str(ground), "Синтетическое наблюдение",
    ):  # fmt: skip
        assert expected in html, expected


def test_the_packet_is_a_pdf(published, item, kairat, client_for):
    response = client_for(kairat).get(f"/kdn/items/{item.pk}/packet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "no-store"


# --- decisions and their execution ----------------------------------------------------


def test_no_decision_without_attendance_or_quorum(published, item, saule, kairat):
    with pytest.raises(ValidationError):
        decide(item, saule)
    at_meeting(published, saule, [kairat])
    with pytest.raises(ValidationError) as refused:
        decide(item, saule, votes_for=1)
    assert "1" in str(refused.value) and "2" in str(refused.value)
    assert not item.decisions.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"votes_for": 2, "votes_against": 1},  # more votes than members present
        {"votes_for": 1, "votes_against": 1},  # not a majority
        {"owner_organisation": None},
        {"deadline": None},
        {"text": " "},
    ],
)
def test_a_bad_decision_changes_nothing(published, item, saule, kairat, marat, fields):
    at_meeting(published, saule, [kairat, marat])
    with pytest.raises(ValidationError):
        decide(item, saule, **fields)
    item.refresh_from_db()
    assert (item.status, item.decisions.count()) == (AgendaItemStatus.SCHEDULED, 0)
    assert not Timer.objects.filter(kind=TimerKind.KDN_DECISION).exists()


def test_an_overdue_instruction_shows_on_its_owners_worklist_and_alerts_the_secretary(
    published, item, saule, kairat, marat, fatima, client_for
):
    at_meeting(published, saule, [kairat, marat])
    decision = decide(item, saule)
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DECIDED
    timer = Timer.objects.get(kind=TimerKind.KDN_DECISION, subject_id=decision.pk)
    assert (timer.responsible, timer.status) == (fatima, TimerStatus.OPEN)
    assert Notification.objects.filter(recipient=fatima, body__contains="/kdn/decisions/").exists()

    new = notifications_from_now()
    timers_sweep(now=decision.due_at + timedelta(minutes=1))
    timer.refresh_from_db()
    assert timer.status == TimerStatus.OVERDUE
    assert new.filter(recipient=saule).count() == 1
    about_it = new.filter(body__contains=f"/kdn/decisions/{decision.pk}/")
    assert about_it.filter(recipient=fatima).count() == 1
    page = client_for(fatima).get("/work/")
    assert f"/kdn/decisions/{decision.pk}/" in page.content.decode()
    assert any(
        i.overdue and i.kind == TimerKind.KDN_DECISION for i in page.context["work"]["items"]
    )

    # The secretary tracks it on her worklist too.
    assert f"/kdn/decisions/{decision.pk}/" in client_for(saule).get("/work/").content.decode()

    owner = client_for(fatima)
    response = owner.post(f"/kdn/decisions/{decision.pk}/", {"note": ""})
    assert response.status_code == 200  # refused, on the form
    response = owner.post(f"/kdn/decisions/{decision.pk}/", {"note": "Ребёнок посещает школу"})
    assert response.status_code == 302
    timer.refresh_from_db()
    decision.refresh_from_db()
    assert timer.status == TimerStatus.DONE and decision.execution_note


def test_only_the_owner_reports_execution(
    published, item, saule, kairat, marat, farida, client_for
):
    at_meeting(published, saule, [kairat, marat])
    decision = decide(item, saule)
    response = client_for(farida).post(f"/kdn/decisions/{decision.pk}/", {"note": "сделано"})
    assert response.status_code == 403
    assert client_for(kairat).get(f"/kdn/decisions/{decision.pk}/").status_code == 404


def test_closing_the_meeting_returns_undecided_files_to_the_queue(
    published, item, saule, kairat, marat
):
    at_meeting(published, saule, [kairat, marat])
    kdn_services.meeting_close(meeting=published, by=saule)
    item.refresh_from_db()
    assert (item.status, item.meeting_id) == (AgendaItemStatus.SUBMITTED, None)


def test_a_member_finds_the_published_agenda_on_the_home_page(published, kairat, dana, client_for):
    assert f"/kdn/meetings/{published.pk}/" in client_for(kairat).get("/").content.decode()
    assert f"/kdn/meetings/{published.pk}/" not in client_for(dana).get("/").content.decode()
