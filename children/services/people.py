from dataclasses import dataclass, field, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casework.iin import InvalidIIN, parse_iin
from casework.models import District, User

from .. import names
from ..models import Person


@dataclass
class PersonInput:
    last_name: str
    first_name: str
    district: District
    patronymic: str = ""
    iin: str = ""
    birth_date: date | None = None
    sex: str = ""
    locality: str = ""
    street: str = ""
    house: str = ""
    flat: str = ""
    phones: list[str] = field(default_factory=list)
    last_name_latin: str = ""
    first_name_latin: str = ""
    patronymic_latin: str = ""


class IINMismatch(ValidationError):
    """The IIN says another birth date or sex: the user must confirm to save."""


def iin_problems(data: PersonInput) -> tuple[list[str], list[str]]:
    """(errors, warnings) about the IIN: a bad IIN is an error; a birth date or sex that
    disagrees with it is a warning the user may confirm."""
    if not data.iin:
        return [], []
    try:
        facts = parse_iin(data.iin)
    except InvalidIIN:
        return [_("This is not a valid IIN: check the 12 digits.")], []
    warnings = []
    if data.birth_date and data.birth_date != facts.birth_date:
        warnings.append(
            _("The IIN encodes the birth date %(date)s, not %(given)s.")
            % {
                "date": facts.birth_date.strftime("%d.%m.%Y"),
                "given": data.birth_date.strftime("%d.%m.%Y"),
            }
        )
    if data.sex and data.sex != facts.sex:
        warnings.append(_("The IIN encodes the other sex."))
    return [], warnings


def _apply(person: Person, data: PersonInput) -> None:
    for item in fields(PersonInput):
        setattr(person, item.name, getattr(data, item.name))
    person.iin = data.iin or None
    person.region_id = data.district.region_id
    person.last_name_latin = data.last_name_latin or names.transliterate(data.last_name)
    person.first_name_latin = data.first_name_latin or names.transliterate(data.first_name)
    person.patronymic_latin = data.patronymic_latin or names.transliterate(data.patronymic)
    person.search_key = names.search_key(data.last_name, data.first_name, data.patronymic)


def _check(data: PersonInput, *, confirm_mismatch: bool, exclude_pk: int | None = None) -> None:
    errors, warnings = iin_problems(data)
    if errors:
        raise ValidationError({"iin": errors})
    if data.iin and Person.objects.filter(iin=data.iin).exclude(pk=exclude_pk).exists():
        duplicate = ValidationError(
            _("A person with this IIN is already registered."), code="duplicate_iin"
        )
        raise ValidationError({"iin": duplicate})
    if warnings and not confirm_mismatch:
        raise IINMismatch([ValidationError(warning, code="iin_mismatch") for warning in warnings])


@transaction.atomic
def person_create(*, data: PersonInput, by: User, confirm_mismatch: bool = False) -> Person:
    _check(data, confirm_mismatch=confirm_mismatch)
    person = Person(created_by=by)
    _apply(person, data)
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, data: PersonInput, confirm_mismatch: bool = False) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    _check(data, confirm_mismatch=confirm_mismatch, exclude_pk=locked.pk)
    _apply(locked, data)
    locked.save()
    return locked
