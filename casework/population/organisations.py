"""Regions, districts, their organisations and staff: the small, shared part of the
population, made through the ORM before the parts start.

Usernames follow the district code: `r01d03.opeka.head` is the head of guardianship of
district 3 of region 1, `r01d03.opeka01` a specialist there, `r01d03.cps.head` and
`r01d03.cps01` the FSC, `r01d03.kdn.secretary` and `r01d03.kdn01` the commission,
`r01.analyst` the region's analyst, `kz.analyst` the national one. All share the demo
password (hashed once).
"""

import json
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.management.commands.seed_demo import DEMO_PASSWORD
from casework.models import Case as CaseModel
from casework.models import (
    CaseEvent,
    CaseEventKind,
    ClosureOutcome,
    CommissionDecision,
    ContactKind,
    District,
    Organisation,
    OrganisationKind,
    PlanMeasure,
    Region,
    Role,
    StaffMembership,
    SupportType,
    User,
)
from casework.services.api_tokens import api_token_create
from casework.services.organisations import administrator_enable_admin_site
from casework.services.two_factor import DEVICE_NAME, demo_two_factor_key
from children.models import Carer, Child, Disability, Removal
from families.models import DifficultSituationGround
from families.reference import difficult_situation_grounds_ensure
from referrals.models import Referral

from . import people
from .plan import DistrictWorld, district_count, region_count

# Synthetic territories in the style of Almaty's districts and the oblasts.
REGION_STEMS = [
    ("Алатау", "Alatau"), ("Сарыарка", "Saryarka"), ("Есиль", "Yesil"), ("Каспий", "Caspian"),
    ("Тарбагатай", "Tarbagatai"), ("Баянаул", "Bayanaul"), ("Иртыш", "Irtysh"),
    ("Тобол", "Tobol"), ("Каратау", "Karatau"), ("Торгай", "Torgai"), ("Шу", "Shu"),
    ("Или", "Ili"), ("Сырдарья", "Syrdarya"), ("Балхаш", "Balkhash"), ("Алаколь", "Alakol"),
    ("Бурабай", "Burabai"), ("Жайык", "Zhaiyk"), ("Кокжиек", "Kokzhiek"), ("Ишим", "Ishim"),
    ("Хантау", "Khantau"),
]  # fmt: skip
DISTRICT_STEMS = [
    ("Акжольский", "Ақжол", "Akzhol"), ("Бастауский", "Бастау", "Bastau"),
    ("Жасылкольский", "Жасылкөл", "Zhasylkol"), ("Коктемский", "Көктем", "Koktem"),
    ("Самалский", "Самал", "Samal"), ("Таусамалский", "Таусамал", "Tausamal"),
    ("Кызылжарский", "Қызылжар", "Kyzylzhar"), ("Аксуский", "Ақсу", "Aksu"),
    ("Жетыгенский", "Жетіген", "Zhetygen"), ("Бирликский", "Бірлік", "Birlik"),
    ("Достыкский", "Достық", "Dostyk"), ("Алтынкольский", "Алтынкөл", "Altynkol"),
    ("Байтерекский", "Бәйтерек", "Baiterek"), ("Каскеленский", "Қаскелең", "Kaskelen"),
    ("Нуралинский", "Нұралы", "Nuraly"), ("Сарыозекский", "Сарыөзек", "Saryozek"),
    ("Тулпарский", "Тұлпар", "Tulpar"), ("Шапагатский", "Шапағат", "Shapagat"),
    ("Умитский", "Үміт", "Umit"), ("Болашакский", "Болашақ", "Bolashak"),
    ("Жулдызский", "Жұлдыз", "Zhuldyz"), ("Ынтымакский", "Ынтымақ", "Yntymak"),
    ("Карагайлинский", "Қарағайлы", "Karagaily"), ("Аккайнарский", "Аққайнар", "Akkainar"),
    ("Енбекский", "Еңбек", "Enbek"), ("Тамшинский", "Тамшы", "Tamshy"),
    ("Береке", "Береке", "Bereke"), ("Актобинский", "Ақтөбе", "Aktobe"),
    ("Кенсайский", "Кеңсай", "Kensai"), ("Орманский", "Орман", "Orman"),
    ("Шугылинский", "Шұғыла", "Shugyla"), ("Айгерим", "Әйгерім", "Aigerim"),
    ("Мерейский", "Мерей", "Merei"), ("Жанаталапский", "Жаңаталап", "Zhanatalap"),
    ("Кайнарский", "Қайнар", "Kainar"), ("Нурлыжольский", "Нұрлыжол", "Nurlyzhol"),
    ("Саялинский", "Саялы", "Sayaly"), ("Тасбулакский", "Тасбұлақ", "Tasbulak"),
    ("Бозторгайский", "Бозторғай", "Boztorgai"), ("Атамекенский", "Атамекен", "Atameken"),
]  # fmt: skip
FSC_SHARE = 0.7  # 131 centres for 188 districts
SPECIALIST_NORM = 5_000  # children per guardianship specialist (DESIGN.md section 1)
CHILDREN_PER_SCHOOL = 900
CHILDREN_PER_PRESCHOOL = 2_500
CHILDREN_PER_CLINIC = 8_000
KDN_MEMBERS = (5, 9)


