"""The pages, walked as the people who use them: from a picked-up police notice to a
commission instruction overdue on its owner's worklist; and who may see and do what."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from casework.models import (
    AgendaItem,
    AssessmentDomain,
    AuditRead,
    Case,
    CaseStatus,
    CommissionDecision,
    KdnMeeting,
    PlanStatus,
    TimerKind,
)
from casework.services.timers import timers_sweep
from families.models import DifficultSituationGround
from referrals import services as referral_services

pytestmark = pytest.mark.django_db


def _assessment_form(**overrides) -> dict:
    data = {}
    for domain in AssessmentDomain:
        data[f"{domain}_rating"] = "2"
        data[f"{domain}_narrative"] = f"Наблюдение: {domain}"
    ground = DifficultSituationGround.objects.filter(is_other=False).first()
    data.update(in_difficult_situation="yes", grounds=[ground.pk], conclusion="ТЖС установлена")
    data.update(overrides)
    return data


def test_from_a_picked_up_notice_to_an_overdue_commission_instruction(
    make_notice, alice, fatima, gulnara, saule, kairat, marat, dana, fsc, kdn, client_for
):
    notice = make_notice(registered_at=timezone.now() - timedelta(hours=1))
    referral_services.referral_transfer(referral=notice, by=alice)

    # The FSC specialist picks the notice up: the case opens.
    specialist = client_for(fatima)
    assert specialist.post(f"/referrals/{notice.pk}/pick_up/").status_code == 302
    case = Case.objects.get(referral=notice)
    assert specialist.get(f"/cases/{case.pk}/").status_code == 200

    # She completes the assessment (a first try with a domain missing is refused, kept).
    url = f"/cases/{case.pk}/assessment/"
    incomplete = _assessment_form(safety_rating="", safety_narrative="", complete="1")
    page = specialist.post(url, incomplete)
    assert page.status_code == 200
    assert "Наблюдение: health" in page.content.decode()  # what she typed is still there
    assert specialist.post(url, _assessment_form(complete="1")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PLANNING

    # She drafts the plan and sends it to the head, who approves it.
    plan = case.plans.get()
    measure = {
        "support_type": "psychological",
        "description": "Консультации психолога",
        "responsible_organisation": fsc.pk,
        "owner": fatima.pk,
        "due_on": (timezone.localdate() + timedelta(days=14)).strftime("%d.%m.%Y"),
    }
    assert specialist.post(f"/cases/{case.pk}/plan/measures/", measure).status_code == 302
    assert specialist.post(f"/cases/{case.pk}/plan/{plan.pk}/submit/").status_code == 302
    assert specialist.post(f"/cases/{case.pk}/plan/{plan.pk}/approve/").status_code == 403
    assert client_for(gulnara).post(f"/cases/{case.pk}/plan/{plan.pk}/approve/").status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    # The case goes before the commission.
    question = {"question": "Рассмотреть положение семьи"}
    assert specialist.post(f"/cases/{case.pk}/kdn/", question).status_code == 302
    item = AgendaItem.objects.get(case=case)

    # The secretary plans a meeting, puts the file on its agenda and publishes it.
    secretary = client_for(saule)
    held_at = timezone.localtime() + timedelta(days=3)
    meeting_form = {
        "held_at": held_at.strftime("%d.%m.%Y %H:%M"),
        "place": "Акимат",
        "quorum": "2",
        "members": [kairat.pk, marat.pk],
    }
    assert secretary.post("/kdn/meetings/new/", meeting_form).status_code == 302
    meeting = KdnMeeting.objects.get()
    assert (
        secretary.post(f"/kdn/meetings/{meeting.pk}/schedule/", {"item": item.pk}).status_code
        == 302
    )
    assert secretary.post(f"/kdn/meetings/{meeting.pk}/publish/").status_code == 302

    # A member reads the summary and the PDF before the meeting, and nothing else.
    member = client_for(kairat)
    summary = member.get(f"/kdn/items/{item.pk}/")
    assert summary.status_code == 200
    assert "Консультации психолога" in summary.content.decode()
    assert member.get(f"/kdn/items/{item.pk}/packet.pdf").content.startswith(b"%PDF-")
    assert member.get(f"/cases/{case.pk}/").status_code in {403, 404}
    assert member.get(f"/referrals/{notice.pk}/").status_code in {403, 404}
    assert client_for(dana).get(f"/kdn/items/{item.pk}/").status_code == 404
    assert AuditRead.objects.filter(user=kairat).count() >= 2

    # At the meeting: attendance and the decision, an instruction to the FSC.
    deadline = timezone.localdate() + timedelta(days=10)
    with time_machine.travel(meeting.held_at, tick=False):
        secretary = client_for(saule)
        present = {"present": [kairat.pk, marat.pk]}
        assert secretary.post(f"/kdn/meetings/{meeting.pk}/attendance/", present).status_code == 302
        decision = {
            "kind": "instruction",
            "text": "Обеспечить занятость матери",
            "votes_for": "2",
            "votes_against": "0",
            "votes_abstained": "0",
            "owner_organisation": fsc.pk,
            "owner": fatima.pk,
            "deadline": deadline.strftime("%d.%m.%Y"),
        }
        assert secretary.post(f"/kdn/items/{item.pk}/decide/", decision).status_code == 302
    instruction = CommissionDecision.objects.get()

    # The deadline passes: the instruction is overdue on its owner's worklist.
    timers_sweep(now=instruction.due_at + timedelta(minutes=1))
    work = client_for(fatima).get("/work/")
    overdue = [i for i in work.context["work"]["items"] if i.overdue]
    assert [i.kind for i in overdue if i.kind == TimerKind.KDN_DECISION] == [TimerKind.KDN_DECISION]
    assert f"/kdn/decisions/{instruction.pk}/" in work.content.decode()
    home = client_for(fatima).get("/")
    assert home.status_code == 200


# --- who may see and do what -----------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "view", "change"),
    [
        ("fatima", 200, 302),  # lead
        ("gulnara", 200, 302),  # FSC head
        ("farida", 200, 403),  # same center, not on the case
        ("alice", 200, 403),  # the district's guardianship: reads, does not work the case
        ("oscar", 404, 404),  # another district
        ("kairat", 404, 404),  # KDN member, no agenda
        ("rita", 404, 404),  # referrer
        ("nina", 404, 404),  # analyst
        ("adam", 404, 404),  # administrator: no case content
    ],
)
def test_case_access_by_persona(
    request, case, persona, view, change, fatima, gulnara, farida, alice, oscar, client_for
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(f"/cases/{case.pk}/").status_code == view
    response = client.post(f"/cases/{case.pk}/close/", {"outcome": "moved_away", "note": ""})
    assert response.status_code == change
    if view == 200:
        assert AuditRead.objects.filter(user=user, object_id=str(case.pk)).exists()


def test_the_case_list_shows_only_what_the_user_may_see(case, fatima, oscar, alice, client_for):
    assert case.title in client_for(fatima).get("/cases/").content.decode()
    assert case.title in client_for(alice).get("/cases/").content.decode()
    assert client_for(oscar).get("/cases/").context["page"].paginator.count == 0


def test_a_specialist_opens_a_case_for_a_family_that_came_itself(fatima, fsc, client_for):
    response = client_for(fatima).post(
        "/cases/new/", {"title": "Синтетические", "lead": fatima.pk, "child_iin": ""}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.title, case.organisation, case.referral) == ("Синтетические", fsc, None)


def test_an_unknown_iin_is_refused_with_a_message_and_nothing_is_opened(fatima, fsc, client_for):
    response = client_for(fatima).post(
        "/cases/new/", {"title": "Х", "lead": fatima.pk, "child_iin": "150614500017"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["child_iin"]
    assert not Case.objects.exists()


def test_a_bad_close_keeps_the_typed_note(case, fatima, client_for):
    response = client_for(fatima).post(
        f"/cases/{case.pk}/close/", {"outcome": "nonsense", "note": "Семья переехала в Шымкент"}
    )
    assert response.status_code == 200
    assert "Семья переехала в Шымкент" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ASSESSMENT


def test_guardianship_submits_a_childs_file_to_the_commission(
    make_child, alice, saule, kdn, client_for
):
    child = make_child()
    url = f"/kdn/submit/child/{child.pk}/"
    assert client_for(alice).get(url).status_code == 200
    response = client_for(alice).post(url, {"question": "Определить форму устройства"})
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.child, item.commission) == (child, kdn)
    assert client_for(saule).get("/kdn/").context["queue"][0] == item


def test_the_secretary_pages_are_the_secretarys(saule, kairat, alice, client_for):
    assert client_for(saule).get("/kdn/").status_code == 200
    assert client_for(saule).get("/kdn/meetings/new/").status_code == 200
    assert client_for(kairat).get("/kdn/meetings/new/").status_code == 403
    assert client_for(alice).get("/kdn/").status_code == 403


def test_the_case_page_links_each_contacts_files_and_shows_the_commissions_decisions(
    published, item, saule, kairat, marat, fatima, client_for
):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from casework.models import ContactKind
    from casework.services import contacts
    from tests.cases.conftest import at_meeting, decide

    case = item.case
    pdf = b"%PDF-1.4 synthetic"
    contact = contacts.contact_record(
        case=case, by=fatima, kind=ContactKind.VISIT, occurred_on=date(2026, 4, 7),
        findings="Визит с актом", attachments=[
            SimpleUploadedFile(name, pdf, content_type="application/pdf")
            for name in ("akt-vizita.pdf", "foto-kvartiry.pdf")
        ],
    )  # fmt: skip
    at_meeting(published, saule, [kairat, marat])
    with time_machine.travel(published.held_at, tick=False):
        decide(item, saule, text="ЦПС: сопровождать семью (канарейка)")
    html = client_for(fatima).get(f"/cases/{case.pk}/").content.decode()
    for attachment in contact.attachments.all():
        url = reverse("case_attachment", args=[case.pk, attachment.pk])
        assert f'href="{url}">{attachment.original_name}<' in html
    assert "ЦПС: сопровождать семью (канарейка)" in html
