"""Every change to a referral: one service per transition, each in one transaction with
its timeline event, timers and notifications."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework import selectors as core
from casework.models import District, Organisation, OrganisationKind, Role, Timer, TimerKind, User
from casework.permissions import scope_for
from casework.services.archive import (
    archive_clear,
    archive_lock,
    archive_mark,
    archive_reason_clean,
    restore_lock,
    subject_timers_cancel,
)
from casework.services.notifications import notify_users
from casework.services.timers import breach_record, timer_complete, timer_start
from casework.uploads import attachment_content_type, files_removed_on_failure, stored_file_fill
from casework.working_days import ALMATY

from . import deadlines
from .models import (
    TRANSITIONS,
    Attachment,
    Channel,
    EventKind,
    Referral,
    ReferralEvent,
    ReferralKind,
    Status,
)

GUARDIANSHIP_HEADS = {Role.GUARDIANSHIP_HEAD}
GUARDIANSHIP_STAFF = {Role.GUARDIANSHIP_SPECIALIST, Role.GUARDIANSHIP_HEAD}
FSC_HEADS = {Role.FSC_HEAD}
TRIAGE_DECISIONS = {Status.NO_ACTION, Status.CASEWORK, Status.SENT_TO_KDN}


class TransitionRefused(ValidationError):
    """The referral is not in a state that allows this; nothing was changed."""


@dataclass
class ReferralInput:
    kind: str
    district: District
    narrative: str
    channel: str = Channel.WEB
    source_organisation: Organisation | None = None
    source_person: str = ""
    external_reference: str = ""
    child_name: str = ""
    child_birth_date: date | None = None
    child_age: int | None = None
    family_name: str = ""
    address: str = ""
    categories: list[str] = field(default_factory=list)
    threat_to_life: bool = False
    registered_at: datetime | None = None
    police_unit: str = ""
    inspector: str = ""
    ground: str = ""
    registration_number: str = ""


def referral_create(
    *,
    data: ReferralInput,
    by: User,
    attachments: list[UploadedFile] = (),
    now: datetime | None = None,
) -> tuple[Referral, bool]:
    """Register a concern or a police notice. Returns (referral, created).

    Resubmitting with the same organisation and `external_reference` returns the
    referral already registered, even when both submissions race.
    """
    existing = _existing(data)
    if existing is not None:
        return existing, False
    for upload in attachments:
        attachment_content_type(upload)  # refuse a bad file before anything is written
    try:
        with transaction.atomic(), files_removed_on_failure() as written:
            referral = _create(data, by, now or timezone.now())
            for upload in attachments:
                written.append(_attach(referral, upload, by, referral.received_at).file)
            return referral, True
    except IntegrityError:
        existing = _existing(data)
        if existing is None:
            raise
        return existing, False


def _existing(data: ReferralInput) -> Referral | None:
    if not (data.source_organisation and data.external_reference):
        return None
    return Referral.objects.filter(
        source_organisation=data.source_organisation, external_reference=data.external_reference
    ).first()


# The working-day calendar (and so the transfer deadline) is kept from 2000 on; a notice
# registered before it is a typing error, and year 1 would overflow the calendar.
EARLIEST_REGISTRATION = datetime(2000, 1, 1, tzinfo=ALMATY)


def _create(data: ReferralInput, by: User, now: datetime) -> Referral:
    notice = data.kind == ReferralKind.POLICE_NOTICE
    if notice and data.registered_at is None:
        raise ValidationError({"registered_at": _("A police notice needs the registration time.")})
    if notice and data.registered_at > now:
        raise ValidationError({"registered_at": _("The registration time is in the future.")})
    if notice and data.registered_at < EARLIEST_REGISTRATION:
        raise ValidationError({"registered_at": _("The registration time is before 2000.")})
    authority = core.district_organisation(
        district_id=data.district.pk, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is None:
        raise ValidationError(
            {"district": _("This district has no guardianship authority in Qamqor.")}
        )
    referral = Referral(
        **{name: getattr(data, name) for name in ReferralInput.__dataclass_fields__},
        status=Status.REGISTERED if notice else Status.RECEIVED,
        created_by=by,
        received_at=now,
    )
    if notice:
        referral.transfer_due_at = deadlines.transfer_due_at(data.registered_at)
    referral.full_clean(
        exclude=["created_by", "district", "source_organisation", "fsc", "assigned_to"]
    )
    referral.save()
    _event(referral, EventKind.CREATED, by=by, to_status=referral.status, at=now)
    if notice:
        timer_start(
            kind=TimerKind.REFERRAL_TRANSFER,
            subject=referral,
            organisation=authority,
            started_at=now,
            due_at=referral.transfer_due_at,
            remind_at=deadlines.transfer_remind_at(referral.transfer_due_at),
            responsible=by if scope_for(by).has_any_role(GUARDIANSHIP_STAFF) else None,
        )
    if data.threat_to_life:
        _notify(
            authority,
            GUARDIANSHIP_STAFF,
            gettext_noop("Urgent referral № %(number)s: threat to life or health"),
            referral,
        )
    return referral


@transaction.atomic
def referral_triage(*, referral: Referral, by: User, decision: str, reason: str = "") -> Referral:
    """Guardianship decides what a concern needs: nothing, own casework, or the KDN.
    (Referring to the FSC is `referral_transfer`.)"""
    if decision not in TRIAGE_DECISIONS:
        raise ValidationError({"decision": _("Choose a triage decision.")})
    if decision == Status.NO_ACTION and not reason.strip():
        raise ValidationError({"reason": _("Say why no action is needed.")})
    return _move(referral, to=decision, kind=EventKind.TRIAGED, by=by, note=reason)


@transaction.atomic
def referral_transfer(
    *,
    referral: Referral,
    by: User | None,
    fsc: Organisation | None = None,
    now: datetime | None = None,
) -> Referral:
    """Pass a referral to the district's Family Support Center (or the one chosen)."""
    now = now or timezone.now()
    fsc = fsc or core.district_organisation(
        district_id=referral.district_id, kind=OrganisationKind.FSC
    )
    if fsc is None or fsc.kind != OrganisationKind.FSC:
        raise TransitionRefused(_("This district has no Family Support Center in Qamqor."))
    kind = EventKind.TRANSFERRED if by else EventKind.AUTO_TRANSFERRED
    referral = _move(
        referral,
        to=Status.TRANSFERRED,
        kind=kind,
        by=by,
        now=now,
        fsc=fsc,
        transferred_at=now,
        transferred_automatically=by is None,
        assigned_to=None,
    )
    timer_complete(kind=TimerKind.REFERRAL_TRANSFER, subject=referral, now=now)
    timer_start(
        kind=TimerKind.REFERRAL_PICKUP,
        subject=referral,
        organisation=fsc,
        started_at=now,
        due_at=deadlines.pickup_due_at(now),
    )
    _notify(
        fsc,
        {Role.FSC_HEAD, Role.FSC_SPECIALIST},
        gettext_noop("New referral № %(number)s in the FSC inbox"),
        referral,
    )
    return referral


@transaction.atomic
def referral_pick_up(*, referral: Referral, by: User, now: datetime | None = None) -> Referral:
    """An FSC specialist takes the referral. Of two at the same moment, one wins; the
    other is told who has it."""
    now = now or timezone.now()
    referral = _move(
        referral,
        to=Status.PICKED_UP,
        kind=EventKind.PICKED_UP,
        by=by,
        now=now,
        assigned_to=by,
        picked_up_at=now,
    )
    timer_complete(kind=TimerKind.REFERRAL_PICKUP, subject=referral, now=now)
    # Picking a referral up opens the center's case; the assessment clock starts now.
    from casework.services.cases import case_open

    case_open(organisation=referral.fsc, by=by, lead=by, referral=referral, now=now)
    return referral


@transaction.atomic
def referral_start_work(*, referral: Referral, by: User) -> Referral:
    return _move(referral, to=Status.IN_WORK, kind=EventKind.WORK_STARTED, by=by)


@transaction.atomic
def referral_close(*, referral: Referral, by: User, outcome: str) -> Referral:
    if not outcome.strip():
        raise ValidationError({"outcome": _("Describe the outcome.")})
    return _move(referral, to=Status.CLOSED, kind=EventKind.CLOSED, by=by, note=outcome)


@transaction.atomic
def referral_return(*, referral: Referral, by: User, reason: str) -> Referral:
    """The FSC hands a referral back to guardianship, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is returned.")})
    referral = _move(
        referral,
        to=Status.RETURNED,
        kind=EventKind.RETURNED,
        by=by,
        note=reason,
        fsc=None,
        assigned_to=None,
    )
    timer_complete(kind=TimerKind.REFERRAL_PICKUP, subject=referral)
    _case_closed_on_return(referral, by, reason)
    authority = core.district_organisation(
        district_id=referral.district_id, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is not None:
        _notify(
            authority,
            GUARDIANSHIP_STAFF,
            gettext_noop("Referral № %(number)s returned by the FSC"),
            referral,
        )
    return referral


@transaction.atomic
def referral_attachment_add(*, referral: Referral, by: User, upload: UploadedFile) -> Attachment:
    return _attach(
        Referral.objects.select_for_update().get(pk=referral.pk), upload, by, timezone.now()
    )


@transaction.atomic
def referral_link_child(*, referral: Referral, child, by: User) -> Referral:
    """Match a referral's subject to the registry once the child is identified."""
    if child.archived_at is not None:
        raise ValidationError(
            _("This child's file is archived: a head of guardianship can restore it.")
        )
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    locked.child = child
    locked.save(update_fields=["child", "updated_at"])
    _event(locked, EventKind.CHILD_LINKED, by=by, at=timezone.now(), note=str(child))
    return locked


# --- archive ----------------------------------------------------------------------------

# While a referral is with guardianship it may be archived (a duplicate, a mistaken
# submission). Once the FSC has it, the FSC's case is the record: it is closed, not hidden.
ARCHIVABLE_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.REGISTERED,
        Status.RETURNED,
        Status.NO_ACTION,
        Status.CASEWORK,
        Status.SENT_TO_KDN,
    }
)


@transaction.atomic
def referral_archive(
    *, referral: Referral, by: User, reason: str, now: datetime | None = None
) -> Referral:
    """Archive a duplicate or mistaken referral. A police notice's transfer deadline
    stops with it (nothing is forwarded or breached for an archived notice)."""
    reason = archive_reason_clean(reason)
    locked = archive_lock(Referral, referral.pk)
    if locked.status not in ARCHIVABLE_STATUSES or hasattr(locked, "case"):
        raise TransitionRefused(
            _("This referral is “%(status)s”: the FSC has it, so it is closed there, not archived.")
            % {"status": locked.get_status_display()},
            code="at_the_fsc",
        )
    now = now or timezone.now()
    subject_timers_cancel(subject=locked, now=now)
    archive_mark(obj=locked, by=by, reason=reason, now=now)
    _event(locked, EventKind.ARCHIVED, by=by, at=now, note=reason)
    return locked


@transaction.atomic
def referral_restore(*, referral: Referral, by: User, now: datetime | None = None) -> Referral:
    """Bring a referral back. A police notice still awaiting transfer gets its deadline
    back as the law set it: if it has passed, the next sweep forwards the notice and
    records the breach."""
    locked = restore_lock(Referral, referral.pk)
    now = now or timezone.now()
    archive_clear(obj=locked, by=by, now=now)
    _event(locked, EventKind.RESTORED, by=by, at=now)
    if locked.status == Status.REGISTERED and locked.transfer_due_at:
        earlier = (
            Timer.objects.filter(
                kind=TimerKind.REFERRAL_TRANSFER,
                subject_type=ContentType.objects.get_for_model(Referral),
                subject_id=locked.pk,
            )
            .order_by("-pk")
            .first()
        )
        timer_start(
            kind=TimerKind.REFERRAL_TRANSFER,
            subject=locked,
            organisation=earlier.organisation if earlier else _authority(locked),
            started_at=earlier.started_at if earlier else locked.received_at,
            due_at=locked.transfer_due_at,
            remind_at=deadlines.transfer_remind_at(locked.transfer_due_at),
            responsible=earlier.responsible if earlier else None,
        )
    return locked


def _authority(referral: Referral) -> Organisation:
    return core.district_organisation(
        district_id=referral.district_id, kind=OrganisationKind.GUARDIANSHIP
    )


def _refuse_on_archived_referral(referral: Referral) -> None:
    if Referral.objects.filter(pk=referral.pk, archived_at__isnull=False).exists():
        raise ValidationError(
            _("The referral is archived: restore the referral first."), code="archived_referral"
        )


@transaction.atomic
def attachment_archive(
    *, attachment: Attachment, by: User, reason: str, now: datetime | None = None
) -> Attachment:
    """Archive an attachment added by mistake (the wrong scan, another child's paper)."""
    reason = archive_reason_clean(reason)
    locked = archive_lock(Attachment, attachment.pk)
    _refuse_on_archived_referral(locked.referral)
    now = now or timezone.now()
    archive_mark(obj=locked, by=by, reason=reason, now=now)
    _event(
        locked.referral,
        EventKind.ATTACHMENT_ARCHIVED,
        by=by,
        at=now,
        note=f"{locked.original_name}: {reason}",
    )
    return locked


@transaction.atomic
def attachment_restore(
    *, attachment: Attachment, by: User, now: datetime | None = None
) -> Attachment:
    locked = restore_lock(Attachment, attachment.pk)
    _refuse_on_archived_referral(locked.referral)
    now = now or timezone.now()
    archive_clear(obj=locked, by=by, now=now)
    _event(
        locked.referral,
        EventKind.ATTACHMENT_RESTORED,
        by=by,
        at=now,
        note=locked.original_name,
    )
    return locked


def _case_closed_on_return(referral: Referral, by: User, reason: str) -> None:
    from casework.models import Case, ClosureOutcome
    from casework.services.cases import case_close

    case = Case.objects.filter(referral=referral, closed_at__isnull=True).first()
    if case is not None:
        case_close(case=case, by=by, outcome=ClosureOutcome.OTHER, note=reason)


# --- timer handlers (called by the sweep with the timer row locked) ---------------------


