"""Reads for the heads' archive page: every archived record of the head's districts in one
list, newest first.

One UNION query pages over all the archivable tables (each read through its partial
`*_archived` index); then one query per kind on the page loads what the rows show. The
page costs the same number of queries whatever the archive holds.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField, QuerySet, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import Role, User
from children.models import Carer, Child, Document
from families.models import Family
from referrals.models import Attachment, Referral

HEADS = frozenset({Role.GUARDIANSHIP_HEAD})
PAGE_SIZE = 25


@dataclass(frozen=True)
class ArchiveKind:
    label: object
    model: type
    district: str  # the lookup that puts a row in a district
    related: tuple[str, ...]  # what a row shows


ARCHIVE_KINDS: dict[str, ArchiveKind] = {
    "child": ArchiveKind(_("Child's file"), Child, "district_id", ("person",)),
    "family": ArchiveKind(_("Family"), Family, "district_id", ()),
    "carer": ArchiveKind(_("Carer"), Carer, "district_id", ("person",)),
    "referral": ArchiveKind(_("Referral"), Referral, "district_id", ()),
    "document": ArchiveKind(_("Document"), Document, "child__district_id", ("child__person",)),
    "attachment": ArchiveKind(
        _("Referral attachment"), Attachment, "referral__district_id", ("referral",)
    ),
}


def _archived_of(key: str, district_ids) -> QuerySet:
    spec = ARCHIVE_KINDS[key]
    return (
        spec.model._default_manager.filter(
            archived_at__isnull=False, **{f"{spec.district}__in": list(district_ids)}
        )
        .annotate(record_kind=Value(key, output_field=CharField()))
        .values_list("record_kind", "pk", "archived_at")
        .order_by()
    )


def archived_records(*, district_ids, kind: str = "") -> QuerySet:
    """(kind, pk, archived_at) of the archived records in the districts, newest first."""
    keys = [kind] if kind else list(ARCHIVE_KINDS)
    first, *others = (_archived_of(key, district_ids) for key in keys)
    records = first.union(*others, all=True) if others else first
    return records.order_by("-archived_at", "record_kind", "-pk")


@dataclass
class ArchiveRow:
    kind: str
    label: object
    record: object
    name: str
    url: str
    restore_url: str
    archived_at: datetime
    archived_by: User
    reason: str


def _describe(kind: str, obj) -> tuple[str, str, str]:
    """What the row says, where it links, and where its Restore button posts."""
    if kind == "child":
        url = reverse("child_file", args=[obj.pk])
        return obj.person.full_name, url, reverse("child_restore", args=[obj.pk])
    if kind == "family":
        url = reverse("family_file", args=[obj.pk])
        return obj.name, url, reverse("family_restore", args=[obj.pk])
    if kind == "carer":
        url = reverse("carer_file", args=[obj.pk])
        return obj.person.full_name, url, reverse("carer_restore", args=[obj.pk])
    if kind == "referral":
        url = reverse("referral_detail", args=[obj.pk])
        return str(obj), url, reverse("referral_restore", args=[obj.pk])
    if kind == "document":
        args = [obj.child_id, obj.pk]
        name = f"{obj.title} — {obj.child.person.full_name}"
        return (
            name,
            reverse("child_document", args=args),
            reverse("child_document_restore", args=args),
        )
    args = [obj.referral_id, obj.pk]
    name = f"{obj.original_name} — {obj.referral}"
    return (
        name,
        reverse("referral_attachment", args=args),
        reverse("referral_attachment_restore", args=args),
    )


def archive_rows(entries) -> list[ArchiveRow]:
    """The page's entries with their records, one query per kind present."""
    entries = list(entries)
    wanted: dict[str, list[int]] = {}
    for kind, pk, _at in entries:
        wanted.setdefault(kind, []).append(pk)
    loaded = {
        kind: ARCHIVE_KINDS[kind]
        .model._default_manager.select_related("archived_by", *ARCHIVE_KINDS[kind].related)
        .in_bulk(pks)
        for kind, pks in wanted.items()
    }
    rows = []
    for kind, pk, _at in entries:
        obj = loaded[kind].get(pk)
        if obj is None or obj.archived_at is None:  # restored since the page was counted
            continue
        name, url, restore_url = _describe(kind, obj)
        rows.append(
            ArchiveRow(
                kind=kind,
                label=ARCHIVE_KINDS[kind].label,
                record=obj,
                name=name,
                url=url,
                restore_url=restore_url,
                archived_at=obj.archived_at,
                archived_by=obj.archived_by,
                reason=obj.archive_reason,
            )
        )
    return rows
