"""The pages a specialist opens many times a day, each with the users and addresses to
open it with: several districts and many different files, so no figure is one lucky row
in the cache."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count

from casework.models import OrganisationKind, Role, StaffMembership, User
from children.models import Child
from families.models import Family
from referrals.models import ReferralKind, Status

Sample = tuple[User, str]
DISTRICTS = 4  # the busiest ones: the worst case a national deployment meets
FILES_PER_DISTRICT = 8


@dataclass(frozen=True)
class Page:
    name: str
    title: str
    # "page": p95 <= 100 ms and <= 3x floor; "dashboard": p95 <= 1 s.
    budget: str
    samples: Callable[[random.Random], list[Sample]]


def busiest_district_ids(having: str = "") -> list[int]:
    """The districts with the most children; `having`: only those with such an
    organisation (not every district has a Family Support Center yet)."""
    children = Child.objects.filter(archived_at__isnull=True)
    if having:
        children = children.filter(
            district__organisations__kind=having, district__organisations__archived_at=None
        )
    rows = children.values("district").annotate(n=Count("pk")).order_by("-n")[:DISTRICTS]
    return [row["district"] for row in rows]


def staff(district_id: int, kind: str, role: str) -> User:
    membership = (
        StaffMembership.objects.filter(
            organisation__district_id=district_id,
            organisation__kind=kind,
            role=role,
            ended_on__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise LookupError(f"no active {role} in district {district_id}: generate a population")
    return membership.user


def specialist(district_id: int) -> User:
    return staff(district_id, OrganisationKind.GUARDIANSHIP, Role.GUARDIANSHIP_SPECIALIST)


def head(district_id: int) -> User:
    return staff(district_id, OrganisationKind.GUARDIANSHIP, Role.GUARDIANSHIP_HEAD)


def fsc_specialist(district_id: int) -> User:
    return staff(district_id, OrganisationKind.FSC, Role.FSC_SPECIALIST)


def analyst() -> User:
    membership = (
        StaffMembership.objects.filter(role=Role.ANALYST, ended_on__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise LookupError("no analyst: generate a population")
    return membership.user


def per_district(
    make: Callable[[int], Sample], having: str = ""
) -> Callable[[random.Random], list[Sample]]:
    return lambda rng: [make(district) for district in busiest_district_ids(having)]


def some_children(rng: random.Random, district_id: int) -> list[Child]:
    ids = list(
        Child.objects.filter(district_id=district_id, archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chosen = rng.sample(ids, min(FILES_PER_DISTRICT, len(ids)))
    return list(Child.objects.filter(pk__in=chosen).select_related("person").order_by("pk"))


def per_child(url: Callable[[Child], str]) -> Callable[[random.Random], list[Sample]]:
    def samples(rng: random.Random) -> list[Sample]:
        found = []
        for district in busiest_district_ids():
            user = specialist(district)
            found += [(user, url(child)) for child in some_children(rng, district)]
        return found

    return samples


def with_typo(word: str, rng: random.Random) -> str:
    """A surname as a tired specialist types it: two neighbouring letters swapped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def child_search_name(rng: random.Random) -> list[Sample]:
    found = []
    for district in busiest_district_ids():
        user = specialist(district)
        for child in some_children(rng, district):
            query = f"{with_typo(child.person.last_name, rng)} {child.person.first_name}"
            found.append((user, "/registry/children/?" + urlencode({"q": query})))
    return found


def family_file(rng: random.Random) -> list[Sample]:
    found = []
    for district in busiest_district_ids():
        user = specialist(district)
        ids = list(
            Family.objects.filter(district_id=district, archived_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        found += [
            (user, f"/registry/families/{pk}/")
            for pk in rng.sample(ids, min(FILES_PER_DISTRICT, len(ids)))
        ]
    return found


def statistics_national(rng: random.Random) -> list[Sample]:
    return [(analyst(), "/statistics/")]


FILTERED = urlencode({"kind": ReferralKind.POLICE_NOTICE, "status": Status.TRANSFERRED})

PAGES = [
    Page(
        "referral_list",
        "District referral list",
        "page",
        per_district(lambda d: (specialist(d), "/referrals/")),
    ),
    Page(
        "referral_list_filtered",
        "District referral list, filtered (police notices, transferred)",
        "page",
        per_district(lambda d: (specialist(d), f"/referrals/?{FILTERED}")),
    ),
    Page(
        "fsc_inbox",
        "FSC inbox",
        "page",
        per_district(lambda d: (fsc_specialist(d), "/fsc/inbox/"), having=OrganisationKind.FSC),
    ),
    Page(
        "child_search_iin",
        "Child search by IIN",
        "page",
        per_child(lambda c: "/registry/children/?" + urlencode({"q": c.person.iin})),
    ),
    Page("child_search_name", "Child search by name, with a typo", "page", child_search_name),
    Page("child_file", "Child's file", "page", per_child(lambda c: f"/registry/children/{c.pk}/")),
    Page("family_file", "Family's file", "page", family_file),
    Page(
        "head_dashboard",
        "District head's dashboard",
        "dashboard",
        per_district(lambda d: (head(d), "/dashboard/")),
    ),
    Page(
        "statistics_district",
        "Statistics table, one district (guardianship head)",
        "dashboard",
        per_district(lambda d: (head(d), "/statistics/")),
    ),
    Page(
        "statistics_national",
        "Statistics table, every district (analyst)",
        "dashboard",
        statistics_national,
    ),
]
