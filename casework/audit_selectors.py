"""Reads of the audit log: who viewed one file, and the export of a period.

Who may read what:
- "Who viewed this file" (a child's, a family's, an FSC case's): the heads who answer
  for the file (see the `AUDIT` action of each policy), never the staff being watched.
- The export of a period: a guardianship head gets their district's part, an
  administrator the whole country's, without case content.

A head's part of the log ("the district's audit") is what a head needs to supervise
both their staff and the district's files:
- reads of the district's files, by anyone: its children, families, carers, referrals,
  FSC cases and commission agenda items (so a colleague of another district reading a
  shared file, an FSC specialist or a commission member shows up too); and
- reads by the district's staff (anyone holding a role in one of the district's
  organisations during the period), whatever they read (a file shared from another
  district, a staff profile);
- changes made by the district's staff (pghistory rows whose request context names
  one of them), with the model, object id, user, time, address, IP and the names of
  the fields that changed, never their values.
The name of the object read (`object_repr`) is shown only for the district's own files;
administrators get object type and id only, and addresses without their query string.
Changes made outside a request (system jobs) have no user and are not exported.
"""

import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from itertools import islice

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from pghistory.models import Context, Events

from .models import AuditRead, Role, StaffMembership, User
from .permissions import scope_for

AUDIT_PAGE_SIZE = 25
# Hard cap of one export, per part (reads, changes): past it the file ends with a line
# asking for a shorter period. A district's busiest month stays well below it.
EXPORT_MAX_ROWS = 100_000
EXPORT_MAX_DAYS = 366
EXPORT_HEADS = frozenset({Role.GUARDIANSHIP_HEAD})
_BATCH = 2000


# --- who viewed one file ------------------------------------------------------------


def object_reads(*, obj: models.Model) -> QuerySet[AuditRead]:
    """Reads of one file, newest first, with the reader and all their memberships.

    Served by the `auditread_object` index; a page costs the count, the rows and one
    query for the readers' memberships, whatever its size.
    """
    return (
        AuditRead.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=StaffMembership.objects.select_related("organisation").order_by(
                    "started_on", "pk"
                ),
                to_attr="all_memberships",
            )
        )
        .order_by("-at", "-pk")
    )


def held_on(memberships: Iterable[StaffMembership], day: date) -> list[StaffMembership]:
    """The roles held on `day`; failing that, the last one held (someone who has left)."""
    memberships = list(memberships)
    held = [
        m for m in memberships if m.started_on <= day and (m.ended_on is None or m.ended_on >= day)
    ]
    return held or memberships[-1:]


def with_reader_roles(reads: Iterable[AuditRead]) -> list[AuditRead]:
    """Each read with `roles`: the reader's memberships on the day of the read."""
    reads = list(reads)
    for read in reads:
        read.roles = held_on(read.user.all_memberships, timezone.localdate(read.at))
    return reads


# --- the export of a period ---------------------------------------------------------


@dataclass(frozen=True)
class ExportScope:
    """Whose audit a user may export: districts for a head, None (everything) for an
    administrator, who sees metadata only."""

    district_ids: frozenset[int] | None

    @property
    def shows_names(self) -> bool:
        return self.district_ids is not None


