"""Reads of the registry, scoped through the access core, with the prefetches pages need."""

from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import OuterRef, Prefetch, Q, QuerySet
from pghistory.models import Events

from casework.array_rows import every_field, fields_with, rows_column, rows_of, user_name
from casework.models import ACTIVE_TIMER_STATUSES, Timer
from casework.permissions import get_object_for_user_or_404, visible_to
from families.models import FamilyMember

from . import names
from .models import Carer, Child, ChildStatus, ChildView, Disability, Person, Placement, Removal
from .permissions import CARERS, CHILDREN, PEOPLE

PAGE_SIZE = 25
# Word similarity a name must reach to count as "likely the same" (also the database's
# pg_trgm.word_similarity_threshold, set per connection in settings).
SIMILARITY = settings.NAME_SIMILARITY_THRESHOLD


def _is_iin(query: str) -> bool:
    return len(query) == 12 and query.isascii() and query.isdigit()


def ranked_by_name(queryset: QuerySet, query: str) -> QuerySet:
    """People matching `query` in any script and spelling, closest first; an IIN is exact."""
    query = query.strip()
    queryset = queryset.filter(merged_into__isnull=True)
    if _is_iin(query):
        return queryset.filter(iin=query)
    key = names.search_key(query)
    if not key:
        return queryset.none()
    return (
        queryset.annotate(similarity=TrigramWordSimilarity(key, "search_key"))
        .filter(Q(search_key__trigram_word_similar=key) | Q(search_key__contains=key))
        .order_by("-similarity", "last_name", "pk")
    )


def child_list(
    *, user, query: str = "", category: str = "", open_only: bool = True
) -> QuerySet[Child]:
    people = visible_to(user, PEOPLE)
    if query:
        people = ranked_by_name(people, query)
    children = (
        visible_to(user, CHILDREN)
        .filter(archived_at__isnull=True)
        .select_related("person", "district")
    )
    if open_only:
        children = children.filter(closed_at__isnull=True)
    if category:
        children = children.filter(statuses__category=category, statuses__ended_on__isnull=True)
    if query:
        ranked = list(people.filter(child__isnull=False).values_list("child__pk", flat=True)[:500])
        order = {pk: n for n, pk in enumerate(ranked)}
        return sorted(
            children.filter(pk__in=ranked).prefetch_related(_active_placements()),
            key=lambda c: order[c.pk],
        )
    return children.prefetch_related(_active_placements()).order_by(
        "person__last_name", "person__first_name", "pk"
    )


def _active_placements() -> Prefetch:
    return Prefetch(
        "placements",
        queryset=Placement.objects.filter(ended_on__isnull=True).select_related(
            "carer__person", "organisation"
        ),
        to_attr="active_placements",
    )


def duplicate_candidates(
    *,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    iin: str = "",
    birth_date: date | None = None,
    limit: int = 10,
) -> list[Person]:
    """Who this new person may already be, across the country: the IIN wins; otherwise a
    similar name, with the same birth date ranked first. Shown before creating.

    People whose child's file is archived are candidates too: the person is still one
    record, and the right move is to have that file restored, not to register again."""
    people = Person.objects.filter(merged_into__isnull=True).select_related("district")
    if iin:
        same = list(people.filter(iin=iin)[:1])
        if same:
            return same
    key = names.search_key(last_name, first_name, patronymic)
    if not key:
        return []
    candidates = list(
        people.annotate(similarity=TrigramWordSimilarity(key, "search_key"))
        .filter(search_key__trigram_word_similar=key, similarity__gte=SIMILARITY)
        .order_by("-similarity")[:50]
    )
    candidates.sort(key=lambda p: (birth_date is None or p.birth_date != birth_date, -p.similarity))
    return candidates[:limit]