@dataclass
class Structure:
    districts: list[DistrictWorld]
    users: int
    organisations: int


def police_api_key(district_code: str) -> str:
    """The API key of a generated district's police unit (synthetic, printed on purpose
    so benchmarks can submit notices as the police do)."""
    # The first 8 characters are the token's unique prefix: the district code first.
    return f"{district_code.lower()}-police-key-qamqor-population"


def history_context_set(cursor, **metadata) -> None:
    """Name the pghistory context of what this transaction writes, so every history row
    says where it came from (and the triggers take their fast path)."""
    cursor.execute(
        "SELECT set_config('pgtrigger.ignore', '{}', true),"
        " set_config('pghistory.context_id', %s, true),"
        " set_config('pghistory.context_metadata', %s, true)",
        [str(uuid.uuid4()), json.dumps(metadata)],
    )


def structure_exists() -> bool:
    """A generated population is already in this database (its first region)."""
    return Region.objects.filter(code="R01").exists()


def structure_create(*, children: int, seed: int, now, rng: random.Random) -> Structure:
    """Everything the parts share. Runs inside the caller's transaction."""
    with connection.cursor() as cursor:
        history_context_set(cursor, command="generate_population", seed=seed, part="structure")
    difficult_situation_grounds_ensure()
    organisations_before = Organisation.objects.count()
    n_districts = district_count(children)
    regions = _regions(region_count(n_districts))
    districts = _districts(regions, n_districts, children, rng)
    _organisations(districts, children, rng)
    users = _staff(districts, regions, children, rng, now)
    return Structure(
        districts=districts,
        users=users,
        organisations=Organisation.objects.count() - organisations_before,
    )


def _regions(count: int) -> list[Region]:
    regions = []
    for n in range(count):
        stem, latin = REGION_STEMS[n % len(REGION_STEMS)]
        suffix = f" {n // len(REGION_STEMS) + 1}" if n >= len(REGION_STEMS) else ""
        regions.append(
            Region(
                code=f"R{n + 1:02d}",
                name_ru=f"Область {stem}{suffix}",
                name_kk=f"{stem}{suffix} облысы",
                name_en=f"{latin}{suffix} region",
            )
        )
    return Region.objects.bulk_create(regions)


def _districts(regions, count: int, children: int, rng) -> list[DistrictWorld]:
    # City districts are bigger than rural ones: shares vary about threefold.
    weights = [rng.uniform(0.5, 1.6) for _ in range(count)]
    total = sum(weights)
    rows, worlds = [], []
    for n in range(count):
        region = regions[n % len(regions)]
        number = n // len(regions) + 1
        ru, kk, en = DISTRICT_STEMS[n % len(DISTRICT_STEMS)]
        again = f"-{n // len(DISTRICT_STEMS) + 1}" if n >= len(DISTRICT_STEMS) else ""
        code = f"{region.code}-{number:02d}"
        share = weights[n] / total
        rows.append(
            District(
                region=region,
                code=code,
                name_ru=f"{ru} район{again}",
                name_kk=f"{kk}{again} ауданы",
                name_en=f"{en}{again} district",
                child_population=round(share * children),
            )
        )
        worlds.append(
            DistrictWorld(
                id=0,
                code=code,
                region_id=region.pk,
                name_ru=f"{ru} район{again}",
                locality=kk,
                share=share,
                has_fsc=(n * 7) % 10 < FSC_SHARE * 10,
            )
        )
    for world, district in zip(worlds, District.objects.bulk_create(rows), strict=True):
        world.id = district.pk
    return worlds


def _org(kind, district: DistrictWorld, ru: str, kk: str, en: str) -> Organisation:
    return Organisation(
        kind=kind,
        district_id=district.id,
        region_id=district.region_id,
        name_ru=f"{ru} ({district.name_ru})",
        name_kk=kk,
        name_en=f"{en} ({district.code})",
    )


