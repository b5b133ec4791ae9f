"""The child's file: registration, status categories, disability, the child's views, and
the data-bank registration of a child left without parental care."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import selectors as core
from casework.models import District, OrganisationKind, TimerKind, User
from casework.selectors import calendar_around
from casework.services.timers import timer_complete, timer_start
from casework.uploads import files_removed_on_failure, stored_file_fill
from casework.working_days import ALMATY, end_of_working_day, working_days_deadline

from ..models import Child, ChildStatus, ChildView, Disability, Document, Person, StatusCategory
from .people import PersonInput, person_create


def guardianship_of(district_id: int):
    authority = core.district_organisation(
        district_id=district_id, kind=OrganisationKind.GUARDIANSHIP
    )
    if authority is None:
        raise ValidationError(_("This district has no guardianship authority in Qamqor."))
    return authority


@transaction.atomic
def child_register(
    *, data: PersonInput, by: User, district: District | None = None, confirm_mismatch: bool = False
) -> Child:
    """Open a child's file; the IIN may come later."""
    person = person_create(data=data, by=by, confirm_mismatch=confirm_mismatch)
    return child_open_for(person=person, by=by, district=district or data.district)


@transaction.atomic
def child_open_for(*, person: Person, by: User, district: District) -> Child:
    child, _created = Child.objects.get_or_create(
        person=person, defaults={"district": district, "created_by": by}
    )
    return child


@transaction.atomic
def child_status_add(*, child: Child, category: str, started_on: date) -> ChildStatus:
    if child.statuses.filter(category=category, ended_on__isnull=True).exists():
        raise ValidationError({"category": _("This status is already open for the child.")})
    return ChildStatus.objects.create(child=child, category=category, started_on=started_on)


@transaction.atomic
def child_status_end(*, status: ChildStatus, ended_on: date) -> ChildStatus:
    if ended_on < status.started_on:
        raise ValidationError({"ended_on": _("The end cannot be before the start.")})
    status.ended_on = ended_on
    status.save(update_fields=["ended_on"])
    return status


@transaction.atomic
def disability_add(*, child: Child, by: User, **data) -> Disability:
    disability = Disability(child=child, **data)
    disability.full_clean(exclude=["child"])
    # A new conclusion is the re-examination the earlier ones were waiting for.
    for earlier in child.disabilities.all():
        timer_complete(kind=TimerKind.DISABILITY_REEXAMINATION, subject=earlier)
    disability.save()
    if not child.statuses.filter(
        category=StatusCategory.DISABILITY, ended_on__isnull=True
    ).exists():
        ChildStatus.objects.create(
            child=child, category=StatusCategory.DISABILITY, started_on=disability.established_on
        )
    if disability.valid_until:
        # Re-examination: remind a month ahead, due the last working day it is valid.
        due = end_of_day(disability.valid_until)
        timer_start(
            kind=TimerKind.DISABILITY_REEXAMINATION,
            subject=disability,
            organisation=guardianship_of(child.district_id),
            started_at=timezone.now(),
            due_at=due,
            remind_at=due - timedelta(days=30),
        )
    return disability


@transaction.atomic
def child_view_record(
    *, child: Child, by: User, heard_on: date, decision: str, words: str
) -> ChildView:
    if not words.strip():
        raise ValidationError({"words": _("Write down what the child said.")})
    return ChildView.objects.create(
        child=child, heard_by=by, heard_on=heard_on, decision=decision, words=words
    )


@transaction.atomic
def child_identify_without_care(*, child: Child, identified_at: datetime, by: User) -> Child:
    """A child left without parental care: registration in the data bank is due within
    one working day of identification."""
    locked = Child.objects.select_for_update().get(pk=child.pk)
    if locked.identified_without_care_at is not None:
        raise ValidationError(_("The child is already identified as left without parental care."))
    due = working_days_deadline(
        identified_at, 1, calendar_around(identified_at.date()), closes_at=settings.WORKDAY_ENDS_AT
    )
    locked.identified_without_care_at = identified_at
    locked.databank_due_at = due
    locked.save(update_fields=["identified_without_care_at", "databank_due_at"])
    if not locked.statuses.filter(
        category=StatusCategory.WITHOUT_CARE, ended_on__isnull=True
    ).exists():
        ChildStatus.objects.create(
            child=locked,
            category=StatusCategory.WITHOUT_CARE,
            started_on=identified_at.astimezone(ALMATY).date(),
        )
    timer_start(
        kind=TimerKind.DATABANK_REGISTRATION,
        subject=locked,
        organisation=guardianship_of(locked.district_id),
        started_at=identified_at,
        due_at=due,
        responsible=by,
    )
    return locked


@transaction.atomic
def child_databank_register(*, child: Child, number: str, registered_on: date) -> Child:
    if not number.strip():
        raise ValidationError({"number": _("Enter the data bank registration number.")})
    locked = Child.objects.select_for_update().get(pk=child.pk)
    locked.databank_number = number
    locked.databank_registered_on = registered_on
    locked.save(update_fields=["databank_number", "databank_registered_on"])
    timer_complete(kind=TimerKind.DATABANK_REGISTRATION, subject=locked)
    return locked


def end_of_day(day: date) -> datetime:
    """End of `day` if it is a working day, else of the working day before it."""
    calendar = calendar_around(day)
    candidate = day
    while True:
        try:
            return end_of_working_day(candidate, calendar, closes_at=settings.WORKDAY_ENDS_AT)
        except ValueError:
            candidate -= timedelta(days=1)


def child_document_add(*, child: Child, by: User, title: str, upload) -> Document:
    """Store a scanned document in the file, checked by content like every upload."""
    if not title.strip():
        raise ValidationError({"title": _("Give the document a title.")})
    with transaction.atomic(), files_removed_on_failure() as written:
        document = stored_file_fill(Document(child=child, title=title.strip()), upload, by=by)
        written.append(document.file)
        document.save()
        return document
