"""Reference data: grounds for recognising a difficult life situation (Social Code).

Administrators edit the list in the admin site; this is the initial list.
"""

from django.db import transaction

GROUNDS = [
    ("orphanhood", "Сиротство", "Жетімдік", "Orphanhood"),
    (
        "no_parental_care",
        "Отсутствие попечения родителей",
        "Ата-ана қамқорлығының болмауы",
        "No parental care",
    ),
    (
        "neglect",
        "Безнадзорность несовершеннолетних",
        "Кәмелетке толмағандардың қараусыз қалуы",
        "Neglect of minors",
    ),
    ("disability", "Инвалидность", "Мүгедектік", "Disability"),
    (
        "illness",
        "Заболевание, ограничивающее жизнедеятельность",
        "Тіршілік әрекетін шектейтін ауру",
        "Illness limiting daily life",
    ),
    ("domestic_violence", "Бытовое насилие", "Тұрмыстық зорлық-зомбылық", "Domestic violence"),
    ("trafficking", "Торговля людьми", "Адам саудасы", "Trafficking in persons"),
    (
        "no_fixed_abode",
        "Отсутствие определённого места жительства",
        "Белгілі бір тұрғылықты жерінің болмауы",
        "No fixed abode",
    ),
    (
        "released_from_prison",
        "Освобождение из мест лишения свободы",
        "Бас бостандығынан айыру орындарынан босату",
        "Release from prison",
    ),
    (
        "probation",
        "Нахождение на учёте службы пробации",
        "Пробация қызметінің есебінде болу",
        "Registered with the probation service",
    ),
    ("low_income", "Малообеспеченность", "Аз қамтамасыз етілу", "Low income"),
    ("unemployment", "Безработица", "Жұмыссыздық", "Unemployment"),
    (
        "addiction",
        "Зависимость (алкоголь, наркотики) в семье",
        "Отбасындағы тәуелділік (алкоголь, есірткі)",
        "Addiction in the family",
    ),
    (
        "emergency",
        "Чрезвычайная ситуация, потеря жилья",
        "Төтенше жағдай, баспанадан айырылу",
        "Emergency, loss of housing",
    ),
    ("other", "Иное", "Басқа", "Other"),
]


@transaction.atomic
def difficult_situation_grounds_ensure() -> None:
    """Create the initial grounds that are missing (idempotent; edits are kept)."""
    from .models import DifficultSituationGround

    for code, ru, kk, en in GROUNDS:
        DifficultSituationGround.objects.get_or_create(
            code=code,
            defaults={"name_ru": ru, "name_kk": kk, "name_en": en, "is_other": code == "other"},
        )
