"""Families and their people (`families` and `children.Person`): a household is a family
file with its children, each with a child's file, and the adults who live with them."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from children.models import Child, Person, Sex
from families.models import Family, FamilyMember, Relation

from . import people
from .part import Part
from .plan import DistrictWorld, local
from .rows import Local

# About 2.5 children a family (1 family per 2-3 children).
CHILDREN_PER_FAMILY = {1: 25, 2: 30, 3: 25, 4: 12, 5: 5, 6: 3}
MOTHER_SHARE, FATHER_SHARE, GRANDPARENT_SHARE = 0.93, 0.68, 0.07
# Children without parental care (DESIGN.md section 8: 21,400 of 6.9 million).
WITHOUT_CARE_SHARE = 0.0031
YEAR = 365.25


@dataclass
class Kid:
    child: Local
    person: Local
    born: date
    sex: str
    first_name: str
    last_name: str
    patronymic: str
    opened_at: datetime
    open_statuses: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}"

    def age(self, today: date) -> int:
        return (today - self.born).days // 365


@dataclass
class Household:
    family: Local
    district: DistrictWorld
    surname: people.FamilyName
    specialist: int  # who registered the family
    opened_at: datetime
    address: dict
    kids: list[Kid] = field(default_factory=list)
    adults: list[tuple[Local, str, str]] = field(default_factory=list)  # person, relation, name
    without_care: bool = False
    in_difficult_situation: bool = False
    police_registered: bool = False

    @property
    def parents(self) -> list[tuple[Local, str, str]]:
        return [a for a in self.adults if a[1] in {Relation.MOTHER, Relation.FATHER}]


def households(part: Part, children: int):
    """Households until exactly `children` children have files."""
    sizes, weights = zip(*CHILDREN_PER_FAMILY.items(), strict=True)
    left = children
    while left > 0:
        size = min(left, part.rng.choices(sizes, weights=weights)[0])
        yield household(part, size)
        left -= size


def household(part: Part, size: int) -> Household:
    rng = part.rng
    district = part.district()
    surname = people.family_name(rng)
    opened_at = part.between(part.opened_from, part.opened_until)
    address = {
        "locality": district.locality,
        "street": rng.choice(people.STREETS),
        "house": str(rng.randrange(1, 220)),
        "flat": str(rng.randrange(1, 150)) if rng.random() < 0.6 else "",
    }
    specialist = rng.choice(district.specialists)
    home = Household(
        family=part.add(
            Family,
            name=surname.family,
            district=district.id,
            **address,
            created_by=specialist,
            created_at=opened_at,
            archived_at=None,
            archived_by=None,
            archive_reason="",
        ),
        district=district,
        surname=surname,
        specialist=specialist,
        opened_at=opened_at,
        address=address,
        without_care=part.chance(WITHOUT_CARE_SHARE),
    )
    births = sorted(
        (part.today - timedelta(days=rng.uniform(3, 18 * YEAR - 10)) for _ in range(size)),
    )
    father_name = rng.choice(people.MEN)
    # Children without parental care live without their parents (who died, or were
    # deprived of their rights): the family file holds the siblings.
    if not home.without_care:
        eldest = births[0]
        mother_born = eldest - timedelta(days=rng.uniform(19, 38) * YEAR)
        if rng.random() < MOTHER_SHARE:
            _adult(part, home, Relation.MOTHER, rng.choice(people.WOMEN), Sex.FEMALE, mother_born)
        if rng.random() < FATHER_SHARE:
            father_born = mother_born - timedelta(days=rng.uniform(-3, 8) * YEAR)
            _adult(part, home, Relation.FATHER, father_name, Sex.MALE, father_born)
        if rng.random() < GRANDPARENT_SHARE:
            female = rng.random() < 0.75
            born = mother_born - timedelta(days=rng.uniform(20, 30) * YEAR)
            first = rng.choice(people.WOMEN if female else people.MEN)
            _adult(part, home, Relation.GRANDPARENT, first, Sex.FEMALE if female else Sex.MALE, born)  # fmt: skip
    for born in births:
        _kid(part, home, born, father_name)
    return home


def person_add(
    part: Part,
    *,
    district: DistrictWorld,
    last: str,
    first: str,
    middle: str,
    born: date,
    sex: str,
    iin: str,
    address: dict,
    phones: list[str],
    created_by: int,
    created_at: datetime,
) -> Local:
    return part.add(
        Person,
        iin=iin,
        last_name=last,
        first_name=first,
        patronymic=middle,
        last_name_latin=people.latin(last),
        first_name_latin=people.latin(first),
        patronymic_latin=people.latin(middle),
        birth_date=born,
        sex=sex,
        region=district.region_id,
        district=district.id,
        **address,
        phones=phones,
        search_key=people.search_key(last, first, middle),
        merged_into=None,
        created_by=created_by,
        created_at=created_at,
    )


def adult_add(
    part: Part, district: DistrictWorld, *, first: str, last: str, middle: str, sex: str,
    born: date, address: dict, created_by: int, created_at: datetime,
) -> Local:  # fmt: skip
    born, iin = part.adult_iin(born, sex)
    return person_add(
        part, district=district, last=last, first=first, middle=middle, born=born, sex=sex,
        iin=iin, address=address, phones=[people.phone(part.rng)], created_by=created_by,
        created_at=created_at,
    )  # fmt: skip


def _adult(part: Part, home: Household, relation: str, first: str, sex: str, born: date) -> None:
    female = sex == Sex.FEMALE
    middle = people.patronymic(part.rng.choice(people.MEN), female, home.surname.kazakh_patronymics)
    last = home.surname.female if female else home.surname.male
    person = adult_add(
        part, home.district, first=first, last=last, middle=middle, sex=sex, born=born,
        address=home.address, created_by=home.specialist, created_at=home.opened_at,
    )  # fmt: skip
    part.add(
        FamilyMember,
        family=home.family,
        person=person,
        relation=relation,
        since=part.day(home.opened_at),
        left_on=None,
    )
    home.adults.append((person, relation, f"{last} {first} {middle}"))


def _kid(part: Part, home: Household, born: date, father: str) -> None:
    rng = part.rng
    sex = Sex.FEMALE if rng.random() < 0.49 else Sex.MALE
    female = sex == Sex.FEMALE
    born, iin = part.child_iin(born, sex)
    first = rng.choice(people.GIRLS if female else people.BOYS)
    last = home.surname.female if female else home.surname.male
    middle = people.patronymic(father, female, home.surname.kazakh_patronymics)
    # A baby born after the family's file was opened gets its file after birth.
    opened_at = max(home.opened_at, _at_noon(born) + timedelta(days=rng.uniform(3, 40)))
    opened_at = min(opened_at, part.now - timedelta(minutes=5))
    person = person_add(
        part, district=home.district, last=last, first=first, middle=middle, born=born,
        sex=sex, iin=iin, address=home.address, phones=[], created_by=home.specialist,
        created_at=opened_at,
    )  # fmt: skip
    child = part.add(
        Child,
        person=person,
        district=home.district.id,
        identified_without_care_at=None,
        databank_due_at=None,
        databank_registered_on=None,
        databank_number="",
        closed_at=None,
        closed_reason="",
        created_by=home.specialist,
        created_at=opened_at,
        archived_at=None,
        archived_by=None,
        archive_reason="",
    )
    part.add(
        FamilyMember,
        family=home.family,
        person=person,
        relation=Relation.CHILD,
        since=born,
        left_on=None,
    )
    home.kids.append(Kid(child, person, born, sex, first, last, middle, opened_at))


def _at_noon(day: date) -> datetime:
    return local(day, 12)
