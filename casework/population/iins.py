"""Unique synthetic IINs, handed out by parts running in parallel without talking.

An IIN is the birth date, a century/sex digit, a 4-digit serial and a check digit
(`casework.iin`). Synthetic serials start with 9, so there are 1,000 per birth date and
sex. In each run of ten serials (same first ten digits) the 11th digit has no weight in
the first pass of the check, so at most one of the ten has no check digit: every run gives
at least nine valid IINs, 900 per date and sex in all. Those 900 slots are dealt out to the
parts like cards (slot = n * parts + part), so two parts never make the same IIN; a part
whose share of a date is used up moves the person's birthday by a day.
"""

from datetime import date, timedelta

from casework.iin import FIRST_WEIGHTS, SECOND_WEIGHTS

SLOTS = 900
SLOTS_PER_RUN = 9


def _century_digit(day: date, sex: str) -> int:
    base = {1800: 1, 1900: 3, 2000: 5}[day.year // 100 * 100]
    return base + (1 if sex == "F" else 0)


def slot_iin(day: date, sex: str, slot: int) -> str:
    """The `slot`-th valid synthetic IIN (0-899) for a birth date and sex."""
    run, position = divmod(slot, SLOTS_PER_RUN)
    prefix = f"{day:%y%m%d}{_century_digit(day, sex)}9{run:02d}"
    digits = [int(ch) for ch in prefix]
    first = sum(d * w for d, w in zip(digits, FIRST_WEIGHTS, strict=False)) % 11
    if first != 10:  # the 11th digit (weight 11) cannot change the first pass
        return f"{prefix}{position}{first}"
    second = sum(d * w for d, w in zip(digits, SECOND_WEIGHTS, strict=False))
    valid = [d for d in range(10) if (second + d * SECOND_WEIGHTS[10]) % 11 != 10]
    last = valid[position]
    return f"{prefix}{last}{(second + last * SECOND_WEIGHTS[10]) % 11}"


class IinDealer:
    """The IINs of one part. `taken` holds IINs already in the database (with --force)."""

    def __init__(self, *, part: int, parts: int, taken: frozenset[str] = frozenset()):
        if parts > SLOTS:
            raise ValueError("at most 900 parts")
        self.part, self.parts, self.taken = part, parts, taken
        self.used: dict[tuple[date, str], int] = {}
        self.per_cell = (SLOTS - part - 1) // parts + 1

    def deal(self, day: date, sex: str, *, earliest: date, latest: date) -> tuple[date, str]:
        """An unused IIN for someone born on `day` (or the nearest day inside
        [earliest, latest] with a slot left), and the birth date it encodes."""
        for shift in range((latest - earliest).days + 1):
            for candidate in (day + timedelta(days=shift), day - timedelta(days=shift)):
                if not earliest <= candidate <= latest:
                    continue
                iin = self._next(candidate, sex)
                if iin is not None:
                    return candidate, iin
        raise RuntimeError("no synthetic IINs left: generate fewer people per part")

    def _next(self, day: date, sex: str) -> str | None:
        key = (day, sex)
        while (n := self.used.get(key, 0)) < self.per_cell:
            self.used[key] = n + 1
            iin = slot_iin(day, sex, n * self.parts + self.part)
            if iin not in self.taken:
                return iin
        return None