def _referral_urls(subject_ids: list[int]) -> dict[int, str]:
    return {pk: f"/referrals/{pk}/" for pk in subject_ids}


class TransferTimerHandler:
    subject_urls = staticmethod(_referral_urls)
    expiry_resolves = True  # the system forwards the notice itself

    def remind(self, timer: Timer, now: datetime) -> None:
        referral = Referral.objects.select_for_update().get(pk=timer.subject_id)
        if referral.status != Status.REGISTERED:
            return
        _event(referral, EventKind.REMINDED, by=None, at=now)
        message = gettext_noop("Police notice № %(number)s must reach the FSC by %(due)s")
        recipients = {
            u.pk: u
            for u in core.organisation_staff(
                organisation_id=timer.organisation_id, roles=GUARDIANSHIP_HEADS
            )
        }
        if timer.responsible_id:
            recipients[timer.responsible_id] = timer.responsible
        _notify_users(recipients.values(), message, referral)

    def expire(self, timer: Timer, now: datetime) -> None:
        """At the deadline: forward the notice to the FSC ourselves and record the breach."""
        referral = Referral.objects.select_for_update().get(pk=timer.subject_id)
        if referral.status != Status.REGISTERED:
            return
        breach_record(timer=timer, now=now)
        _event(referral, EventKind.BREACHED, by=None, at=now, note=timer.organisation.name_ru)
        try:
            with transaction.atomic():
                referral_transfer(referral=referral, by=None, now=now)
            message = gettext_noop(
                "Police notice № %(number)s was not transferred in time: "
                "Qamqor forwarded it to the FSC and recorded a breach"
            )
        except TransitionRefused:
            message = gettext_noop(
                "Police notice № %(number)s was not transferred in time "
                "and the district has no FSC: transfer it now"
            )
        _notify(timer.organisation, GUARDIANSHIP_HEADS, message, referral)


class PickupTimerHandler:
    subject_urls = staticmethod(_referral_urls)

    def remind(self, timer: Timer, now: datetime) -> None:  # no reminder for pickup
        return

    def expire(self, timer: Timer, now: datetime) -> None:
        referral = Referral.objects.select_for_update().get(pk=timer.subject_id)
        if referral.status != Status.TRANSFERRED:
            return
        _event(referral, EventKind.ESCALATED, by=None, at=now)
        _notify(
            timer.organisation,
            FSC_HEADS,
            gettext_noop("Referral № %(number)s has waited in the FSC inbox for a working day"),
            referral,
        )


# --- internals -------------------------------------------------------------------------


def _move(
    referral: Referral, *, to: str, kind: str, by: User | None, note: str = "", now=None, **fields
) -> Referral:
    """Change status under a row lock, or refuse with a reason and change nothing."""
    now = now or timezone.now()
    # No joins here: a row re-read after waiting for the lock would come with stale
    # joined columns (who picked it up), so related rows are loaded after the lock.
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if to not in TRANSITIONS[locked.status]:
        raise TransitionRefused(_refusal(locked, to), code="transition")
    from_status = locked.status
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", "updated_at", *fields])
    _event(locked, kind, by=by, from_status=from_status, to_status=to, note=note, at=now)
    return locked


def _refusal(referral: Referral, to: str) -> str:
    if referral.status == Status.PICKED_UP and to == Status.PICKED_UP and referral.assigned_to:
        return _("%(name)s already picked up this referral at %(time)s.") % {
            "name": referral.assigned_to.full_name,
            "time": date_format(timezone.localtime(referral.picked_up_at), "SHORT_DATETIME_FORMAT"),
        }
    return _("This referral is now “%(status)s”, so it cannot become “%(target)s”.") % {
        "status": referral.get_status_display(),
        "target": Status(to).label,
    }


def _event(
    referral: Referral,
    kind: str,
    *,
    by: User | None,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        actor=by,
        at=at,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _attach(referral: Referral, upload: UploadedFile, by: User, now: datetime) -> Attachment:
    attachment = stored_file_fill(Attachment(referral=referral), upload, by=by)
    attachment.save()
    _event(referral, EventKind.ATTACHMENT_ADDED, by=by, at=now, note=attachment.original_name)
    return attachment


def _notify(organisation: Organisation, roles, message: str, referral: Referral) -> None:
    staff = core.organisation_staff(organisation_id=organisation.pk, roles=roles)
    _notify_users(staff, message, referral)


def _notify_users(users, message: str, referral: Referral) -> None:
    """Each recipient reads the message, and the deadline, in their own language."""
    due = timezone.localtime(referral.transfer_due_at) if referral.transfer_due_at else None
    due_text = lazy(lambda: date_format(due, "SHORT_DATETIME_FORMAT") if due else "", str)()
    notify_users(
        users,
        message=message,
        params={"number": referral.number, "due": due_text},
        link=f"/referrals/{referral.pk}/",
    )
