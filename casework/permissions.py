"""The access-control core: who may see and do what.

Jurisdiction decides first (a district's staff see their district; an organisation sees
its own); django-guardian object grants add exceptions (a file shared with another
district). Every object type plugs in a `Policy`; views and selectors go through
`visible_to` and `get_object_for_user_or_404`. This module family (`*/permissions.py`)
is the only code that talks to django-guardian.

Invisible objects are 404 (their existence is itself private); visible objects the
user may not act on are 403.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet
from django.db.models.functions import JSONObject
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import assign_perm, remove_perm
from guardian.utils import get_content_type

from .models import Role, StaffMembership, User

M = TypeVar("M", bound=models.Model)

VIEW, CHANGE = "view", "change"
ARCHIVE, RESTORE = "archive", "restore"
# What an archived record still allows: reading it, and a head bringing it back.
ARCHIVED_ACTIONS = frozenset({VIEW, RESTORE})

# Roles that work cases in a district; they see their district's organisations' staff.
DISTRICT_CASEWORK_ROLES = frozenset(
    {
        Role.GUARDIANSHIP_SPECIALIST,
        Role.GUARDIANSHIP_HEAD,
        Role.FSC_SPECIALIST,
        Role.FSC_HEAD,
        Role.KDN_MEMBER,
        Role.KDN_SECRETARY,
    }
)
HEAD_ROLES = frozenset({Role.GUARDIANSHIP_HEAD, Role.FSC_HEAD})


@dataclass(frozen=True)
class Membership:
    organisation_id: int
    role: str
    district_id: int | None
    region_id: int | None


@dataclass(frozen=True)
class Scope:
    """What a user's active memberships entitle them to, computed once per request."""

    user_id: int | None
    memberships: frozenset[Membership]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.memberships)

    @property
    def organisation_ids(self) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.memberships)

    @property
    def is_administrator(self) -> bool:
        return Role.ADMINISTRATOR in self.roles

    def has_any_role(self, roles: frozenset[str]) -> bool:
        return bool(self.roles & roles)

    def organisations_with(self, roles: frozenset[str]) -> frozenset[int]:
        return frozenset(m.organisation_id for m in self.memberships if m.role in roles)

    def districts_with(self, roles: frozenset[str]) -> frozenset[int]:
        """Districts where the user holds one of `roles` (a role grants nothing elsewhere)."""
        return frozenset(
            m.district_id for m in self.memberships if m.role in roles and m.district_id
        )


NO_SCOPE = Scope(None, frozenset())


def scope_for(user: User | AnonymousUser) -> Scope:
    """The user's scope, cached on the user object for the rest of the request."""
    if not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_qamqor_scope", None)
    if cached is not None:
        return cached
    rows = _scope_memberships().filter(user=user).values_list(*_MEMBERSHIP_COLUMNS.values())
    return scope_remember(user, rows)


# Membership's fields, and where scope_for reads each.
_MEMBERSHIP_COLUMNS = {
    "organisation_id": "organisation_id",
    "role": "role",
    "district_id": "organisation__district_id",
    "region_id": "organisation__region_id",
}


def _scope_memberships() -> QuerySet[StaffMembership]:
    return active_memberships().filter(organisation__archived_at__isnull=True)


def scope_memberships_array(user: str = "pk") -> ArraySubquery:
    """What scope_for reads, as one column of a query whose rows name a user by `user`
    (users: "pk"; API tokens: "user_id"): the user of a request is read with their
    memberships in one query (casework/auth_backends.py)."""
    columns = {field: F(source) for field, source in _MEMBERSHIP_COLUMNS.items()}
    return ArraySubquery(
        _scope_memberships().filter(user=OuterRef(user)).values(row=JSONObject(**columns))
    )


def access_columns(user: str = "pk") -> dict[str, ArraySubquery]:
    """Everything the access checks read about a user (memberships, object grants), as
    columns of a query whose rows name the user by `user`."""
    return {"scope_rows": scope_memberships_array(user), **object_grants_columns(user)}


def access_remember(user: User, row: models.Model) -> None:
    """Keep on `user` what access_columns read into `row` (the user's own row, or a row
    naming them: an API token), for the rest of the request."""
    if user.is_active:
        scope_remember(user, row.scope_rows)
    for column in object_grants_columns():
        setattr(user, column, getattr(row, column))