def _organisations(districts: list[DistrictWorld], children: int, rng) -> None:
    planned: list[tuple[DistrictWorld, str, Organisation]] = []
    for d in districts:
        size = d.share * children
        kk = d.locality
        planned += [
            (d, "guardianship", _org(OrganisationKind.GUARDIANSHIP, d, "Отдел опеки и попечительства", f"{kk}: қорғаншылық және қамқоршылық бөлімі", "Guardianship and trusteeship department")),
            (d, "kdn", _org(OrganisationKind.KDN, d, "Комиссия по делам несовершеннолетних", f"{kk}: кәмелетке толмағандардың істері жөніндегі комиссия", "Commission on Minors")),
            (d, "police", _org(OrganisationKind.POLICE, d, "Отдел ювенальной полиции", f"{kk}: ювеналдық полиция бөлімі", "Juvenile police unit")),
            (d, "institution", _org(OrganisationKind.CHILDRENS_INSTITUTION, d, "Центр поддержки детей", f"{kk}: балаларды қолдау орталығы", "Children support center")),
            (d, "ngos", _org(OrganisationKind.NGO, d, "ОФ «Семейная академия»", f"{kk}: «Отбасы академиясы» ҚҚ", "Family Academy foundation")),
        ]  # fmt: skip
        if d.has_fsc:
            planned.append((d, "fsc", _org(OrganisationKind.FSC, d, "Центр поддержки семьи", f"{kk}: отбасын қолдау орталығы", "Family Support Center")))  # fmt: skip
        for n in range(max(1, round(size / CHILDREN_PER_SCHOOL))):
            number = n * 3 + rng.randrange(1, 4)
            planned.append((d, "schools", _org(OrganisationKind.SCHOOL, d, f"Школа-гимназия № {number}", f"№ {number} мектеп-гимназия", f"School-gymnasium No. {number}")))  # fmt: skip
        for n in range(max(1, round(size / CHILDREN_PER_PRESCHOOL))):
            planned.append((d, "preschools", _org(OrganisationKind.PRESCHOOL, d, f"Детский сад № {n + 1}", f"№ {n + 1} балабақша", f"Kindergarten No. {n + 1}")))  # fmt: skip
        for n in range(max(1, round(size / CHILDREN_PER_CLINIC))):
            planned.append((d, "clinics", _org(OrganisationKind.CLINIC, d, f"Поликлиника № {n + 1}", f"№ {n + 1} емхана", f"Clinic No. {n + 1}")))  # fmt: skip
    saved = Organisation.objects.bulk_create([org for _d, _slot, org in planned], batch_size=1000)
    for (d, slot, _org_row), org in zip(planned, saved, strict=True):
        if slot in {"schools", "preschools", "clinics", "ngos"}:
            getattr(d, slot).append(org.pk)
        else:
            setattr(d, slot, org.pk)
        if slot == "police":
            d.police_name = org.name_ru


@dataclass
class _Login:
    username: str
    organisation: int
    role: str


