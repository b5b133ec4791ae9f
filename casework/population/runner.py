"""The whole run: checks, the shared structure, the parts in parallel, the commissions,
VACUUM ANALYZE, the report."""

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import psycopg2
from django.db import connection, connections, transaction
from django.utils import timezone

from casework.models import Case, KdnMeeting
from casework.selectors import working_calendar
from children.models import Child, Person
from families.models import Family
from referrals.models import Referral

from . import organisations
from .cases import cases_self_referred
from .households import households
from .kdn import commissions_fill
from .notices import open_notices_fill
from .part import Part
from .plan import NOTICE_PART_SIZE, Deadlines, Options, World, part_rng, part_sizes
from .referrals import referrals_fill
from .registry import registry_fill
from .rows import copy_all, ids_reserve
from .situations import situations_fill

CASE_DATA = [Person, Child, Family, Referral, Case, KdnMeeting]


class PopulationRefused(Exception):
    """The database is not one to generate into; nothing was written."""


@dataclass(frozen=True)
class Task:
    ticket: int  # ids are taken in this order, whichever process gets there first
    kind: str  # "children" or "notices"
    index: int
    parts: int
    count: int


@dataclass
class PartResult:
    task: Task
    rows: dict[str, int]
    build_seconds: float
    copy_seconds: float


@dataclass
class Report:
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    database_bytes: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def case_data_present() -> list[str]:
    return [model._meta.label for model in CASE_DATA if model.objects.exists()]


def population_generate(
    options: Options, *, force: bool = False, say: Callable[[str], None] = print
) -> Report:
    started = time.monotonic()
    report = Report()
    present = case_data_present()
    if present and not force:
        raise PopulationRefused(
            "The database already holds case data (" + ", ".join(present) + "): "
            "generate into a fresh database, or pass --force to add a population beside it."
        )
    if organisations.structure_exists():
        raise PopulationRefused(
            "A generated population is already in this database (region R01): "
            "generate into a fresh database."
        )
    now = options.now or timezone.now()
    world = _world(options, now, taken=_taken_iins() if present else frozenset(), say=say, report=report)  # fmt: skip
    report.timings["structure"] = time.monotonic() - started
    tasks = _tasks(options)
    say(
        f"{len(world.districts)} districts, {report.rows['casework.User']} staff logins; "
        f"{sum(t.count for t in tasks if t.kind == 'children'):,} children in "
        f"{sum(t.kind == 'children' for t in tasks)} parts, "
        f"{sum(t.count for t in tasks if t.kind == 'notices'):,} open notices in "
        f"{sum(t.kind == 'notices' for t in tasks)} parts, {options.workers} processes"
    )
    parts_started = time.monotonic()
    for done, result in enumerate(_run_parts(world, tasks, options.workers), start=1):
        report.rows.update(result.rows)
        t = result.task
        say(
            f"  [{done}/{len(tasks)}] {t.kind} part {t.index + 1}/{t.parts}: "
            f"{sum(result.rows.values()):,} rows, built in {result.build_seconds:.1f} s, "
            f"written in {result.copy_seconds:.1f} s ({time.monotonic() - started:.0f} s so far)"
        )
    report.timings["parts"] = time.monotonic() - parts_started
    step = time.monotonic()
    report.rows.update(_commissions(world))
    _district_populations([d.id for d in world.districts])
    report.timings["commissions"] = time.monotonic() - step
    say(f"  commissions: {time.monotonic() - step:.1f} s")
    step = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("SELECT pg_database_size(current_database())")
        report.database_bytes = cursor.fetchone()[0]
    # ANALYZE loaded pg_trgm into this session inside its own settings level, which lost
    # the connection's pg_trgm.word_similarity_threshold (back to PostgreSQL's 0.6): name
    # search on this connection then missed spellings. The next query opens a new one.
    connection.close()
    report.timings["vacuum_analyze"] = time.monotonic() - step
    say(f"  VACUUM ANALYZE: {time.monotonic() - step:.1f} s")
    report.seconds = time.monotonic() - started
    return report


def _taken_iins() -> frozenset[str]:
    return frozenset(Person.objects.exclude(iin=None).values_list("iin", flat=True))


def _world(options: Options, now: datetime, *, taken, say, report: Report) -> World:
    rng = part_rng(options.seed, "structure", 0)
    with transaction.atomic():
        structure = organisations.structure_create(
            children=options.children, seed=options.seed, now=now, rng=rng
        )
    report.rows["casework.User"] += structure.users
    report.rows["casework.Organisation"] += structure.organisations
    report.rows["casework.District"] += len(structure.districts)
    world = World(
        seed=options.seed,
        now=now,
        districts=structure.districts,
        content_types=organisations.content_types(),
        grounds=organisations.grounds(),
        calendar=None,
        messages=organisations.messages(),
        taken_iins=taken,
    )
    # From the oldest child's birth (disabilities, placements) to the longest deadline.
    world.calendar = working_calendar(
        first_year=world.today.year - 20, last_year=world.today.year + 5
    )
    return world