def scope_remember(user: User, rows: Iterable[tuple | dict]) -> Scope:
    """The scope of `user` from their membership rows (tuples, or the dicts of
    scope_memberships_array), kept on the user object for the rest of the request."""
    memberships = frozenset(
        Membership(**row) if isinstance(row, dict) else Membership(*row) for row in rows
    )
    scope = Scope(user_id=user.pk, memberships=memberships)
    user._qamqor_scope = scope
    return scope


def active_memberships() -> QuerySet[StaffMembership]:
    today = timezone.localdate()
    return StaffMembership.objects.filter(started_on__lte=today).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )


class Policy(Generic[M]):
    """How one object type answers "may this user see it" and "may they do this".

    Subclasses give the jurisdiction rule as a `Q` over the model (so lists are filtered
    in the database, never in Python) and the rule for each action on a visible object.
    """

    model: type[M]

    def jurisdiction(self, scope: Scope) -> Q:
        raise NotImplementedError

    def can(self, scope: Scope, obj: M, action: str) -> bool:
        raise NotImplementedError

    def perm(self, action: str) -> str:
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"


def _granted_ids(user: User, policy: Policy, action: str) -> list:
    """The objects of `policy`'s model shared with `user` for `action`: almost always
    none. As literal ids (or no condition at all) the lists' queries keep their indexes;
    as a subquery ORed into the jurisdiction, PostgreSQL reads the whole table."""
    content_type = get_content_type(policy.model)
    codename = policy.perm(action).split(".", 1)[1]
    to_python = policy.model._meta.pk.to_python
    return sorted(
        to_python(object_pk)
        for type_id, granted, object_pk in _all_object_grants(user)
        if type_id == content_type.pk and granted == codename
    )


def object_grants_columns(user: str = "pk") -> dict[str, ArraySubquery]:
    """The user's object grants (direct and through groups) as columns of a query whose
    rows name the user by `user`: the request's user is read with them
    (account_selectors.signed_in_user)."""
    return {
        f"object_grants_{how}": ArraySubquery(
            rows.values(
                row=JSONObject(
                    type_id="content_type_id", codename="permission__codename", pk="object_pk"
                )
            )
        )
        for how, rows in (
            ("direct", UserObjectPermission.objects.filter(user=OuterRef(user))),
            ("group", GroupObjectPermission.objects.filter(group__user=OuterRef(user))),
        )
    }


def _all_object_grants(user: User) -> frozenset[tuple[int, str, str]]:
    """(content type, codename, object pk) of every object shared with `user`: read with
    the request's user by the sign-in backend, otherwise once and kept on the user object
    (grant and revoke forget it)."""
    cached = getattr(user, "_qamqor_object_grants", None)
    if cached is not None:
        return cached
    if hasattr(user, "object_grants_direct"):
        rows = [*user.object_grants_direct, *user.object_grants_group]
        grants = frozenset((row["type_id"], row["codename"], row["pk"]) for row in rows)
    else:
        columns = ("content_type_id", "permission__codename", "object_pk")
        direct = UserObjectPermission.objects.filter(user=user).values_list(*columns)
        through_group = GroupObjectPermission.objects.filter(group__user=user)
        grants = frozenset(direct.union(through_group.values_list(*columns)))
    user._qamqor_object_grants = grants
    return grants


def visible_to(user: User | AnonymousUser, policy: Policy[M], queryset: QuerySet | None = None):
    """`queryset` (default: every row) narrowed to what `user` may see."""
    queryset = policy.model._default_manager.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.user_id is None:
        return queryset.none()
    rule = policy.jurisdiction(scope)
    granted = _granted_ids(user, policy, VIEW)
    if granted:
        rule |= Q(pk__in=granted)
    return queryset.filter(rule)


class RecordArchived(PermissionDenied):
    """The record is archived: it is read, not changed, until a head restores it."""


def _archived_refuses(obj: models.Model, action: str) -> bool:
    return action not in ARCHIVED_ACTIONS and getattr(obj, "archived_at", None) is not None


