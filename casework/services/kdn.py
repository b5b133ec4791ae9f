"""The Commission on Minors: files submitted to it, meetings and their agendas,
attendance, decisions, and the execution of its instructions."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework import deadlines
from casework import selectors as core
from casework.models import (
    MEETING_TRANSITIONS,
    AgendaItem,
    AgendaItemStatus,
    Case,
    CaseEventKind,
    CommissionDecision,
    DecisionKind,
    KdnMeeting,
    MeetingMember,
    MeetingStatus,
    Organisation,
    OrganisationKind,
    Role,
    TimerKind,
    User,
)
from casework.services.notifications import notify_users
from casework.services.timers import timer_complete, timer_start

KDN_ROLES = frozenset({Role.KDN_MEMBER, Role.KDN_SECRETARY})
SECRETARIES = frozenset({Role.KDN_SECRETARY})


# --- submission ----------------------------------------------------------------------


@transaction.atomic
def agenda_item_submit(
    *,
    by: User,
    organisation: Organisation,
    question: str,
    case: Case | None = None,
    child=None,
    family=None,
    now: datetime | None = None,
) -> AgendaItem:
    """Guardianship or an FSC puts a file before its district's commission."""
    now = now or timezone.now()
    if not question.strip():
        raise ValidationError({"question": _("Say what the commission is asked to decide.")})
    if case is None and child is None and family is None:
        raise ValidationError(_("Choose the file to submit."))
    district_id = (case or child or family).district_id
    commission = core.district_organisation(district_id=district_id, kind=OrganisationKind.KDN)
    if commission is None:
        raise ValidationError(_("The district has no Commission on Minors in the system."))
    if case is not None:
        child = child or case.child
        family = family or case.family
    already = AgendaItem.objects.filter(
        commission=commission,
        status__in=[AgendaItemStatus.SUBMITTED, AgendaItemStatus.SCHEDULED],
        case=case,
        child=child,
        family=family,
    )
    if already.exists():
        raise ValidationError(_("This file is already waiting for the commission."))
    item = AgendaItem.objects.create(
        commission=commission,
        child=child,
        family=family,
        case=case,
        question=question.strip(),
        submitted_by=by,
        submitting_organisation=organisation,
        submitted_at=now,
    )
    if case is not None:
        from casework.services.cases import case_event

        case_event(case, CaseEventKind.SUBMITTED_TO_KDN, by=by, at=now, note=question.strip())
    notify_users(
        core.organisation_staff(organisation_id=commission.pk, roles=SECRETARIES),
        message=gettext_noop("A file was submitted to the commission: %(subject)s"),
        params={"subject": _item_subject(item)},
        link="/kdn/",
    )
    return item


def _item_subject(item: AgendaItem) -> str:
    return str(item.child.person if item.child else item.family or item.case.title)


@transaction.atomic
def agenda_item_withdraw(*, item: AgendaItem, by: User) -> AgendaItem:
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if locked.status != AgendaItemStatus.SUBMITTED:
        raise ValidationError(_("Only a file not yet on an agenda can be withdrawn."))
    locked.status = AgendaItemStatus.WITHDRAWN
    locked.save(update_fields=["status"])
    return locked


# --- meetings ------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    commission: Organisation,
    by: User,
    held_at: datetime,
    quorum: int,
    members: list[User],
    place: str = "",
    now: datetime | None = None,
) -> KdnMeeting:
    if commission.kind != OrganisationKind.KDN:
        raise ValidationError(_("Meetings are held by a Commission on Minors."))
    _check_members(commission, members)
    _check_quorum(quorum, members)
    if held_at < (now or timezone.now()):
        raise ValidationError({"held_at": _("The meeting cannot be in the past.")})
    meeting = KdnMeeting.objects.create(
        commission=commission, held_at=held_at, place=place.strip(), quorum=quorum, created_by=by
    )
    MeetingMember.objects.bulk_create(MeetingMember(meeting=meeting, user=u) for u in members)
    return meeting


def _check_members(commission: Organisation, members: list[User]) -> None:
    staff = {u.pk for u in core.organisation_staff(organisation_id=commission.pk, roles=KDN_ROLES)}
    if not members:
        raise ValidationError({"members": _("Choose the members who sit on the meeting.")})
    if any(u.pk not in staff for u in members):
        raise ValidationError({"members": _("Choose members of this commission.")})


def _check_quorum(quorum: int, members: list[User]) -> None:
    if not 1 <= quorum <= len(members):
        raise ValidationError(
            {
                "quorum": _("The quorum must be between 1 and the number of members (%(n)s).")
                % {"n": len(members)}
            }
        )


def _lock_meeting(meeting: KdnMeeting) -> KdnMeeting:
    return KdnMeeting.objects.select_for_update().get(pk=meeting.pk)