def _tasks(options: Options) -> list[Task]:
    tasks = []
    children = part_sizes(options.children, options.part_size)
    for index, count in enumerate(children):
        tasks.append(Task(len(tasks), "children", index, len(children), count))
    notices = part_sizes(options.open_notices, NOTICE_PART_SIZE)
    for index, count in enumerate(notices):
        tasks.append(Task(len(tasks), "notices", index, len(notices), count))
    return tasks


# --- the parts, one process and one connection each ---------------------------------

_shared: dict = {}


def _worker_init(world: World, params: dict, turn, turn_changed, failed) -> None:
    _shared.update(world=world, params=params, turn=turn, turn_changed=turn_changed, failed=failed)  # fmt: skip


def _run_parts(world: World, tasks: list[Task], workers: int):
    params = _connection_params()
    context = multiprocessing.get_context("fork")
    shared = (context.Value("i", 0), context.Condition(), context.Value("i", 0))
    # Forked processes must not share the parent's database connection.
    connections.close_all()
    if workers <= 1:
        _worker_init(world, params, *shared)
        yield from map(_part_run, tasks)
        return
    with context.Pool(workers, initializer=_worker_init, initargs=(world, params, *shared)) as pool:
        yield from pool.imap_unordered(_part_run, tasks)


def _connection_params() -> dict:
    settings = connection.settings_dict
    params = {
        "dbname": settings["NAME"],
        "user": settings["USER"],
        "password": settings["PASSWORD"],
        "host": settings["HOST"],
        "port": settings["PORT"],
    }
    return {key: value for key, value in params.items() if value}


def _part_run(task: Task) -> PartResult:
    world, failed = _shared["world"], _shared["failed"]
    try:
        started = time.monotonic()
        part = Part(world=world, deadlines=Deadlines(world.calendar), kind=task.kind, index=task.index, parts=task.parts)  # fmt: skip
        _part_build(part, task)
        built = time.monotonic()
        with psycopg2.connect(**_shared["params"]) as db, db.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            organisations.history_context_set(
                cursor, command="generate_population", seed=world.seed, part=f"{task.kind}-{task.index}"
            )  # fmt: skip
            starts = _ids_in_turn(cursor, task.ticket, part.rows.counts())
            copy_all(cursor, part.rows, starts)
        db.close()
        return PartResult(
            task,
            {model._meta.label: n for model, n in part.rows.counts().items()},
            built - started,
            time.monotonic() - built,
        )
    except BaseException:
        with _shared["turn_changed"]:
            failed.value = 1
            _shared["turn_changed"].notify_all()
        raise


def _part_build(part: Part, task: Task) -> None:
    if task.kind == "notices":
        open_notices_fill(part, task.count)
        return
    homes = []
    for home in households(part, task.count):
        registry_fill(part, home)
        situations_fill(part, home)
        homes.append(home)
    referrals_fill(part, homes)
    cases_self_referred(part, homes)


def _ids_in_turn(cursor, ticket: int, counts: dict) -> dict:
    """Take this part's ids when all parts before it have taken theirs: the same seed
    gives the same ids whichever process is faster."""
    turn, turn_changed, failed = _shared["turn"], _shared["turn_changed"], _shared["failed"]
    with turn_changed:
        while turn.value != ticket:
            if failed.value:
                raise RuntimeError("another part failed")
            turn_changed.wait(timeout=1)
        try:
            return ids_reserve(cursor, counts)
        finally:
            turn.value += 1
            turn_changed.notify_all()


# --- after the parts ------------------------------------------------------------------


def _commissions(world: World) -> Counter:
    part = Part(world=world, deadlines=Deadlines(world.calendar), kind="kdn", index=0, parts=1)
    with transaction.atomic(), connection.cursor() as cursor:
        organisations.history_context_set(cursor, command="generate_population", seed=world.seed, part="kdn")  # fmt: skip
        commissions_fill(part)
        starts = ids_reserve(cursor, part.rows.counts())
        copy_all(cursor.cursor, part.rows, starts)
    return Counter({model._meta.label: n for model, n in part.rows.counts().items()})


def _district_populations(district_ids: list[int]) -> None:
    """Each generated district's number of children is its registry's (the staffing norm
    uses it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        organisations.history_context_set(cursor, command="generate_population", part="districts")  # fmt: skip
        cursor.execute(
            "UPDATE casework_district d SET child_population = c.n FROM"
            " (SELECT district_id, count(*) AS n FROM children_child GROUP BY district_id) c"
            " WHERE c.district_id = d.id AND d.child_population <> c.n AND d.id = ANY(%s)",
            [district_ids],
        )
