"""Synthetic names: random combinations of common first names and surnames, never a
real person. The demo's own lists (`seed_demo`, `children.demo`, `referrals.demo`) are
the core; more common names are added so that a national registry is not a few dozen
surnames (name search must be selective, as it is in a real registry)."""

import functools
import random
from dataclasses import dataclass

from casework.management.commands import seed_demo
from children import demo as registry_demo
from children import names
from referrals import demo as referral_demo

GIRLS = sorted(
    {
        *registry_demo.GIRLS,
        *(n for n in referral_demo.CHILD_FIRST if n.endswith(("а", "н", "с", "я"))),
        *[
            "Аяла",
            "Асылым",
            "Айару",
            "Инкар",
            "Жасмин",
            "Камила",
            "Сафия",
            "Айша",
            "Раяна",
            "Дильназ",
            "Айым",
            "Аянат",
            "Малика",
            "Арайлым",
            "Балнур",
            "Нурай",
            "Айдана",
            "Мерей",
            "Зере",
            "Жания",
            "Адия",
            "Ясмина",
            "Диана",
            "Анель",
            "Алина",
            "Сабина",
            "Милана",
            "Дарина",
            "Аделина",
            "Полина",
            "Виктория",
            "София",
            "Анна",
            "Мария",
            "Ева",
            "Алиса",
            "Ксения",
        ],
    }
)
BOYS = sorted(
    {
        *registry_demo.BOYS,
        "Алихан",
        "Данияр",
        *[
            "Айсултан",
            "Амир",
            "Ислам",
            "Рамазан",
            "Нурислам",
            "Омар",
            "Али",
            "Алдияр",
            "Арсен",
            "Мансур",
            "Ерасыл",
            "Бекзат",
            "Абылай",
            "Тамерлан",
            "Ильяс",
            "Алан",
            "Даниал",
            "Жанибек",
            "Нуржан",
            "Асанали",
            "Бахтияр",
            "Расул",
            "Арнур",
            "Ернур",
            "Айдос",
            "Темирлан",
            "Максим",
            "Артём",
            "Иван",
            "Михаил",
            "Александр",
            "Дмитрий",
            "Кирилл",
            "Егор",
        ],
    }
)
WOMEN = sorted(
    {
        *seed_demo.FIRST_NAMES_F,
        *registry_demo.ADULTS_F,
        *[
            "Гульмира",
            "Айжан",
            "Динара",
            "Карлыгаш",
            "Лаура",
            "Меруерт",
            "Назгуль",
            "Роза",
            "Салтанат",
            "Толкын",
            "Умит",
            "Жулдыз",
            "Айнур",
            "Бибигуль",
            "Галия",
            "Индира",
            "Куляш",
            "Майра",
            "Нургуль",
            "Алия",
            "Елена",
            "Наталья",
            "Татьяна",
            "Светлана",
            "Ирина",
            "Анастасия",
        ],
    }
)
MEN = sorted(
    {
        *seed_demo.FIRST_NAMES_M,
        *registry_demo.ADULTS_M,
        *[
            "Асхат",
            "Болат",
            "Галым",
            "Ержан",
            "Жандос",
            "Кайрат",
            "Канат",
            "Мухтар",
            "Нуржан",
            "Олжас",
            "Руслан",
            "Самат",
            "Талгат",
            "Улан",
            "Абай",
            "Азамат",
            "Берик",
            "Габит",
            "Дархан",
            "Ерболат",
            "Куаныш",
            "Максат",
            "Нурбол",
            "Айбек",
            "Андрей",
            "Алексей",
            "Виктор",
            "Евгений",
            "Павел",
        ],
    }
)
# Kazakh surnames come from a forefather's name: Ахмет -> Ахметов / Ахметова.
ROOTS = sorted(
    {
        *[
            "Ахмет",
            "Серик",
            "Нуртас",
            "Кенже",
            "Омар",
            "Сапар",
            "Бекмырза",
            "Алтынбек",
            "Жумабай",
            "Исмаил",
            "Абдрахман",
            "Байжан",
            "Досым",
            "Жаксылык",
            "Ермек",
            "Иманбай",
            "Калдыбай",
            "Мусин",
            "Нурлыбай",
            "Оспан",
            "Рахим",
            "Сатыбалды",
            "Токтар",
            "Утеш",
            "Шакир",
            "Ыбырай",
            "Айтбай",
            "Бектур",
            "Дауле",
            "Есен",
            "Жолдас",
            "Каир",
            "Кожахмет",
            "Мукан",
            "Нургали",
            "Орынбай",
            "Сеит",
            "Темир",
            "Хамит",
            "Шайхы",
            "Ысқақ",
            "Абиш",
            "Балтабай",
            "Габдулла",
            "Даулет",
            "Ерназар",
            "Жанбулат",
            "Жанболат",
            "Жарылгап",
            "Кадыр",
            "Кудайберген",
            "Мамыр",
            "Нурпеис",
            "Онгар",
            "Сагын",
            "Тлеу",
            "Уали",
            "Жусуп",
            "Ибрай",
            "Касым",
            "Лесбек",
            "Мырзахмет",
            "Рыскул",
            "Султан",
            "Тасбол",
            "Шынгыс",
            "Аман",
            "Бакыт",
            "Болат",
            "Галым",
            "Ертай",
            "Жексен",
            "Карим",
            "Мадияр",
            "Нуржау",
            "Сагат",
            "Тулеген",
            "Хасен",
        ],
    }
)
RUSSIAN_SURNAMES = [
    ("Иванов", "Иванова"),
    ("Петров", "Петрова"),
    ("Смирнов", "Смирнова"),
    ("Ким", "Ким"),
    ("Пак", "Пак"),
    ("Ли", "Ли"),
    ("Волков", "Волкова"),
    ("Морозов", "Морозова"),
    ("Шевченко", "Шевченко"),
    ("Бондаренко", "Бондаренко"),
    ("Зайцев", "Зайцева"),
    ("Кузнецов", "Кузнецова"),
]
STREETS = [
    *referral_demo.STREETS,
    *[
        "ул. Абылай хана",
        "ул. Байтурсынова",
        "ул. Сатпаева",
        "ул. Райымбека",
        "ул. Желтоксан",
        "пр. Назарбаева",
        "ул. Кабанбай батыра",
        "ул. Ауэзова",
        "ул. Манаса",
        "ул. Шевченко",
        "ул. Момышулы",
        "ул. Жансугурова",
        "мкр. Самал-2",
        "мкр. Орбита-3",
        "мкр. Жетысу-1",
        "ул. Сейфуллина",
        "ул. Пушкина",
        "ул. Розыбакиева",
        "ул. Тимирязева",
        "ул. Навои",
    ],
]