def _meeting_move(meeting: KdnMeeting, to: str, **fields) -> KdnMeeting:
    if to not in MEETING_TRANSITIONS[meeting.status]:
        raise ValidationError(
            _("The meeting is %(status)s: this step is not possible now.")
            % {"status": meeting.get_status_display()}
        )
    meeting.status = to
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=["status", *fields])
    return meeting


@transaction.atomic
def agenda_item_schedule(*, item: AgendaItem, meeting: KdnMeeting, by: User) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if meeting.status not in {MeetingStatus.PLANNED, MeetingStatus.PUBLISHED}:
        raise ValidationError(_("Files are added to a meeting that has not been held yet."))
    if locked.commission_id != meeting.commission_id:
        raise ValidationError(_("The file was submitted to another commission."))
    if locked.status != AgendaItemStatus.SUBMITTED:
        raise ValidationError(_("This file is not waiting for a meeting."))
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    locked.meeting, locked.position, locked.status = meeting, last + 1, AgendaItemStatus.SCHEDULED
    locked.save(update_fields=["meeting", "position", "status"])
    if meeting.status == MeetingStatus.PUBLISHED:
        _tell_members(meeting)
    return locked


@transaction.atomic
def agenda_item_unschedule(*, item: AgendaItem, by: User) -> AgendaItem:
    locked = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    )
    if (
        locked.status != AgendaItemStatus.SCHEDULED
        or locked.meeting.status != MeetingStatus.PLANNED
    ):
        raise ValidationError(_("Only a file on an unpublished agenda can be taken off it."))
    locked.meeting, locked.position, locked.status = None, None, AgendaItemStatus.SUBMITTED
    locked.save(update_fields=["meeting", "position", "status"])
    return locked


@transaction.atomic
def meeting_publish(*, meeting: KdnMeeting, by: User, now: datetime | None = None) -> KdnMeeting:
    """Members may read the agenda's files from now until the review window closes."""
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    if not meeting.items.exists():
        raise ValidationError(_("Put at least one file on the agenda before publishing it."))
    meeting = _meeting_move(
        meeting,
        MeetingStatus.PUBLISHED,
        published_at=now,
        review_until=deadlines.review_until(meeting.held_at),
    )
    _tell_members(meeting)
    return meeting


def _tell_members(meeting: KdnMeeting) -> None:
    members = [m.user for m in meeting.members.select_related("user")]
    notify_users(
        members,
        message=gettext_noop(
            "The agenda of the KDN meeting of %(date)s is published: read the files"
        ),
        params={"date": f"{timezone.localtime(meeting.held_at):%d.%m.%Y %H:%M}"},
        link=f"/kdn/meetings/{meeting.pk}/",
    )


@transaction.atomic
def meeting_cancel(*, meeting: KdnMeeting, by: User) -> KdnMeeting:
    meeting = _lock_meeting(meeting)
    if meeting.items.filter(status=AgendaItemStatus.DECIDED).exists():
        raise ValidationError(_("Decisions were recorded: the meeting cannot be cancelled."))
    meeting = _meeting_move(meeting, MeetingStatus.CANCELLED, review_until=timezone.now())
    # The files go back to the queue for another meeting.
    meeting.items.filter(status=AgendaItemStatus.SCHEDULED).update(
        meeting=None, position=None, status=AgendaItemStatus.SUBMITTED
    )
    return meeting


@transaction.atomic
def meeting_attendance_record(
    *, meeting: KdnMeeting, by: User, present_ids: set[int], now: datetime | None = None
) -> KdnMeeting:
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.PUBLISHED:
        raise ValidationError(_("Attendance is recorded at a published meeting."))
    if timezone.localdate(now) < timezone.localdate(meeting.held_at):
        raise ValidationError(_("Attendance is recorded on the day of the meeting."))
    if meeting.items.filter(status=AgendaItemStatus.DECIDED).exists():
        raise ValidationError(_("Decisions were recorded: attendance can no longer change."))
    for seat in meeting.members.all():
        seat.present = seat.user_id in present_ids
        seat.save(update_fields=["present"])
    return meeting


@transaction.atomic
def meeting_close(*, meeting: KdnMeeting, by: User) -> KdnMeeting:
    """Mark the meeting held; files left undecided go back to the queue."""
    meeting = _lock_meeting(meeting)
    if not meeting.members.filter(present__isnull=False).exists():
        raise ValidationError(_("Record the attendance first."))
    meeting = _meeting_move(meeting, MeetingStatus.HELD)
    meeting.items.filter(status=AgendaItemStatus.SCHEDULED).update(
        meeting=None, position=None, status=AgendaItemStatus.SUBMITTED
    )
    return meeting


