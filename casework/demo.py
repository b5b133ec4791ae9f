"""Demo casework for `seed_demo`: FSC cases in every state and two KDN meetings (one held,
with an instruction now overdue; one coming, its agenda published to the members)."""

from datetime import timedelta

from django.utils import timezone

from casework.models import (
    AssessmentDomain,
    Case,
    ClosureOutcome,
    ContactKind,
    DecisionKind,
    KdnMeeting,
    Organisation,
    OrganisationKind,
    Role,
    SupportType,
    User,
)
from casework.selectors import organisation_staff
from casework.services import case_notices, cases, contacts, kdn, plans
from families.models import DifficultSituationGround

FINDINGS = {
    AssessmentDomain.SAFETY: (2, "Со слов матери, отчим применяет физические наказания (демо)."),
    AssessmentDomain.HEALTH: (1, "Ребёнок наблюдается в поликлинике, прививки по графику."),
    AssessmentDomain.EDUCATION: (3, "Пропуски занятий более двух недель подряд."),
    AssessmentDomain.HOUSING: (1, "Двухкомнатная квартира, условия удовлетворительные."),
    AssessmentDomain.INCOME: (2, "Доход ниже прожиточного минимума, мать без работы."),
    AssessmentDomain.PARENTING: (2, "Мать не контролирует посещение школы."),
    AssessmentDomain.VIOLENCE: (2, "Жалобы ребёнка на крики и угрозы дома."),
    AssessmentDomain.DISABILITY: (0, "Инвалидности нет."),
}