def _soft(root: str) -> bool:
    return root[-1] in "йьеи" or root.endswith(("ай", "ей"))


@functools.cache
def surname(root: str, female: bool, style: int) -> str:
    """A surname from a root in one of the styles Kazakhstan writes: -ов/-ев (most),
    the bare root (the 1996 decree) or -ұлы/-қызы."""
    if style == 1:
        return root
    if style == 2:
        return root + ("қызы" if female else "ұлы")
    suffix = "ев" if _soft(root) else "ов"
    return root + suffix + ("а" if female else "")


@functools.cache
def patronymic(father: str, female: bool, kazakh: bool) -> str:
    if kazakh:
        return father + ("қызы" if female else "ұлы")
    if father.endswith("й"):
        return father[:-1] + ("евна" if female else "евич")
    return father + ("овна" if female else "ович")


@functools.cache
def latin(name: str) -> str:
    return names.transliterate(name)


@functools.cache
def search_key(last: str, first: str, middle: str) -> str:
    return names.search_key(last, first, middle)


@dataclass(frozen=True)
class FamilyName:
    """How one family spells its surname, for the men and the women."""

    male: str
    female: str
    kazakh_patronymics: bool

    @property
    def family(self) -> str:
        # "Сапаровы": the family's file is usually named by the surname.
        return self.male + "ы" if self.male.endswith(("ов", "ев", "ин")) else self.male


def family_name(rng: random.Random) -> FamilyName:
    if rng.random() < 0.12:
        male, female = rng.choice(RUSSIAN_SURNAMES)
        return FamilyName(male, female, False)
    root = rng.choice(ROOTS)
    style = rng.choices((0, 1, 2), weights=(80, 14, 6))[0]
    return FamilyName(surname(root, False, style), surname(root, True, style), rng.random() < 0.3)


def phone(rng: random.Random) -> str:
    # 7xx mobile codes; the line numbers are random, as in the demo.
    return "+7 7{}{} {:03d} {:02d} {:02d}".format(
        rng.choice("0457"), rng.randrange(10), *(rng.randrange(n) for n in (1000, 100, 100))
    )