# --- decisions ------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    by: User,
    kind: str,
    text: str,
    votes_for: int,
    votes_against: int = 0,
    votes_abstained: int = 0,
    owner_organisation: Organisation | None = None,
    owner: User | None = None,
    deadline=None,
    now: datetime | None = None,
) -> CommissionDecision:
    """Record the commission's decision on an agenda item. An instruction starts a timer
    that runs to its deadline on its owner's worklist."""
    now = now or timezone.now()
    locked = (
        AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)
    )
    meeting = _lock_meeting(locked.meeting) if locked.meeting_id else None
    if meeting is None or meeting.status != MeetingStatus.PUBLISHED:
        raise ValidationError(_("Decisions are recorded at a published meeting."))
    if locked.status not in {AgendaItemStatus.SCHEDULED, AgendaItemStatus.DECIDED}:
        raise ValidationError(_("This file is not on the meeting's agenda."))
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("Choose the decision.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the text of the decision.")})
    _check_votes(meeting, votes_for, votes_against, votes_abstained)
    if kind == DecisionKind.INSTRUCTION:
        _check_instruction(meeting, owner_organisation, owner, deadline)
    decision = CommissionDecision.objects.create(
        item=locked,
        kind=kind,
        text=text.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstained=votes_abstained,
        owner_organisation=owner_organisation,
        owner=owner,
        deadline=deadline,
        due_at=deadlines.end_of_day(deadline) if deadline else None,
        recorded_by=by,
        recorded_at=now,
    )
    if locked.status != AgendaItemStatus.DECIDED:
        locked.status = AgendaItemStatus.DECIDED
        locked.save(update_fields=["status"])
    if decision.is_tracked:
        _start_execution(decision, now)
    return decision


def _check_votes(meeting: KdnMeeting, votes_for: int, against: int, abstained: int) -> None:
    present = meeting.members.filter(present=True).count()
    if not meeting.members.filter(present__isnull=False).exists():
        raise ValidationError(_("Record the attendance first."))
    if present < meeting.quorum:
        raise ValidationError(
            _("No quorum: %(present)s present, %(quorum)s needed. The commission cannot decide.")
            % {"present": present, "quorum": meeting.quorum}
        )
    if min(votes_for, against, abstained) < 0 or votes_for + against + abstained > present:
        raise ValidationError(
            {
                "votes_for": _("The votes add up to more than the %(n)s members present.")
                % {"n": present}
            }
        )
    if votes_for * 2 <= present:
        raise ValidationError(
            {
                "votes_for": _(
                    "Not adopted: a decision needs the votes of a majority of the members present."
                )
            }
        )


def _check_instruction(meeting, owner_organisation, owner, deadline) -> None:
    errors = {}
    if owner_organisation is None:
        errors["owner_organisation"] = _("Name the organisation that must execute it.")
    if deadline is None:
        errors["deadline"] = _("Set the deadline.")
    elif deadline < timezone.localdate(meeting.held_at):
        errors["deadline"] = _("The deadline cannot be before the meeting.")
    if owner is not None and owner_organisation is not None:
        staff = core.organisation_staff(
            organisation_id=owner_organisation.pk, roles=frozenset(Role.values)
        )
        if owner.pk not in {u.pk for u in staff}:
            errors["owner"] = _("The responsible person must work at that organisation.")
    if errors:
        raise ValidationError(errors)


def _start_execution(decision: CommissionDecision, now: datetime) -> None:
    timer_start(
        kind=TimerKind.KDN_DECISION,
        subject=decision,
        organisation=decision.owner_organisation,
        responsible=decision.owner,
        started_at=now,
        due_at=decision.due_at,
    )
    recipients = (
        [decision.owner]
        if decision.owner
        else core.organisation_staff(
            organisation_id=decision.owner_organisation_id,
            roles=frozenset({Role.GUARDIANSHIP_HEAD, Role.FSC_HEAD}),
        )
    )
    notify_users(
        recipients,
        message=gettext_noop("The commission instructed you: %(text)s. Deadline %(deadline)s"),
        params={"text": decision.text[:200], "deadline": f"{decision.deadline:%d.%m.%Y}"},
        link=f"/kdn/decisions/{decision.pk}/",
    )


@transaction.atomic
def decision_execute(
    *, decision: CommissionDecision, by: User, note: str, now: datetime | None = None
) -> CommissionDecision:
    now = now or timezone.now()
    locked = CommissionDecision.objects.select_for_update().get(pk=decision.pk)
    if not locked.is_tracked:
        raise ValidationError(_("Only an instruction is executed and reported on."))
    if locked.executed_at is not None:
        raise ValidationError(_("The execution has already been reported."))
    if not note.strip():
        raise ValidationError({"note": _("Say how the instruction was executed.")})
    locked.executed_at, locked.execution_note = now, note.strip()
    locked.save(update_fields=["executed_at", "execution_note"])
    timer_complete(kind=TimerKind.KDN_DECISION, subject=locked, now=now)
    return locked