def export_scope(*, user: User) -> ExportScope | None:
    scope = scope_for(user)
    if scope.is_administrator:
        return ExportScope(district_ids=None)
    districts = scope.districts_with(EXPORT_HEADS)
    return ExportScope(district_ids=frozenset(districts)) if districts else None


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last`, Almaty time, as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def district_staff(*, district_ids: Iterable[int], first: date, last: date) -> QuerySet:
    """Users holding any role in the districts' organisations during the period."""
    return (
        StaffMembership.objects.filter(
            organisation__district_id__in=district_ids, started_on__lte=last
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values("user_id")
    )


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    """itertools.batched, which Python 3.11 does not have yet."""
    iterator = iter(items)
    while batch := tuple(islice(iterator, size)):
        yield batch


def _as_text(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(key=Cast("pk", CharField())).values("key")


def district_files(district_ids: Iterable[int]) -> Q:
    """AuditRead rows about the districts' files (object ids are stored as text)."""
    from casework.models import AgendaItem, Case
    from children.models import Carer, Child
    from families.models import Family
    from referrals.models import Referral

    district_ids = list(district_ids)
    files = [
        Child.objects.filter(district_id__in=district_ids),
        Family.objects.filter(district_id__in=district_ids),
        Carer.objects.filter(district_id__in=district_ids),
        Referral.objects.filter(district_id__in=district_ids),
        Case.objects.filter(district_id__in=district_ids),
        AgendaItem.objects.filter(commission__district_id__in=district_ids),
    ]
    return reduce(
        operator.or_,
        (
            Q(
                content_type=ContentType.objects.get_for_model(queryset.model),
                object_id__in=_as_text(queryset),
            )
            for queryset in files
        ),
    )


@dataclass
class ExportRow:
    record: str  # "read" or "change"
    at: datetime
    user_id: int | None
    action: str
    object_type: str
    object_id: str
    object_name: str
    fields: str
    path: str
    ip: str


class Readers:
    """Usernames, names and roles of the users in an export, fetched a batch at a time."""

    def __init__(self) -> None:
        self._users: dict[int, User] = {}

    def load(self, user_ids: Iterable[int | None]) -> None:
        missing = {pk for pk in user_ids if pk is not None and pk not in self._users}
        if not missing:
            return
        users = User.objects.filter(pk__in=missing).prefetch_related(
            Prefetch(
                "memberships",
                queryset=StaffMembership.objects.select_related("organisation").order_by(
                    "started_on", "pk"
                ),
                to_attr="all_memberships",
            )
        )
        self._users.update({user.pk: user for user in users})

    def describe(self, user_id: int | None, at: datetime) -> tuple[str, str, str, str]:
        """(username, full name, organisations, roles) on the day of `at`."""
        user = self._users.get(user_id)
        if user is None:
            return ("", "", "", "")
        roles = held_on(user.all_memberships, timezone.localdate(at))
        return (
            user.username,
            user.full_name,
            "; ".join(str(m.organisation) for m in roles),
            "; ".join(str(m.get_role_display()) for m in roles),
        )


def _type_label(model: type[models.Model] | None, fallback: str) -> str:
    return str(capfirst(model._meta.verbose_name)) if model else fallback


def export_reads(*, scope: ExportScope, first: date, last: date) -> QuerySet[AuditRead]:
    """The period's reads in scope, oldest first, at most EXPORT_MAX_ROWS + 1 of them
    (the extra row tells the caller the cap was reached)."""
    start, end = period_bounds(first, last)
    reads = AuditRead.objects.filter(at__gte=start, at__lt=end)
    if scope.district_ids is not None:
        files = district_files(scope.district_ids)
        staff = district_staff(district_ids=scope.district_ids, first=first, last=last)
        reads = reads.filter(files | Q(user_id__in=staff)).annotate(
            in_district=models.Case(
                models.When(files, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )
    return reads.order_by("at", "pk")[: EXPORT_MAX_ROWS + 1]


def export_read_rows(*, scope: ExportScope, reads: QuerySet[AuditRead]) -> Iterator[ExportRow]:
    types = {ct.pk: ct for ct in ContentType.objects.all()}
    fields = ["at", "user_id", "action", "content_type_id", "object_id", "object_repr"]
    fields += ["path", "ip", *(["in_district"] if scope.shows_names else [])]
    actions = dict(AuditRead._meta.get_field("action").choices)
    for row in reads.values(*fields).iterator(chunk_size=_BATCH):
        content_type = types.get(row["content_type_id"])
        path = row["path"] if scope.shows_names else row["path"].split("?", 1)[0]
        yield ExportRow(
            record="read",
            at=row["at"],
            user_id=row["user_id"],
            action=str(actions.get(row["action"], row["action"])),
            object_type=_type_label(
                content_type.model_class() if content_type else None, str(row["content_type_id"])
            ),
            object_id=row["object_id"],
            object_name=row["object_repr"] if row.get("in_district") else "",
            fields="",
            path=path,
            ip=row["ip"] or "",
        )


def export_change_rows(*, scope: ExportScope, first: date, last: date) -> Iterator[ExportRow]:
    """The period's changes in scope from the pghistory tables, a request at a time.

    The requests (pghistory contexts) of the period are found first, by time (the
    `pghistory_context_created_at` index) and for a head by user; then each batch's
    events by context id, which every event table indexes. At most EXPORT_MAX_ROWS + 1.
    """
    start, end = period_bounds(first, last)
    contexts = Context.objects.filter(created_at__gte=start, created_at__lt=end)
    if scope.district_ids is not None:
        staff = district_staff(district_ids=scope.district_ids, first=first, last=last)
        contexts = contexts.filter(metadata__user__in=list(staff.values_list("user_id", flat=True)))
    contexts = contexts.order_by("created_at", "id").values_list("id", "metadata")
    produced = 0
    for batch in batched(contexts.iterator(chunk_size=500), 500):
        metadata = dict(batch)
        events = (
            Events.objects.filter(pgh_context_id__in=list(metadata))
            .order_by("pgh_created_at", "pgh_model", "pgh_id")
            .values_list(
                "pgh_created_at",
                "pgh_obj_model",
                "pgh_obj_id",
                "pgh_label",
                "pgh_diff",
                "pgh_context_id",
            )
        )
        for at, obj_model, obj_id, label, diff, context_id in events:
            context = metadata.get(context_id) or {}
            yield ExportRow(
                record="change",
                at=at,
                user_id=context.get("user"),
                action=label,
                object_type=_type_label(_model(obj_model), obj_model),
                object_id=obj_id or "",
                object_name="",
                fields=", ".join(sorted(diff or {})),
                path=(context.get("url") or "")[:500],
                ip=context.get("ip") or "",
            )
            produced += 1
            if produced > EXPORT_MAX_ROWS:
                return


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def with_readers(rows: Iterator[ExportRow], readers: Readers) -> Iterator[tuple[ExportRow, tuple]]:
    """Rows with their user described, users fetched one batch of rows at a time."""
    for batch in batched(rows, _BATCH):
        readers.load(row.user_id for row in batch)
        for row in batch:
            yield row, readers.describe(row.user_id, row.at)