def child_file(*, user, pk) -> Child:
    """The child's file page: the child with its short lists (statuses, disabilities,
    views, placements, removals, families) as columns of one query, then one query per
    longer part."""
    of_child = {"child": OuterRef("pk")}
    queryset = Child.objects.select_related("person__district", "archived_by", "district").annotate(
        status_rows=rows_column(
            ChildStatus.objects.filter(**of_child).order_by("-started_on", "-pk"),
            *every_field(ChildStatus),
        ),
        disability_rows=rows_column(
            Disability.objects.filter(**of_child).order_by("-established_on", "-pk"),
            *every_field(Disability),
        ),
        view_rows=rows_column(
            ChildView.objects.filter(**of_child).order_by("-heard_on", "-pk"),
            *every_field(ChildView),
            *user_name("heard_by"),
        ),
        placement_rows=rows_column(
            Placement.objects.filter(**of_child).order_by("-started_on", "-pk"),
            *fields_with(Placement, "carer", "carer__person", "organisation"),
        ),
        removal_rows=rows_column(
            Removal.objects.filter(**of_child).order_by("-removed_at", "-pk"),
            *every_field(Removal),
            *user_name("recorded_by"),
        ),
        family_rows=rows_column(
            FamilyMember.objects.filter(
                person=OuterRef("person_id"), left_on__isnull=True, family__archived_at__isnull=True
            ).order_by("pk"),
            *fields_with(FamilyMember, "family"),
        ),
    )
    child = get_object_for_user_or_404(user, CHILDREN, pk, queryset=queryset)
    child.status_list = rows_of(ChildStatus, child.status_rows)
    child.disability_list = rows_of(Disability, child.disability_rows)
    child.view_list = rows_of(ChildView, child.view_rows)
    child.placement_list = rows_of(Placement, child.placement_rows)
    child.removal_list = rows_of(Removal, child.removal_rows)
    child.family_list = rows_of(FamilyMember, child.family_rows)
    child.open_timers = open_timers_for(child)
    child.document_list = list(
        child.documents.filter(archived_at__isnull=True).select_related("uploaded_by")[:100]
    )
    child.referral_list = list(
        child.referrals.filter(archived_at__isnull=True)
        .select_related("source_organisation")
        .order_by("-received_at")[:50]
    )
    # The commission's view of the child: what was submitted and what it decided.
    child.kdn_list = list(child.kdn_items.select_related("meeting").order_by("-submitted_at")[:20])
    # The events of the child's file and of the person (and of records merged into the
    # person), each event table searched by its own indexed columns: filtering the
    # union's text `pgh_obj_id` instead scans every event table whole.
    child.change_log = list(
        Events.objects.across("children.ChildEvent", "children.PersonEvent")
        .references(child.person)
        .order_by("-pgh_created_at")[:30]
    )
    return child


def open_timers_for(child: Child) -> list[Timer]:
    """The child's running deadlines: data bank, court claim, re-examination, carer checks."""
    subjects = Q(subject_type=ContentType.objects.get_for_model(Child), subject_id=child.pk)
    removal_ids = [r.pk for r in getattr(child, "removal_list", child.removals.all())]
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(Removal), subject_id__in=removal_ids
    )
    disability_ids = [d.pk for d in getattr(child, "disability_list", child.disabilities.all())]
    subjects |= Q(
        subject_type=ContentType.objects.get_for_model(Disability), subject_id__in=disability_ids
    )
    carer_ids = [
        p.carer_id
        for p in getattr(child, "placement_list", [])
        if p.carer_id and p.ended_on is None
    ]
    subjects |= Q(subject_type=ContentType.objects.get_for_model(Carer), subject_id__in=carer_ids)
    return list(Timer.objects.filter(subjects, status__in=ACTIVE_TIMER_STATUSES).order_by("due_at"))


def carer_list(*, user, query: str = "") -> QuerySet[Carer]:
    carers = (
        visible_to(user, CARERS)
        .filter(person__merged_into__isnull=True, archived_at__isnull=True)
        .select_related("person", "district")
    )
    if query:
        people = ranked_by_name(Person.objects.all(), query).values("pk")[:500]
        carers = carers.filter(person__in=people)
    return carers.order_by("check_due_on", "pk")


def carer_file(*, user, pk) -> Carer:
    carer = get_object_for_user_or_404(
        user, CARERS, pk, queryset=Carer.objects.select_related("person", "archived_by")
    )
    carer.check_list = list(carer.checks.select_related("checked_by"))
    carer.inspection_list = list(carer.inspections.select_related("inspected_by"))
    carer.placement_list = list(carer.placements.select_related("child__person"))
    carer.open_timers = list(
        Timer.objects.filter(
            subject_type=ContentType.objects.get_for_model(Carer),
            subject_id=carer.pk,
            status__in=ACTIVE_TIMER_STATUSES,
        ).order_by("due_at")
    )
    return carer


def secondary_orphanhood_count(*, district_ids=None) -> int:
    queryset = Placement.objects.filter(secondary_orphanhood=True, child__archived_at__isnull=True)
    if district_ids is not None:
        queryset = queryset.filter(child__district_id__in=district_ids)
    return queryset.count()