def seed_casework(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    fsc, commission = organisations["ALM-ALM:fsc"], organisations["ALM-ALM:kdn"]
    if KdnMeeting.objects.filter(commission=commission).exists():
        return  # seeded once; a second run adds nothing
    now = timezone.now()
    cps, head = users["cps"], users["cps.head"]
    supported = _case_in_support(fsc, cps, head, "DEMO-11", now)
    _close_referred_case("DEMO-12", cps)
    _case_awaiting_approval(fsc, cps, now)
    cases.case_open(organisation=fsc, by=cps, title="Демонстрационные (пришли сами)")
    _held_meeting(organisations, users, commission, now)
    _coming_meeting(commission, users, supported, now)


def _assess(case: Case, by: User, now) -> None:
    ground = DifficultSituationGround.objects.filter(code="low_income").first()
    cases.assessment_save(
        case=case,
        by=by,
        ratings={d.value: v for d, v in FINDINGS.items()},
        in_difficult_situation=True,
        grounds=[ground] if ground else list(DifficultSituationGround.objects.all()[:1]),
        conclusion="Семья в трудной жизненной ситуации: малообеспеченность, пропуски школы.",
    )
    cases.assessment_complete(case=case, by=by, now=now)


def _measures(plan, by: User, partners: dict[str, Organisation]) -> None:
    today = timezone.localdate()
    for support_type, text, partner, days in (
        (SupportType.PSYCHOLOGICAL, "Консультации психолога для матери и ребёнка", "fsc", 2),
        (SupportType.BENEFITS, "Помочь оформить адресную социальную помощь", "fsc", 14),
        (SupportType.EDUCATIONAL, "Согласовать со школой план ликвидации пропусков", "school", 7),
        (SupportType.EMPLOYMENT, "Направить мать в центр занятости", "fsc", 30),
    ):
        plans.measure_add(
            plan=plan,
            by=by,
            support_type=support_type,
            description=text,
            responsible_organisation=partners[partner],
            owner=by,
            due_on=today + timedelta(days=days),
        )


def _case_in_support(fsc, cps, head, reference: str, now) -> Case | None:
    case = Case.objects.filter(referral__external_reference=reference).first()
    if case is None:
        return None
    _assess(case, cps, now)
    plan = case.plans.get()
    school = Organisation.objects.filter(
        district=fsc.district, kind=OrganisationKind.SCHOOL
    ).first()
    _measures(plan, cps, {"fsc": fsc, "school": school or fsc})
    plans.plan_submit(plan=plan, by=cps)
    plans.plan_approve(plan=plan, by=head, now=now)
    plans.plan_sign(plan=plan, by=cps, signed_on=timezone.localdate())
    contacts.contact_record(
        case=case,
        by=cps,
        kind=ContactKind.VISIT,
        occurred_on=timezone.localdate(),
        participants="мать, ребёнок, специалист ЦПС",
        findings="Проведено обследование условий жизни; мать согласна на помощь (демо).",
    )
    case_notices.case_inform_guardianship(case=case, by=cps, message="План помощи утверждён.")
    return case


def _close_referred_case(reference: str, cps) -> None:
    case = Case.objects.filter(
        referral__external_reference=reference, closed_at__isnull=True
    ).first()
    if case is not None:
        cases.case_close(
            case=case, by=cps, outcome=ClosureOutcome.LEFT_DIFFICULT_SITUATION, note="Демо."
        )


def _case_awaiting_approval(fsc, cps, now) -> None:
    case = cases.case_open(organisation=fsc, by=cps, title="Демонстрационные (на утверждении)")
    _assess(case, cps, now)
    plan = case.plans.get()
    _measures(plan, cps, {"fsc": fsc, "school": fsc})
    plans.plan_submit(plan=plan, by=cps)


def _members(commission) -> list[User]:
    return organisation_staff(
        organisation_id=commission.pk, roles=frozenset({Role.KDN_MEMBER, Role.KDN_SECRETARY})
    )


def _held_meeting(organisations, users, commission, now) -> None:
    """Ten days ago: a child's file decided with an instruction to the FSC, now overdue."""
    from children.models import Child

    child = Child.objects.filter(district=commission.district).order_by("pk").first()
    if child is None:
        return
    secretary, opeka = users["kdn.secretary"], users["opeka"]
    held_at = now - timedelta(days=10)
    members = _members(commission)
    meeting = kdn.meeting_create(
        commission=commission,
        by=secretary,
        held_at=held_at,
        quorum=len(members) // 2 + 1,
        members=members,
        place="Акимат Алмалинского района, зал заседаний",
        now=held_at - timedelta(days=5),
    )
    item = kdn.agenda_item_submit(
        by=opeka,
        organisation=organisations["ALM-ALM:guardianship"],
        child=child,
        question="Рассмотреть вопрос о систематических пропусках школы.",
        now=held_at - timedelta(days=6),
    )
    kdn.agenda_item_schedule(item=item, meeting=meeting, by=secretary)
    kdn.meeting_publish(meeting=meeting, by=secretary, now=held_at - timedelta(days=3))
    kdn.meeting_attendance_record(
        meeting=meeting, by=secretary, present_ids={m.pk for m in members}, now=held_at
    )
    for owner, organisation, days, text in (
        (users["cps"], organisations["ALM-ALM:fsc"], -3, "ЦПС: организовать занятия с психологом."),
        (opeka, organisations["ALM-ALM:guardianship"], 10, "Опеке: проверить условия проживания."),
    ):
        kdn.decision_record(
            item=item,
            by=secretary,
            kind=DecisionKind.INSTRUCTION,
            text=text,
            votes_for=len(members),
            owner_organisation=organisation,
            owner=owner,
            deadline=(now + timedelta(days=days)).date(),
            now=held_at,
        )
    kdn.meeting_close(meeting=meeting, by=secretary)


def _coming_meeting(commission, users, case: Case | None, now) -> None:
    """In four days: the FSC's case on the agenda, published, so members can read it."""
    if case is None:
        return
    secretary = users["kdn.secretary"]
    members = _members(commission)
    meeting = kdn.meeting_create(
        commission=commission,
        by=secretary,
        held_at=now + timedelta(days=4),
        quorum=len(members) // 2 + 1,
        members=members,
        place="Акимат Алмалинского района, зал заседаний",
    )
    item = kdn.agenda_item_submit(
        by=users["cps"],
        organisation=case.organisation,
        case=case,
        question="Рассмотреть ненадлежащее исполнение родительских обязанностей (демо).",
    )
    kdn.agenda_item_schedule(item=item, meeting=meeting, by=secretary)
    kdn.meeting_publish(meeting=meeting, by=secretary)
