"""Synthetic demo data: Almaty city (two districts), one district of Almaty oblast,
an organisation of every kind, a login for every role and a lived-in staff list.

Idempotent: every row is found by a natural key before it is created, so a second run
adds nothing. All names are random combinations of common first names and surnames; no
real person is described.
"""

import base64
import functools
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from casework.audit_demo import seed_audit
from casework.demo import seed_casework
from casework.models import Notification, OrganisationKind, Role, User
from casework.services.notifications import notification_create
from casework.services.organisations import (
    administrator_enable_admin_site,
    district_ensure,
    organisation_ensure,
    region_ensure,
)
from casework.services.staff import membership_create
from casework.services.two_factor import demo_two_factor_ensure, demo_two_factor_key
from children.demo import seed_archived_duplicate, seed_registry
from families.reference import difficult_situation_grounds_ensure
from referrals.demo import DEMO_POLICE_KEY, seed_archived_referral, seed_referrals
from referrals.demo_history import seed_notice_history

DEMO_PASSWORD = "qamqor-demo-2026"  # noqa: S105 - printed for the demo on purpose

FIRST_NAMES_F = ["Айгерим", "Дана", "Жанар", "Сауле", "Гульнара", "Мадина", "Асель", "Ольга"]
FIRST_NAMES_M = ["Ерлан", "Нурлан", "Данияр", "Арман", "Тимур", "Бауыржан", "Сергей", "Марат"]
SURNAMES = ["Сапар", "Омар", "Нуртас", "Кенже", "Бекмырза", "Серік", "Алтын", "Жумабай", "Исмаил"]
PATRONYMICS_M = ["Ерланұлы", "Маратович", "Серікұлы", "Нурланович"]
PATRONYMICS_F = ["Ерланқызы", "Маратовна", "Серікқызы", "Нурлановна"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation_key: str  # (district code or region code, kind)
    note: str


# One login per role, plus the personas that make jurisdiction visible.
DEMO_LOGINS = [
    DemoLogin("opeka", Role.GUARDIANSHIP_SPECIALIST, "ALM-ALM:guardianship", "Almaly district"),
    DemoLogin("opeka2", Role.GUARDIANSHIP_SPECIALIST, "ALM-ALM:guardianship", "colleague"),
    DemoLogin("opeka.head", Role.GUARDIANSHIP_HEAD, "ALM-ALM:guardianship", ""),
    DemoLogin("opeka.bos", Role.GUARDIANSHIP_SPECIALIST, "ALM-BOS:guardianship", "other district"),
    DemoLogin("opeka.kar", Role.GUARDIANSHIP_SPECIALIST, "ALO-KAR:guardianship", "Almaty oblast"),
    DemoLogin("cps", Role.FSC_SPECIALIST, "ALM-ALM:fsc", ""),
    DemoLogin("cps.head", Role.FSC_HEAD, "ALM-ALM:fsc", ""),
    DemoLogin("kdn", Role.KDN_MEMBER, "ALM-ALM:kdn", ""),
    DemoLogin("kdn.secretary", Role.KDN_SECRETARY, "ALM-ALM:kdn", ""),
    DemoLogin("school", Role.REFERRER, "ALM-ALM:school", "school"),
    DemoLogin("police", Role.REFERRER, "ALM-ALM:police", "juvenile police"),
    DemoLogin("analyst", Role.ANALYST, "ALM:analytics", "Almaty city"),
    DemoLogin("admin", Role.ADMINISTRATOR, "KZ:operator", ""),
]

REGIONS = [
    ("ALM", "город Алматы", "Алматы қаласы", "Almaty city"),
    ("ALO", "Алматинская область", "Алматы облысы", "Almaty region"),
]
DISTRICTS = [
    ("ALM", "ALM-ALM", "Алмалинский район", "Алмалы ауданы", "Almaly district", 52_000),
    ("ALM", "ALM-BOS", "Бостандыкский район", "Бостандық ауданы", "Bostandyk district", 61_000),
    ("ALO", "ALO-KAR", "Карасайский район", "Қарасай ауданы", "Karasai district", 78_000),
]
DISTRICT_ORGANISATIONS = [
    (
        OrganisationKind.GUARDIANSHIP,
        "Отдел опеки и попечительства",
        "Қорғаншылық және қамқоршылық бөлімі",
        "Guardianship and trusteeship department",
    ),
    (
        OrganisationKind.FSC,
        "Центр поддержки семьи",
        "Отбасын қолдау орталығы",
        "Family Support Center",
    ),
    (
        OrganisationKind.KDN,
        "Комиссия по делам несовершеннолетних",
        "Кәмелетке толмағандардың істері жөніндегі комиссия",
        "Commission on Minors",
    ),
    (
        OrganisationKind.SCHOOL,
        "Школа-гимназия № 7",
        "№ 7 мектеп-гимназия",
        "School-gymnasium No. 7",
    ),
    (
        OrganisationKind.PRESCHOOL,
        "Детский сад «Балапан»",
        "«Балапан» балабақшасы",
        "Balapan kindergarten",
    ),
    (
        OrganisationKind.CLINIC,
        "Городская поликлиника № 4",
        "№ 4 қалалық емхана",
        "City clinic No. 4",
    ),
    (
        OrganisationKind.POLICE,
        "Отдел ювенальной полиции",
        "Ювеналдық полиция бөлімі",
        "Juvenile police unit",
    ),
    (
        OrganisationKind.NGO,
        "ОФ «Семейная академия»",
        "«Отбасы академиясы» ҚҚ",
        "Family Academy foundation",
    ),
    (
        OrganisationKind.CHILDRENS_INSTITUTION,
        "Центр поддержки детей",
        "Балаларды қолдау орталығы",
        "Children support center",
    ),
]


class Command(BaseCommand):
    help = "Load synthetic demo data (idempotent). Never real people."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            organisations = self._organisations()
            created = self._demo_logins(organisations)
            self._extra_staff(organisations)
            users = {
                u.username: u
                for u in User.objects.filter(username__in=[d.username for d in DEMO_LOGINS])
            }
            seed_referrals(organisations=organisations, users=users)
            seed_notice_history(organisations=organisations)
            difficult_situation_grounds_ensure()
            seed_registry(organisations=organisations, users=users)
            seed_casework(organisations=organisations, users=users)
            seed_audit(organisations=organisations, users=users)
            # Last, so nothing above picks an archived record as its example.
            seed_archived_referral(organisations=organisations, users=users)
            seed_archived_duplicate(organisations=organisations, users=users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({created} new logins)."))
        self.stdout.write(self.login_table())

    def _organisations(self) -> dict[str, object]:
        regions = {
            code: region_ensure(code=code, name_ru=ru, name_kk=kk, name_en=en)
            for code, ru, kk, en in REGIONS
        }
        found = {}
        for region_code, code, ru, kk, en, population in DISTRICTS:
            district = district_ensure(
                region=regions[region_code],
                code=code,
                name_ru=ru,
                name_kk=kk,
                name_en=en,
                child_population=population,
            )
            for kind, org_ru, org_kk, org_en in DISTRICT_ORGANISATIONS:
                found[f"{code}:{kind}"] = organisation_ensure(
                    kind=kind,
                    district=district,
                    name_ru=f"{org_ru} ({ru})",
                    name_kk=f"{org_kk} ({kk})",
                    name_en=f"{org_en} ({en})",
                )
        found["ALM:analytics"] = organisation_ensure(
            kind=OrganisationKind.ANALYTICS,
            region=regions["ALM"],
            name_ru="Управление образования города Алматы",
            name_kk="Алматы қаласының білім басқармасы",
            name_en="Almaty city education department",
        )
        found["KZ:operator"] = organisation_ensure(
            kind=OrganisationKind.OPERATOR,
            name_ru="Оператор системы Qamqor",
            name_kk="Qamqor жүйесінің операторы",
            name_en="Qamqor system operator",
        )
        return found

    def _demo_logins(self, organisations: dict) -> int:
        rng = random.Random(2026)
        created = 0
        for login in DEMO_LOGINS:
            user, is_new = self._person(login.username, rng)
            created += is_new
            membership_create(
                user=user, organisation=organisations[login.organisation_key], role=login.role
            )
            if login.role == Role.ADMINISTRATOR:
                administrator_enable_admin_site(user=user)
            if login.role in settings.TWO_FACTOR_ROLES:
                demo_two_factor_ensure(user=user)
            if is_new and not Notification.objects.filter(recipient=user).exists():
                notification_create(
                    recipient=user,
                    subject="Добро пожаловать в Qamqor",
                    body="Это демонстрационная учётная запись с синтетическими данными.",
                )
        return created

    def _extra_staff(self, organisations: dict) -> None:
        """A few dozen colleagues so lists paginate and look like a real district."""
        rng = random.Random(7)
        roles_by_kind = {
            OrganisationKind.GUARDIANSHIP: Role.GUARDIANSHIP_SPECIALIST,
            OrganisationKind.FSC: Role.FSC_SPECIALIST,
            OrganisationKind.KDN: Role.KDN_MEMBER,
            OrganisationKind.SCHOOL: Role.REFERRER,
            OrganisationKind.CLINIC: Role.REFERRER,
        }
        number = 0
        for _key, organisation in sorted(organisations.items()):
            role = roles_by_kind.get(organisation.kind)
            if role is None:
                continue
            for _ in range(
                4
                if organisation.kind in {OrganisationKind.GUARDIANSHIP, OrganisationKind.FSC}
                else 2
            ):
                number += 1
                user, _created = self._person(f"staff{number:03d}", rng)
                membership_create(user=user, organisation=organisation, role=role)

    def _person(self, username: str, rng: random.Random) -> tuple[User, bool]:
        female = rng.random() < 0.6
        first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
        patronymic = rng.choice(PATRONYMICS_F if female else PATRONYMICS_M)
        surname = rng.choice(SURNAMES)
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, False
        user = User.objects.create_user(
            username=username,
            password=None,
            first_name=first,
            last_name=surname,
            patronymic=patronymic,
            email=f"{username}@demo.qamqor.localhost",
            phone="+7 700 {} {} {}".format(*(rng.randrange(10, 99) for _ in range(3))),
        )
        # One (slow, salted) hash for the shared demo password, not one per login.
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        return user, True

    @staticmethod
    @translation.override("en")
    def login_table() -> str:
        width = max(len(login.username) for login in DEMO_LOGINS)
        lines = [
            "",
            f"Demo logins (password for all: {DEMO_PASSWORD})",
            f"  {'username'.ljust(width)}  role",
        ]
        for login in DEMO_LOGINS:
            note = f" ({login.note})" if login.note else ""
            if login.role in settings.TWO_FACTOR_ROLES:
                note += " *"
            lines.append(f"  {login.username.ljust(width)}  {Role(login.role).label}{note}")
        lines += [
            "* two-factor sign-in: the code is printed by `make code USER=<username>`, or add "
            "the key to an authenticator app:",
            *(
                f"    {login.username}: {_base32(demo_two_factor_key(login.username))}"
                for login in DEMO_LOGINS
                if login.role in settings.TWO_FACTOR_ROLES
            ),
            f"API key of the demo police unit: {DEMO_POLICE_KEY}",
        ]
        return "\n".join(lines)


def _base32(key_hex: str) -> str:
    return base64.b32encode(bytes.fromhex(key_hex)).decode()


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)
