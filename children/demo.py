"""Demo registry for `seed_demo`: synthetic children, families and carers in Almaly."""

import random
from datetime import date, timedelta
from io import BytesIO

from django.utils import timezone, translation

from casework.iin import synthetic_iin
from casework.models import Organisation, User
from families import services as family_services
from families.models import DifficultSituationGround, Relation

from .models import CarerKind, Child, PlacementForm, RegistryImport, Sex
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
    if not Child.objects.exists():  # the registry is seeded once; a second run adds nothing
        _seed_files(organisations=organisations, users=users)
    _seed_import(organisations=organisations, users=users)


def _seed_files(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
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


def _seed_import(*, organisations: dict[str, Organisation], users: dict[str, User]) -> None:
    """One finished import in Almaly's history: a paper registry brought in from Excel,
    with one child who was already in Qamqor. Nobody in it is in substitute care today
    (a mentor, past stays in organisations), so the official figures of orphans and
    children without care stay those of `_seed_files`."""
    district = organisations["ALM-ALM:guardianship"].district
    if RegistryImport.objects.filter(district=district).exists():
        return
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    from .imports.layout import SHEETS
    from .imports.services import registry_import_create, registry_import_queue, registry_import_run
    from .imports.template import import_template_build

    rng = random.Random(6)
    specialist = users["opeka"]
    today = timezone.localdate()
    known = (
        Child.objects.filter(district=district, person__iin__isnull=False).order_by("pk").first()
    )
    born = [today - timedelta(days=365 * age + 17 * age) for age in (3, 7, 12)]
    iins = [synthetic_iin(day, sex, rng) for day, sex in zip(born, "FMF", strict=True)]
    mentor = synthetic_iin(date(1961, 9, 12), Sex.FEMALE, rng)
    institution = organisations["ALM-ALM:institution"]
    with translation.override("ru"):
        rows = {
            "children": [
                {"iin": iins[0], "last_name": "Жумабаева", "first_name": "Айлин"},
                {"iin": iins[1], "last_name": "Серикбаев", "first_name": "Мирас", "status": "difficult_situation", "status_since": today - timedelta(days=700)},
                {"iin": iins[2], "last_name": "Алтынбекова", "first_name": "Медина"},
            ] + ([{"iin": known.person.iin, "last_name": known.person.last_name, "first_name": known.person.first_name}] if known else []),
            "carers": [
                {"iin": mentor, "last_name": "Жумабаева", "first_name": "Гульнара", "kind": "mentor", "approved_on": today - timedelta(days=500)},
            ],
            "placements": [
                {"child_iin": iins[0], "form": "mentor", "carer_iin": mentor, "started_on": today - timedelta(days=480)},
                {"child_iin": iins[1], "form": "health_facility", "organisation": institution.name_ru, "started_on": today - timedelta(days=690), "ended_on": today - timedelta(days=650), "end_reason": "returned_to_parents"},
                {"child_iin": iins[2], "form": "baby_home", "organisation": institution.name_ru, "started_on": born[2] + timedelta(days=30), "ended_on": born[2] + timedelta(days=400), "end_reason": "returned_to_parents"},
            ],
        }  # fmt: skip
        book = load_workbook(BytesIO(import_template_build(district=district)))
        for worksheet in book.worksheets:
            keys = [cell.value for cell in worksheet[2]]
            sheet = next((sh for sh in SHEETS if {c.key for c in sh.columns} == set(keys)), None)
            for number, values in enumerate(rows[sheet.key] if sheet else [], start=3):
                for column, key in enumerate(keys, start=1):
                    worksheet.cell(row=number, column=column).value = values.get(key)
        content = BytesIO()
        book.save(content)
        upload = SimpleUploadedFile("реестр-алмалинский-район.xlsx", content.getvalue())
        record = registry_import_create(
            district=district, by=specialist, upload=upload, language="ru"
        )
        # The demo runs the import in place: no worker is needed to see a finished one.
        registry_import_queue(registry_import=record, by=specialist, enqueue=False)
        registry_import_run(import_id=record.pk)


def seed_archived_duplicate(
    *, organisations: dict[str, Organisation], users: dict[str, User]
) -> None:
    """A child registered a second time (without the IIN, by a colleague who missed the
    duplicate warning), archived by `opeka`: `opeka.head` finds it on the archive page.
    Found by the duplicate person's name and birth date: added once."""
    from .services.archive import child_archive

    district = organisations["ALM-ALM:guardianship"].district
    originals = Child.objects.filter(district=district, person__iin__isnull=False).order_by("pk")
    original = originals.select_related("person").filter(pk__gt=originals.values("pk")[:1]).first()
    if original is None:
        return
    person = original.person
    again = Child.objects.filter(
        district=district,
        person__iin__isnull=True,
        person__last_name=person.last_name,
        person__first_name=person.first_name,
        person__birth_date=person.birth_date,
    )
    if again.exists():
        return
    duplicate = files.child_register(
        data=PersonInput(
            last_name=person.last_name, first_name=person.first_name, district=district,
            sex=person.sex, birth_date=person.birth_date, locality=person.locality,
        ),
        by=users["opeka2"],
    )  # fmt: skip
    child_archive(
        child=duplicate,
        by=users["opeka"],
        reason=f"Повторная регистрация: ребёнок уже в реестре, дело № {original.pk} (демо).",
    )
