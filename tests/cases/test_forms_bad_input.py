"""Every form of the app that accepts a POST, given bad input in Russian and in Kazakh
(issue #7): nothing empty, an impossible date, a NUL byte, 100 kB of text, a choice that
does not exist. Each answer re-renders the form (200) or refuses the request (400), never
a 5xx; writes nothing; shows what was typed; and explains in the user's language.

The form's fields are read from the form the page itself renders, so a field added later
is covered without touching this module.
"""

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.db import connection
from django.utils.html import escape
from pghistory.models import Event

from casework.services import cases
from children.models import CarerKind
from children.services.carers import carer_register
from children.services.files import child_register
from children.services.people import PersonInput, person_create
from families.services import family_create
from tests.cases.conftest import at_meeting, rate_everything

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
IMPOSSIBLE_DATE = "31.02.2026"
TYPED = "Синтетикова"
HUGE = "я" * 100_000
BAD_KINDS = ["empty", "impossible date", "NUL byte", "100 kB of text", "unknown choice"]
APPS = ("casework", "children", "families", "referrals")


@dataclass
class Target:
    """A form: where it is posted, who posts it, and where it is shown when it is not its
    own page (forms embedded in a file's page)."""

    url: str
    user: object
    page: str | None = None
    form_name: str = "form"


def _row_counts() -> dict[str, int]:
    """Rows of every domain model (audit trails of reading a page excepted), in one query."""
    tables = sorted(
        model._meta.db_table
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, Event) and model._meta.model_name != "auditread"
    )
    # Table names come from the models, not from input.
    counts = ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(tables, cursor.fetchone(), strict=True))


def _bad_data(form: forms.Form, kind: str) -> tuple[dict, list[str]]:
    """POST data of `kind` for this form, and what the page must show back."""
    data, shown = {}, []
    for name, field in form.fields.items():
        if kind == "impossible date" and isinstance(field, forms.DateTimeField):
            data[name] = f"{IMPOSSIBLE_DATE} 10:00"
            shown.append(data[name])
        elif kind == "impossible date" and isinstance(field, forms.DateField):
            data[name] = IMPOSSIBLE_DATE
            shown.append(IMPOSSIBLE_DATE)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            data[name] = ""
        elif isinstance(field, forms.FileField):
            continue
        elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            data[name] = "999999" if kind == "unknown choice" else ""
        elif isinstance(field, forms.CharField) and not isinstance(field.widget, forms.HiddenInput):
            if kind == "NUL byte":
                data[name] = f"{TYPED}\x00"
            elif kind == "100 kB of text":
                data[name] = HUGE
            else:
                data[name] = "" if kind == "empty" else TYPED
            if data[name] and not isinstance(field.widget, forms.PasswordInput):
                shown.append(data[name].replace("\x00", ""))
    return data, shown


def _rendered_forms(context) -> list[forms.Form]:
    found = []
    for layer in context:
        for value in layer.dicts if hasattr(layer, "dicts") else [layer]:
            for item in value.values() if isinstance(value, dict) else []:
                if isinstance(item, forms.BaseForm) and item not in found:
                    found.append(item)
    return found


@pytest.fixture
def speaking(client_for):
    def login(user, language):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        return client_for(user)

    return login


@pytest.fixture
def child(almaly, guardianship, alice):
    return child_register(
        data=PersonInput(last_name="Нурланов", first_name="Ерлан", district=almaly), by=alice
    )


@pytest.fixture
def family(almaly, alice):
    return family_create(name="Синтетиковы", district=almaly, by=alice)


@pytest.fixture
def carer(almaly, guardianship, alice):
    person = person_create(
        data=PersonInput(last_name="Карерова", first_name="Гүлнар", district=almaly), by=alice
    )
    return carer_register(
        person=person, kind=CarerKind.FOSTER, district=almaly, approved_on=date(2026, 2, 10)
    )


@pytest.fixture
def targets(request, alice):
    """Every form that accepts a POST, by name; only what the named form needs is made."""

    def made(name: str):
        return request.getfixturevalue(name)

    def planning() -> Target:
        # A case whose assessment is done, so that its plan is a draft taking measures.
        fatima = made("fatima")
        case = made("make_case")(family_name="Планируемые")
        rate_everything(case, fatima)
        cases.assessment_complete(case=case, by=fatima)
        url = f"/cases/{case.pk}/plan/"
        return Target(f"{url}measures/", fatima, page=url, form_name="measure_form")

    def decision() -> Target:
        made("published")
        at_meeting(made("meeting"), made("saule"), [made("kairat"), made("marat")])
        return Target(f"/kdn/items/{made('item').pk}/decide/", made("saule"))

    child_sections = [
        "status",
        "disability",
        "view",
        "placement",
        "without-care",
        "databank",
        "removal",
        "document",
        "share",
    ]
    builders = {
        "referral intake": lambda: Target("/referrals/new/", alice),
        "child create": lambda: Target("/registry/children/new/", alice),
        "child edit": lambda: Target(f"/registry/children/{made('child').pk}/edit/", alice),
        **{
            f"child {section}": lambda section=section: Target(
                f"/registry/children/{made('child').pk}/{section}/", alice
            )
            for section in child_sections
        },
        "family create": lambda: Target("/registry/families/new/", alice),
        **{
            f"family {section}": lambda section=section: Target(
                f"/registry/families/{made('family').pk}/{section}/", alice
            )
            for section in ("member", "situation", "police")
        },
        "carer create": lambda: Target("/registry/carers/new/", alice),
        **{
            f"carer {section}": lambda section=section: Target(
                f"/registry/carers/{made('carer').pk}/{section}/", alice
            )
            for section in ("check", "inspection")
        },
        "import upload": lambda: Target("/registry/imports/new/", alice),
        "staff edit": lambda: Target(f"/staff/{alice.pk}/edit/", alice),
        "case assessment": lambda: Target(f"/cases/{made('case').pk}/assessment/", made("fatima")),
        "case contact": lambda: Target(f"/cases/{made('case').pk}/contacts/new/", made("fatima")),
        "plan measure": planning,
        "KDN meeting": lambda: Target("/kdn/meetings/new/", made("saule")),
        "KDN decision": decision,
    }
    return lambda name: builders[name]()


FORMS = [
    "referral intake",
    "child create",
    "child edit",
    "child status",
    "child disability",
    "child view",
    "child placement",
    "child without-care",
    "child databank",
    "child removal",
    "child document",
    "child share",
    "family create",
    "family member",
    "family situation",
    "family police",
    "carer create",
    "carer check",
    "carer inspection",
    "import upload",
    "staff edit",
    "case assessment",
    "case contact",
    "plan measure",
    "KDN meeting",
    "KDN decision",
]


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize("name", FORMS)
def test_bad_input_is_refused_in_the_users_language_keeping_what_was_typed(
    targets, speaking, name, language
):
    target = targets(name)
    client = speaking(target.user, language)
    page = client.get(target.page or target.url)
    assert page.status_code == 200, page.status_code
    form = page.context[target.form_name]

    for kind in BAD_KINDS:
        data, shown = _bad_data(form, kind)
        before = _row_counts()
        # As a browser sends it: with the CSRF token, so never an empty POST.
        response = client.post(target.url, {"csrfmiddlewaretoken": "x" * 32, **data})

        assert response.status_code in (200, 400), (kind, response.status_code)
        assert _row_counts() == before, kind
        if response.status_code == 400:
            continue
        html = response.content.decode()
        for typed in shown:
            assert typed in html, (kind, typed[:40])
        errors = [
            message
            for rendered in _rendered_forms(response.context)
            for messages in rendered.errors.values()
            for message in messages
        ]
        if kind != "unknown choice" or any(
            isinstance(f, forms.ChoiceField | forms.ModelChoiceField) for f in form.fields.values()
        ):
            assert errors, kind
        untranslated = [message for message in errors if not CYRILLIC.search(message)]
        assert not untranslated, (kind, untranslated)
        for message in errors:
            assert str(message)[:60] in html or _escaped(message)[:60] in html, (kind, message)


def _escaped(text: str) -> str:
    return escape(text)


@pytest.mark.parametrize("language", ["ru", "kk"])
@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("carer inspection", {"inspected_on": "31.12.9999", "findings": TYPED}, "inspected_on"),
        ("carer check", {"checked_on": "31.12.9999", "notes": TYPED}, "checked_on"),
        ("child without-care", {"identified_at": "31.12.9999 10:00"}, "identified_at"),
        ("child without-care", {"identified_at": "01.01.0001 10:00"}, "identified_at"),
        ("child removal", {"removed_at": "31.12.9999 23:00", "reason": TYPED}, "removed_at"),
        ("child status", {"category": "orphan", "started_on": "01.01.0001"}, "started_on"),
    ],
)
def test_a_date_beyond_the_calendar_is_refused_on_the_form(
    targets, speaking, name, data, field, language
):
    target = targets(name)
    client = speaking(target.user, language)
    before = _row_counts()

    response = client.post(target.url, data)

    assert response.status_code == 200
    assert _row_counts() == before
    errors = response.context["form"].errors[field]
    assert errors and all(CYRILLIC.search(message) for message in errors)
    assert data[field] in response.content.decode()
