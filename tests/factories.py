"""factory_boy factories: synthetic people and places only."""

import factory
from django.utils import timezone

from casework.models import (
    District,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StaffMembership,
    User,
)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысы")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"D{n:04d}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")
    name_kk = factory.Sequence(lambda n: f"{n} ауданы")
    name_en = factory.Sequence(lambda n: f"District {n}")
    child_population = 50_000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.GUARDIANSHIP
    district = factory.SubFactory(DistrictFactory)
    region = factory.LazyAttribute(lambda o: o.district.region if o.district else None)
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    name_kk = factory.Sequence(lambda n: f"{n} ұйым")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Iterator(["Айгерим", "Ерлан", "Дана", "Тимур"])
    last_name = factory.Iterator(["Сапар", "Омар", "Нуртас", "Кенже"])
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.GUARDIANSHIP_SPECIALIST
    started_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=30))


def staff(role: str, organisation: Organisation, **user_fields) -> User:
    """A user holding `role` in `organisation`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user
