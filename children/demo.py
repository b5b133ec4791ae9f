"""Demo registry for `seed_demo`: synthetic children, families and carers in Almaly."""

import random
from datetime import date, timedelta

from django.utils import timezone

from casework.iin import synthetic_iin
from casework.models import Organisation, User
from families import services as family_services
from families.models import DifficultSituationGround, Relation

from .models import CarerKind, Child, PlacementForm, Sex
from .services import carers, files, placements
from .services.people import PersonInput, person_create

SURNAMES = [
    ("Сапаров", "Сапарова"),
    ("Омаров", "Омарова"),
    ("Нуртасов", "Нуртасова"),
    ("Кенжеев", "Кенжеева"),
    ("Ахметов", "Ахметова"),
]
GIRLS = ["Аружан", "Томирис", "Айлин", "Амина", "Медина", "Алия"]
BOYS = ["Алихан", "Данияр", "Мирас", "Санжар", "Нурсултан", "Ерасыл"]
ADULTS_F = ["Гульнара", "Сауле", "Жанар", "Айгуль"]
ADULTS_M = ["Ерлан", "Марат", "Бахыт", "Серик"]


def seed_registry(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    if Child.objects.exists():
        return  # the registry is seeded once; a second run adds nothing
    rng = random.Random(5)
    district = organisations["ALM-ALM:guardianship"].district
    specialist = users["opeka"]
    today = timezone.localdate()

    def person(first, last, sex, born, with_iin=True, **extra):
        return person_create(
            data=PersonInput(
                last_name=last, first_name=first, district=district, sex=sex, birth_date=born,
                iin=synthetic_iin(born, sex, rng) if with_iin else "", locality="Алматы",
                street=rng.choice(["ул. Толе би", "пр. Абая", "ул. Гагарина"]), house=str(rng.randrange(1, 150)),
                **extra,
            ),
            by=specialist,
        )  # fmt: skip

    grounds = list(DifficultSituationGround.objects.filter(code__in=["low_income", "addiction"]))
    children = []
    for n, (male, female) in enumerate(SURNAMES):
        family = family_services.family_create(
            name=f"{male}ы", district=district, by=specialist, locality="Алматы"
        )
        mother = person(rng.choice(ADULTS_F), female, Sex.FEMALE, date(1985 + n, 3, 10 + n))
        family_services.family_member_add(family=family, person=mother, relation=Relation.MOTHER)
        for k in range(2):
            girl = (n + k) % 2 == 0
            born = today - timedelta(days=365 * (4 + 3 * k + n) + 40 * n)
            kid = person(
                rng.choice(GIRLS if girl else BOYS), female if girl else male,
                Sex.FEMALE if girl else Sex.MALE, born, with_iin=not (n == 4 and k == 1),
            )  # fmt: skip
            family_services.family_member_add(family=family, person=kid, relation=Relation.CHILD)
            children.append(files.child_open_for(person=kid, by=specialist, district=district))
        if n < 2:
            family_services.difficult_situation_recognise(
                family=family,
                grounds=grounds,
                other_ground="",
                recognised_on=today - timedelta(days=60 + n),
                by=specialist,
            )
        if n == 0:
            family_services.police_registration_add(
                family=family, registered_on=today - timedelta(days=30), police_unit="ОП Алмалинского района",
                inspector="Инспектор (синтетический)", ground="Профилактический учёт (демо)",
            )  # fmt: skip

    foster = carers.carer_register(
        person=person("Сауле", "Бекова", Sex.FEMALE, date(1979, 5, 5)),
        kind=CarerKind.FOSTER, district=district, approved_on=today - timedelta(days=340),
    )  # fmt: skip
    professional = carers.carer_register(
        person=person("Марат", "Исаев", Sex.MALE, date(1975, 8, 1)),
        kind=CarerKind.PROFESSIONAL_FOSTER, district=district, approved_on=today - timedelta(days=200),
    )  # fmt: skip
    carers.inspection_record(
        carer=foster, by=specialist, inspected_on=today - timedelta(days=100), conditions_ok=True,
        findings="Условия проживания удовлетворительные (демо).",
    )  # fmt: skip
    institution = organisations["ALM-ALM:institution"]
    placements.placement_start(
        child=children[0],
        form=PlacementForm.FOSTER_FAMILY,
        carer=foster,
        started_on=today - timedelta(days=300),
    )
    placements.placement_start(
        child=children[2],
        form=PlacementForm.PROFESSIONAL_FOSTER,
        carer=professional,
        started_on=today - timedelta(days=90),
    )
    first = placements.placement_start(
        child=children[4],
        form=PlacementForm.FOSTER_FAMILY,
        carer=foster,
        started_on=today - timedelta(days=400),
    )
    placements.placement_end(
        placement=first, ended_on=today - timedelta(days=120), reason="returned_to_organisation"
    )
    placements.placement_start(
        child=children[4],
        form=PlacementForm.ORGANISATION,
        organisation=institution,
        started_on=today - timedelta(days=120),
    )
    files.child_identify_without_care(
        child=children[6], identified_at=timezone.now() - timedelta(hours=30), by=specialist
    )
    files.child_identify_without_care(
        child=children[8], identified_at=timezone.now() - timedelta(days=20), by=specialist
    )
    files.child_databank_register(
        child=children[8], number="DB-DEMO-0008", registered_on=today - timedelta(days=19)
    )
    files.disability_add(
        child=children[3], by=specialist, group="Ребёнок с инвалидностью", established_on=today - timedelta(days=500),
        valid_until=today + timedelta(days=40), rehabilitation_programme="ИПР (демо)", special_services="Логопед, ЛФК",
        inclusive_education=True,
    )  # fmt: skip
    files.child_view_record(
        child=children[0], by=specialist, heard_on=today - timedelta(days=5), decision="Продление приёмной семьи",
        words="Мне здесь хорошо, я хочу остаться.",
    )  # fmt: skip
    placements.removal_record(
        child=children[6], by=specialist, removed_at=timezone.now() - timedelta(days=2), reason="Угроза жизни (демо).",
        accompanied_by="Специалист органа опеки, инспектор ПДН", explained_to_child=True, psychologist_present=True,
        psychologist_absence_reason="", taken_to="Центр поддержки детей", prosecutor_notified_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip
