"""One part of the population: its random stream, its rows and its IINs."""

import random
from datetime import date, datetime, timedelta

from casework.working_days import ALMATY

from .iins import IinDealer
from .plan import Deadlines, DistrictWorld, World, part_rng
from .rows import Local, Rows

ADULT_MIN_AGE_DAYS = 18 * 365 + 5


class Part:
    def __init__(self, *, world: World, deadlines: Deadlines, kind: str, index: int, parts: int):
        self.world, self.deadlines = world, deadlines
        self.kind, self.index, self.parts = kind, index, parts
        self.rng: random.Random = part_rng(world.seed, kind, index)
        self.rows = Rows()
        self.iins = IinDealer(part=index, parts=parts, taken=world.taken_iins)
        self.now: datetime = world.now
        self.today: date = world.today
        span = self.now - world.history_start
        # Files of later parts were opened later: ids grow with time, as they do live.
        self.opened_from = world.history_start + span * index / parts
        self.opened_until = world.history_start + span * (index + 1) / parts
        self.children_born_after = self.today - timedelta(days=18 * 365)
        self._numbers: dict[str, int] = {}

    def next_number(self, key: str) -> int:
        self._numbers[key] = self._numbers.get(key, 0) + 1
        return self._numbers[key]

    def add(self, model, **values) -> Local:
        return self.rows.add(model, **values)

    def district(self) -> DistrictWorld:
        return self.rng.choices(self.world.districts, weights=self.world.district_weights())[0]

    def between(self, start: datetime, end: datetime) -> datetime:
        """A random moment in [start, end] (start when the range is empty)."""
        if end <= start:
            return start
        seconds = (end - start).total_seconds()
        return start + timedelta(seconds=int(self.rng.random() * seconds))

    def ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))

    def child_iin(self, born: date, sex: str) -> tuple[date, str]:
        return self.iins.deal(born, sex, earliest=self.children_born_after, latest=self.today)

    def adult_iin(self, born: date, sex: str) -> tuple[date, str]:
        latest = self.today - timedelta(days=ADULT_MIN_AGE_DAYS)
        return self.iins.deal(min(born, latest), sex, earliest=date(1935, 1, 1), latest=latest)

    @staticmethod
    def day(moment: datetime) -> date:
        """The Almaty date of a moment."""
        return moment.astimezone(ALMATY).date()

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability
