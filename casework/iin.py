"""Kazakhstan's individual identification number (IIN): checks and synthetic generation.

Layout: YYMMDD, a century/sex digit (1-6), a 4-digit serial, a check digit
(DESIGN.md section 6). Pure functions, no ORM.
"""

import random
from dataclasses import dataclass
from datetime import date

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# century/sex digit -> (century start, sex)
CENTURY_SEX = {
    1: (1800, "M"),
    2: (1800, "F"),
    3: (1900, "M"),
    4: (1900, "F"),
    5: (2000, "M"),
    6: (2000, "F"),
}


class InvalidIIN(ValueError):
    pass


@dataclass(frozen=True)
class IINFacts:
    birth_date: date
    sex: str  # "M" or "F"


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for 11 digits, or None when no check digit exists (both passes give 10)."""
    digits = [int(ch) for ch in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(iin: str) -> IINFacts:
    """Validate an IIN and return the birth date and sex it encodes; InvalidIIN otherwise."""
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        raise InvalidIIN("An IIN is exactly 12 digits.")
    if int(iin[6]) not in CENTURY_SEX:
        raise InvalidIIN("The 7th digit of an IIN (century and sex) must be 1 to 6.")
    century, sex = CENTURY_SEX[int(iin[6])]
    try:
        birth_date = date(century + int(iin[:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError as exc:
        raise InvalidIIN("The first six digits of an IIN must be a real birth date.") from exc
    expected = check_digit(iin[:11])
    if expected is None or expected != int(iin[11]):
        raise InvalidIIN("The IIN's check digit is wrong: a digit is mistyped.")
    return IINFacts(birth_date=birth_date, sex=sex)


def synthetic_iin(birth_date: date, sex: str, rng: random.Random) -> str:
    """A checksum-valid IIN for demo and test data.

    Serials start with 9 — a range chosen so that synthetic numbers are easy to spot; they
    remain made-up numbers, never taken from real people.
    """
    century_base = {1800: 1, 1900: 3, 2000: 5}[birth_date.year // 100 * 100]
    century_digit = century_base + (1 if sex == "F" else 0)
    while True:
        serial = f"9{rng.randrange(1000):03d}"
        first = f"{birth_date:%y%m%d}{century_digit}{serial}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