def _staff(districts, regions, children: int, rng, now) -> int:
    logins: list[_Login] = []
    slots: list[tuple[DistrictWorld, str]] = []

    def add(district, slot, username, organisation, role):
        logins.append(_Login(username, organisation, role))
        slots.append((district, slot))

    for d in districts:
        region_number, number = d.code[1:3], d.code[-2:]
        prefix = f"r{region_number}d{number}"
        size = d.share * children
        add(d, "head", f"{prefix}.opeka.head", d.guardianship, Role.GUARDIANSHIP_HEAD)
        # Staffed a little under the norm, as most districts are.
        specialists = max(1, round(size / SPECIALIST_NORM * rng.uniform(0.75, 1.05)))
        for n in range(specialists):
            add(d, "specialists", f"{prefix}.opeka{n + 1:02d}", d.guardianship, Role.GUARDIANSHIP_SPECIALIST)  # fmt: skip
        if d.fsc:
            add(d, "fsc_head", f"{prefix}.cps.head", d.fsc, Role.FSC_HEAD)
            for n in range(max(2, min(8, round(size / 6_000)))):
                add(d, "fsc_staff", f"{prefix}.cps{n + 1:02d}", d.fsc, Role.FSC_SPECIALIST)
        add(d, "kdn_secretary", f"{prefix}.kdn.secretary", d.kdn, Role.KDN_SECRETARY)
        for n in range(rng.randint(*KDN_MEMBERS)):
            add(d, "kdn_members", f"{prefix}.kdn{n + 1:02d}", d.kdn, Role.KDN_MEMBER)
        add(d, "referrers", f"{prefix}.police", d.police, Role.REFERRER)
        for slot in ("schools", "preschools", "clinics", "ngos"):
            for n, organisation in enumerate(getattr(d, slot)):
                add(d, "referrers", f"{prefix}.{slot[:-1]}{n + 1:02d}", organisation, Role.REFERRER)
        add(d, "referrers", f"{prefix}.institution", d.institution, Role.REFERRER)
    analytics = _analytics(regions)
    for region, organisation in analytics.items():
        username = f"r{region.code[1:]}.analyst" if region else "kz.analyst"
        add(None, "analyst", username, organisation.pk, Role.ANALYST)
    operator = Organisation.objects.create(
        kind=OrganisationKind.OPERATOR,
        name_ru="Оператор системы Qamqor (генератор)",
        name_kk="Qamqor жүйесінің операторы (генератор)",
        name_en="Qamqor system operator (generator)",
    )
    add(None, "admin", "kz.admin", operator.pk, Role.ADMINISTRATOR)

    password = make_password(DEMO_PASSWORD)  # one slow hash, reused by every login
    users = []
    for login in logins:
        female = rng.random() < 0.7
        family = people.family_name(rng)
        father = rng.choice(people.MEN)
        users.append(
            User(
                username=login.username,
                password=password,
                first_name=rng.choice(people.WOMEN if female else people.MEN),
                last_name=family.female if female else family.male,
                patronymic=people.patronymic(father, female, family.kazakh_patronymics),
                email=f"{login.username}@population.qamqor.localhost",
                phone=people.phone(rng),
                date_joined=now - timedelta(days=rng.randrange(30, 5 * 365)),
            )
        )
    users = User.objects.bulk_create(users, batch_size=1000)
    StaffMembership.objects.bulk_create(
        [
            StaffMembership(
                user=user,
                organisation_id=login.organisation,
                role=login.role,
                started_on=user.date_joined.date(),
            )
            for user, login in zip(users, logins, strict=True)
        ],
        batch_size=1000,
    )
    for user, login, (district, slot) in zip(users, logins, slots, strict=True):
        if district is None:
            continue
        district.users[user.pk] = user.full_name
        if slot in {"specialists", "fsc_staff", "kdn_members"}:
            getattr(district, slot).append(user.pk)
        elif slot == "referrers":
            district.referrers[login.organisation] = user.pk
        else:
            setattr(district, slot, user.pk)
    # The roles that sign in with a second factor get the published demo key, so
    # `make code LOGIN=...` prints their code.
    TOTPDevice.objects.bulk_create(
        [
            TOTPDevice(
                user=user, name=DEVICE_NAME, key=demo_two_factor_key(user.username), confirmed=True
            )
            for user, login in zip(users, logins, strict=True)
            if login.role in settings.TWO_FACTOR_ROLES
        ],
        batch_size=1000,
    )
    administrator_enable_admin_site(user=users[-1])
    for d in districts:
        token, _key = api_token_create(
            organisation=Organisation.objects.get(pk=d.police),
            name="Population",
            by=None,
            key=police_api_key(d.code),
        )
        d.police_account = token.user_id
        d.users[token.user_id] = token.user.full_name
    return len(users) + len(districts)


def _analytics(regions) -> dict:
    rows = {
        region: Organisation(
            kind=OrganisationKind.ANALYTICS,
            region=region,
            name_ru=f"Управление образования: {region.name_ru}",
            name_kk=f"{region.name_kk}: білім басқармасы",
            name_en=f"Education department, {region.name_en}",
        )
        for region in regions
    }
    rows[None] = Organisation(
        kind=OrganisationKind.ANALYTICS,
        name_ru="Министерство просвещения (аналитика)",
        name_kk="Оқу-ағарту министрлігі (талдау)",
        name_en="Ministry of Education (analytics)",
    )
    saved = Organisation.objects.bulk_create(list(rows.values()))
    return dict(zip(rows, saved, strict=True))


def content_types() -> dict[str, int]:
    models = [Referral, CaseModel, CaseEvent, Carer, Child, Disability, Removal, PlanMeasure]
    models.append(CommissionDecision)
    return {model._meta.label: ContentType.objects.get_for_model(model).pk for model in models}


def grounds() -> list[int]:
    return list(
        DifficultSituationGround.objects.filter(active=True, is_other=False)
        .order_by("code")
        .values_list("pk", flat=True)
    )


def messages() -> dict[str, str]:
    """The services' notification texts, in Russian (the recipients' default)."""
    from django.utils.translation import gettext as _

    texts = {
        "inbox": "New referral № %(number)s in the FSC inbox",
        "remind": "Police notice № %(number)s must reach the FSC by %(due)s",
        "breach": "Police notice № %(number)s was not transferred in time: "
        "Qamqor forwarded it to the FSC and recorded a breach",
        "returned": "Referral № %(number)s returned by the FSC",
        "open": "Open",
    }
    with translation.override(settings.LANGUAGE_CODE):
        found = {key: _(text) for key, text in texts.items()}
        for prefix, choices in (
            ("case", CaseEventKind),
            ("outcome", ClosureOutcome),
            ("support", SupportType),
            ("contact", ContactKind),
        ):
            found.update({f"{prefix}:{value}": str(label) for value, label in choices.choices})
        return found