def refuse_if_archived(obj: models.Model, action: str = CHANGE) -> None:
    """Raise `RecordArchived` (403) with a message that says why nothing can change."""
    if _archived_refuses(obj, action):
        raise RecordArchived(
            _(
                "This record was archived on %(date)s: it can be read but not changed. "
                "A head of guardianship can restore it."
            )
            % {"date": date_format(timezone.localtime(obj.archived_at), "d.m.Y")}
        )


def _permitted(user: User | AnonymousUser, policy: Policy[M], obj: M, action: str) -> bool:
    scope = scope_for(user)
    if scope.user_id is None:
        return False
    if policy.can(scope, obj, action):
        return True
    return _granted(user, obj, policy.perm(action))


def _granted(user: User, obj: models.Model, perm: str) -> bool:
    """django-guardian's answer to `user.has_perm(perm, obj)`, from the user's grants read
    with the request's user (_all_object_grants): guardian's backend reads them again for
    each question, two queries each, and a page asks several."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    content_type = get_content_type(obj)
    app_label, codename = perm.split(".", 1)
    granted = (content_type.pk, codename, str(obj.pk)) in _all_object_grants(user)
    return app_label == content_type.app_label and granted


def can(user: User | AnonymousUser, policy: Policy[M], obj: M, action: str) -> bool:
    """May `user` do `action` on `obj`, which they can already see? An archived record
    allows nothing but reading and restoring, whoever asks."""
    return not _archived_refuses(obj, action) and _permitted(user, policy, obj, action)


def get_object_for_user_or_404(
    user: User | AnonymousUser,
    policy: Policy[M],
    pk: object,
    action: str = VIEW,
    queryset: QuerySet | None = None,
) -> M:
    """The one gate: 404 when `user` may not see the object, 403 when they may not act
    (with the reason when the record is archived)."""
    try:
        obj = visible_to(user, policy, queryset).get(pk=pk)
    except (policy.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if action != VIEW:
        if not _permitted(user, policy, obj, action):
            raise PermissionDenied
        refuse_if_archived(obj, action)
    return obj


def grant(user: User, policy: Policy[M], obj: M, action: str = VIEW) -> None:
    """Share one object with a user outside its jurisdiction (an exception, so explicit)."""
    assign_perm(policy.perm(action), user, obj)
    _forget_grants(user)


def revoke(user: User, policy: Policy[M], obj: M, action: str = VIEW) -> None:
    remove_perm(policy.perm(action), user, obj)
    _forget_grants(user)


def _forget_grants(user: User) -> None:
    """Read again at the next question."""
    user._qamqor_object_grants = None
    for column in object_grants_columns():
        user.__dict__.pop(column, None)


# --- staff profiles -----------------------------------------------------------------


def _active_members_of(organisations: Q) -> QuerySet:
    return active_memberships().filter(organisations).values("user_id")


class StaffPolicy(Policy[User]):
    """Staff profiles hold personal data (names, phone, e-mail).

    Everyone sees their own organisation's staff; district caseworkers also see the
    staff of every organisation in their districts (whom they work with daily);
    administrators see everyone. Only the person, an administrator or a head of
    one of the person's organisations may change a profile.
    """

    model = User

    def jurisdiction(self, scope: Scope) -> Q:
        if scope.is_administrator:
            return Q(pk__isnull=False)  # not Q(): an empty Q vanishes when OR-ed
        rule = Q(pk=scope.user_id)
        rule |= Q(pk__in=_active_members_of(Q(organisation_id__in=scope.organisation_ids)))
        casework_districts = scope.districts_with(DISTRICT_CASEWORK_ROLES)
        if casework_districts:
            rule |= Q(
                pk__in=_active_members_of(Q(organisation__district_id__in=casework_districts))
            )
        return rule

    def can(self, scope: Scope, obj: User, action: str) -> bool:
        if action == VIEW or obj.pk == scope.user_id or scope.is_administrator:
            return True
        if action != CHANGE:
            return False
        headed = scope.organisations_with(HEAD_ROLES)
        return _active_members_of(Q(organisation_id__in=headed, user=obj)).exists()


STAFF = StaffPolicy()


def get_staff_for_user_or_404(user: User, pk: object, action: str = VIEW) -> User:
    return get_object_for_user_or_404(user, STAFF, pk, action)
