"""Importing an existing registry from XLSX: template, dry run, import on a real Celery
worker, idempotency, permissions and bad files (issue #6, part 5)."""

import io
import threading
from datetime import date, timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

import children.tasks
from casework.models import Role, Timer, TimerKind
from children.imports import checks
from children.imports.checks import registry_import_check
from children.imports.layout import CARERS, CHILDREN, PLACEMENTS, SHEETS
from children.imports.reading import MAX_BYTES, workbook_read
from children.imports.services import registry_import_queue, registry_import_run
from children.models import (
    Carer,
    CarerKind,
    Child,
    ChildStatus,
    ImportStatus,
    Person,
    Placement,
    PlacementForm,
    RegistryImport,
    Sex,
)
from tests.children.conftest import iin_for

HTMX = {"HTTP_HX_REQUEST": "true"}
CHILD_IIN = iin_for(date(2015, 6, 14), Sex.MALE, seed=11)
SISTER_IIN = iin_for(date(2017, 3, 2), Sex.FEMALE, seed=12)
CARER_IIN = iin_for(date(1979, 5, 5), Sex.FEMALE, seed=13)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- building files the way a user does: download the template, fill it in ---------------


def child(**values):
    return {
        "iin": CHILD_IIN, "last_name": "Нурланов", "first_name": "Ерлан",
        "birth_date": "14.06.2015", "sex": "Мужской", **values,
    }  # fmt: skip


def carer(**values):
    return {
        "iin": CARER_IIN, "last_name": "Бекова", "first_name": "Сауле",
        "kind": "Приёмный родитель", "approved_on": "10.01.2024", **values,
    }  # fmt: skip


def placement(**values):
    return {
        "child_iin": CHILD_IIN, "form": "Приёмная семья", "carer_iin": CARER_IIN,
        "started_on": "15.02.2024", **values,
    }  # fmt: skip


def fill(template: bytes, rows: dict[str, list[dict]]) -> bytes:
    """Type rows into a downloaded template below its headers, column by column key."""
    book = load_workbook(io.BytesIO(template))
    for worksheet in book.worksheets:
        keys = [cell.value for cell in worksheet[2]]
        sheet = next(
            (s for s in SHEETS if keys[:1] and {c.key for c in s.columns} == set(keys)), None
        )
        if sheet is None:
            continue
        # The template formats empty rows below the headers: type into the first ones.
        for number, values in enumerate(rows.get(sheet.key, []), start=3):
            for column, key in enumerate(keys, start=1):
                worksheet.cell(row=number, column=column, value=values.get(key))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def plain_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A workbook typed from scratch (no template): sheet title -> rows."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        worksheet = book.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def template(alice, client_for):
    response = client_for(alice).get("/registry/imports/template.xlsx")
    assert response.status_code == 200
    return response.content


@pytest.fixture
def upload(alice, client_for, media):
    def post(content: bytes, *, user=None, name="registry.xlsx", **extra):
        client = client_for(user or alice)
        data = {"upload": SimpleUploadedFile(name, content)}
        return client.post("/registry/imports/new/", data, **extra)

    return post


def registry_counts():
    return (
        Person.objects.count(),
        Child.objects.count(),
        Carer.objects.count(),
        Placement.objects.count(),
        ChildStatus.objects.count(),
    )


def full_file(template):
    return fill(
        template,
        {
            CHILDREN.key: [
                child(status="Оставшийся без попечения родителей", status_since="01.02.2024"),
                child(iin=SISTER_IIN, first_name="Аружан", birth_date=None, sex=None),
            ],
            CARERS.key: [carer()],
            PLACEMENTS.key: [
                placement(),
                placement(child_iin=SISTER_IIN, started_on="01.02.2023", ended_on="01.02.2024",
                          end_reason="Возвращён родителям"),
            ],
        },
    )  # fmt: skip


def check(almaly, content: bytes):
    return registry_import_check(
        district=almaly, workbook=workbook_read(io.BytesIO(content), name="x.xlsx")
    )


# --- template and dry run ----------------------------------------------------------------


def test_it_serves_a_template_with_every_sheet_headers_keys_and_lists(template, institution):
    book = load_workbook(io.BytesIO(template))
    with translation.override("ru"):
        assert book.sheetnames[1:] == [*(str(s.label) for s in SHEETS), "lists"]
    assert book.sheetnames[1] == "Дети"
    children_sheet = book.worksheets[1]
    assert children_sheet["A1"].value == "ИИН *"
    assert children_sheet["A2"].value == "iin"
    assert children_sheet.row_dimensions[2].hidden
    assert children_sheet["A1"].comment is not None
    validations = {str(v.sqref): v.formula1 for v in children_sheet.data_validations.dataValidation}
    assert any(f.startswith("lists!") for f in validations.values())
    lists = book["lists"]
    assert lists.sheet_state == "hidden"
    assert "Мужской" in [c.value for c in lists["A"]]


def test_it_round_trips_the_template_and_the_dry_run_changes_nothing(
    template, upload, almaly, make_child, alice
):
    make_child(iin=iin_for(date(2014, 1, 1), Sex.MALE, seed=99), last_name="Омаров")
    before = registry_counts()
    response = upload(full_file(template))
    record = RegistryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/registry/imports/{record.pk}/"
    assert registry_counts() == before
    assert record.status == ImportStatus.CHECKED
    assert (record.district, record.uploaded_by, record.rows_total) == (almaly, alice, 5)
    assert record.counts == {
        "children": {"new": 2, "present": 0, "errors": 0},
        "carers": {"new": 1, "present": 0, "errors": 0},
        "placements": {"new": 2, "present": 0, "errors": 0},
    }
    assert len(record.sha256) == 64
    assert record.file.read()[:2] == b"PK"


def test_the_dry_run_page_shows_counts_and_the_import_button(template, upload, alice, client_for):
    upload(full_file(template))
    record = RegistryImport.objects.get()
    page = client_for(alice).get(f"/registry/imports/{record.pk}/").content.decode()
    assert "Будут созданы" in page or "Would be created" in page
    assert f'action="/registry/imports/{record.pk}/start/"' in page
    assert "hx-trigger" not in page  # nothing runs yet: no polling


def test_a_template_downloaded_in_kazakh_reads_the_same(alice, client_for, upload, almaly):
    alice.preferred_language = "kk"
    alice.save(update_fields=["preferred_language"])
    kazakh = client_for(alice).get("/registry/imports/template.xlsx").content
    assert load_workbook(io.BytesIO(kazakh)).worksheets[1]["A1"].value != "ИИН *"
    alice.preferred_language = "ru"
    alice.save(update_fields=["preferred_language"])
    plan = check(almaly, fill(kazakh, {CHILDREN.key: [child(sex="Ер")]}))
    assert plan.problems == []
    assert plan.counts()["children"]["new"] == 1


def test_headers_typed_in_english_without_the_key_row_are_understood(almaly):
    content = plain_workbook(
        {
            "Children": [
                ["IIN *", "Surname", "first name", "Birth date", "Sex", "My notes"],
                [CHILD_IIN, "Nurlanov", "Erlan", date(2015, 6, 14), "Male", "anything"],
            ]
        }
    )
    with translation.override("en"):
        plan = check(almaly, content)
    assert [(p.column, p.letter, p.level) for p in plan.problems] == [("", "F", checks.WARNING)]
    assert plan.children[0].fields["birth_date"] == date(2015, 6, 14)
    assert plan.children[0].fields["sex"] == Sex.MALE


def test_an_iin_that_excel_made_a_number_keeps_its_leading_zero(almaly):
    iin = iin_for(date(2005, 3, 1), Sex.FEMALE, seed=3)
    assert iin.startswith("0")
    content = plain_workbook(
        {"Дети": [["ИИН", "Фамилия", "first_name"], [int(iin), "Омарова", "Дана"]]}
    )
    plan = check(almaly, content)
    assert plan.problems == []
    assert plan.children[0].iin == iin


def test_a_sorted_key_row_is_skipped_wherever_it_is(template, almaly):
    book = load_workbook(io.BytesIO(fill(template, {CHILDREN.key: [child()]})))
    sheet = book.worksheets[1]
    keys = [c.value for c in sheet[2]]
    data = [c.value for c in sheet[3]]
    for n, key in enumerate(keys, start=1):
        sheet.cell(row=2, column=n).value = data[n - 1]
        sheet.cell(row=3, column=n).value = key
    buffer = io.BytesIO()
    book.save(buffer)
    plan = check(almaly, buffer.getvalue())
    assert plan.problems == []
    assert [row.number for row in plan.children] == [2]


def problems(plan):
    return [(p.sheet, p.row, p.column, p.message, p.level) for p in plan.problems]


@pytest.mark.parametrize(
    ("sheet", "values", "column", "message"),
    [
        (CHILDREN.key, child(iin=None), "iin", checks.M_IIN_REQUIRED),
        (CHILDREN.key, child(iin="123456789012"), "iin", checks.M_IIN_INVALID),
        (CHILDREN.key, child(last_name=None), "last_name", checks.M_REQUIRED),
        (CHILDREN.key, child(first_name="Е" * 151), "first_name", checks.M_TOO_LONG),
        (CHILDREN.key, child(birth_date="2015-06-14"), "birth_date", checks.M_DATE),
        (CHILDREN.key, child(sex="Оно"), "sex", checks.M_CHOICE),
        (CHILDREN.key, child(status="Сирота"), "status_since", checks.M_STATUS_SINCE),
        (CHILDREN.key, child(status="Сирота", status_since="01.01.2999"), "status_since", checks.M_FUTURE),
        (CARERS.key, carer(kind=None), "kind", checks.M_REQUIRED),
        (CARERS.key, carer(approved_on="вчера"), "approved_on", checks.M_DATE),
        (PLACEMENTS.key, placement(form="Интернат"), "form", checks.M_CHOICE),
        (PLACEMENTS.key, placement(started_on=None), "started_on", checks.M_REQUIRED),
        (PLACEMENTS.key, placement(carer_iin=None), "carer_iin", checks.M_CARER_NEEDED),
        (PLACEMENTS.key, placement(organisation="Дом ребёнка"), "organisation", checks.M_NOT_BOTH),
        (PLACEMENTS.key, placement(form="Организация для детей-сирот", carer_iin=None), "organisation", checks.M_ORGANISATION_NEEDED),
        (PLACEMENTS.key, placement(form="Организация для детей-сирот", carer_iin=None, organisation="Нет такой"), "organisation", checks.M_NO_ORGANISATION),
        (PLACEMENTS.key, placement(ended_on="01.01.2024", end_reason="Другое"), "ended_on", checks.M_END_BEFORE_START),
        (PLACEMENTS.key, placement(ended_on="01.03.2024"), "end_reason", checks.M_END_REASON),
        (PLACEMENTS.key, placement(end_reason="Другое"), "ended_on", checks.M_END_DATE),
        (PLACEMENTS.key, placement(form="Профессиональная приёмная семья"), "carer_iin", checks.M_NEEDS_PROFESSIONAL),
        (PLACEMENTS.key, placement(child_iin=SISTER_IIN), "child_iin", checks.M_NO_CHILD),
        (PLACEMENTS.key, placement(carer_iin=iin_for(date(1970, 1, 1), Sex.MALE, seed=5)), "carer_iin", checks.M_NO_CARER),
    ],
)  # fmt: skip
def test_every_problem_names_its_sheet_row_and_column(
    template, almaly, sheet, values, column, message
):
    rows = {CHILDREN.key: [child()], CARERS.key: [carer()], PLACEMENTS.key: []}
    rows[sheet] = [*rows[sheet][1:], values] if sheet != PLACEMENTS.key else [values]
    plan = check(almaly, fill(template, rows))
    errors = [p for p in problems(plan) if p[4] == checks.ERROR]
    assert errors == [(sheet, 3, column, message, checks.ERROR)]
    assert plan.counts()[sheet]["errors"] == 1


def test_duplicates_within_the_file_are_reported_on_the_second_row(template, almaly):
    plan = check(
        almaly,
        fill(
            template,
            {
                CHILDREN.key: [child(), child()],
                CARERS.key: [carer()],
                PLACEMENTS.key: [placement(), placement()],
            },
        ),
    )
    assert [(p.sheet, p.row, p.column, p.message) for p in plan.problems] == [
        ("children", 4, "iin", checks.M_DUPLICATE_ROW),
        ("placements", 4, "started_on", checks.M_DUPLICATE_PLACEMENT),
    ]
    assert plan.problems[0].params == {"row": 3}


def test_a_birth_date_or_sex_against_the_iin_is_a_warning(template, almaly):
    plan = check(
        almaly, fill(template, {CHILDREN.key: [child(birth_date="15.06.2015", sex="Женский")]})
    )
    assert [(p.column, p.message, p.level) for p in plan.problems] == [
        ("birth_date", checks.M_IIN_BIRTH, checks.WARNING),
        ("sex", checks.M_IIN_SEX, checks.WARNING),
    ]
    assert plan.errors == 0


def test_people_of_another_district_are_refused(
    template, almaly, bostandyk, other_guardianship, make_child, make_carer
):
    make_child(iin=CHILD_IIN, district=bostandyk)
    make_carer(iin=CARER_IIN, district=bostandyk)
    plan = check(almaly, fill(template, {CHILDREN.key: [child()], CARERS.key: [carer()]}))
    assert [(p.sheet, p.column, p.message) for p in plan.problems] == [
        ("children", "iin", checks.M_OTHER_DISTRICT),
        ("carers", "iin", checks.M_OTHER_DISTRICT),
    ]


def test_the_registry_under_another_name_and_a_twin_without_iin_are_warnings(
    template, almaly, make_child
):
    make_child(iin=CHILD_IIN, last_name="Нурланулы", birth_date=date(2015, 6, 14))
    make_child(last_name="Омарова", first_name="Дана", birth_date=date(2017, 3, 2))
    plan = check(
        almaly,
        fill(
            template,
            {
                CHILDREN.key: [
                    child(),
                    child(
                        iin=SISTER_IIN,
                        last_name="Омарова",
                        first_name="Дана",
                        birth_date="02.03.2017",
                        sex=None,
                    ),
                ]
            },
        ),
    )
    assert [(p.row, p.column, p.message, p.level) for p in plan.problems] == [
        (3, "last_name", checks.M_OTHER_NAME, checks.WARNING),
        (4, "iin", checks.M_SAME_AS_NO_IIN, checks.WARNING),
    ]
    assert plan.counts()["children"] == {"new": 1, "present": 1, "errors": 0}


def test_placements_follow_the_rules_of_the_placement_services(
    template, almaly, make_child, make_carer, institution
):
    adopted = make_child(iin=iin_for(date(2016, 1, 1), Sex.MALE, seed=21), last_name="Ахметов")
    from children.services.placements import placement_start

    adoptive = make_carer(CarerKind.GUARDIAN)
    placement_start(
        child=adopted, form=PlacementForm.ADOPTION, started_on=date(2024, 1, 1), carer=adoptive
    )
    placed = make_child(iin=iin_for(date(2016, 2, 2), Sex.MALE, seed=22), last_name="Кенжеев")
    placement_start(
        child=placed,
        form=PlacementForm.ORGANISATION,
        started_on=date(2024, 1, 1),
        organisation=institution,
    )
    suspended = make_carer(iin=iin_for(date(1980, 1, 1), Sex.FEMALE, seed=23))
    Carer.objects.filter(pk=suspended.pk).update(suspended_at=timezone.now())
    plan = check(
        almaly,
        fill(
            template,
            {
                CHILDREN.key: [child()],
                CARERS.key: [carer()],
                PLACEMENTS.key: [
                    placement(child_iin=adopted.person.iin),
                    placement(child_iin=placed.person.iin),
                    placement(carer_iin=suspended.person.iin),
                    placement(form="Гостевая семья (дополнительно)", child_iin=placed.person.iin),
                ],
            },
        ),
    )  # fmt: skip
    assert sorted((p.row, p.column, p.message) for p in plan.problems) == [
        (3, "child_iin", checks.M_CLOSED),
        (4, "started_on", checks.M_ACTIVE),
        (5, "carer_iin", checks.M_SUSPENDED),
    ]
    assert plan.counts()["placements"] == {"new": 1, "present": 0, "errors": 3}


def test_a_second_active_placement_in_the_file_is_refused_but_history_is_not(template, almaly):
    plan = check(
        almaly,
        fill(
            template,
            {
                CHILDREN.key: [child()],
                CARERS.key: [carer()],
                PLACEMENTS.key: [
                    placement(),
                    placement(form="Опека", started_on="01.01.2020", ended_on="01.01.2021", end_reason="Другое"),
                    placement(form="Опека", started_on="01.03.2024"),
                ],
            },
        ),
    )  # fmt: skip
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (5, "started_on", checks.M_ACTIVE)
    ]


def test_a_professional_foster_family_holds_four_children(template, almaly, make_child, make_carer):
    from children.services.placements import placement_start

    professional = make_carer(CarerKind.PROFESSIONAL_FOSTER, iin=CARER_IIN)
    for n in range(4):
        kid = make_child(
            iin=iin_for(date(2014, 1, 1 + n), Sex.MALE, seed=40 + n), last_name=f"Сапаров{n}"
        )
        placement_start(
            child=kid,
            form=PlacementForm.PROFESSIONAL_FOSTER,
            started_on=date(2024, 1, 1),
            carer=professional,
        )
    plan = check(
        almaly,
        fill(template, {CHILDREN.key: [child()], PLACEMENTS.key: [placement(form="Профессиональная приёмная семья")]}),
    )  # fmt: skip
    assert [(p.row, p.column, p.message) for p in plan.problems] == [
        (3, "carer_iin", checks.M_CAPACITY)
    ]


# --- bad files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 synthetic", "не является книгой Excel"),
        (b"PK\x03\x04 not really a zip", "не является книгой Excel"),
        (b"PK\x03\x04" + b"\0" * MAX_BYTES, "больше 5 МБ"),
    ],
)
def test_a_file_that_is_not_a_usable_workbook_is_refused_with_a_message(
    upload, content, message, media
):
    before = registry_counts()
    response = upload(content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page or "Ничего не сохранено" in page
    assert not RegistryImport.objects.exists()
    assert registry_counts() == before
    assert not any(media.rglob("*"))


def test_an_empty_file_is_refused(upload):
    response = upload(b"")
    assert response.status_code == 200
    assert not RegistryImport.objects.exists()
    assert response.context["form"].errors["upload"]


@pytest.mark.parametrize(
    "sheets",
    [
        {"Лист1": [["ИИН", "Фамилия"], [CHILD_IIN, "Нурланов"]]},
        {"Дети": [["Номер", "ФИО"], ["1", "Нурланов Ерлан"]]},
        {"Дети": [["ИИН", "Фамилия", "Имя"]]},
    ],
    ids=["no-known-sheet", "wrong-headers", "no-rows"],
)
def test_a_workbook_with_the_wrong_layout_is_refused(upload, sheets):
    response = upload(plain_workbook(sheets))
    assert response.status_code == 200
    assert response.context["form"].errors["upload"]
    assert not RegistryImport.objects.exists()


def test_wrong_headers_name_the_missing_columns(upload):
    response = upload(plain_workbook({"Дети": [["Номер", "ФИО"], ["1", "Нурланов Ерлан"]]}))
    (message,) = response.context["form"].errors["upload"]
    assert "«Дети»" in message or "“Дети”" in message
    assert "ИИН" in message


def test_a_rejected_file_shows_every_problem_and_cannot_be_imported(
    template, upload, alice, client_for
):
    upload(
        fill(template, {CHILDREN.key: [child(iin="123"), child(iin=SISTER_IIN, last_name=None)]})
    )
    record = RegistryImport.objects.get()
    assert record.status == ImportStatus.REJECTED
    client = client_for(alice)
    page = client.get(f"/registry/imports/{record.pk}/").content.decode()
    assert "Бұл жарамды" not in page
    assert page.count('<span class="tag warn">') == 2
    response = client.post(f"/registry/imports/{record.pk}/start/", follow=True)
    assert RegistryImport.objects.get().status == ImportStatus.REJECTED
    assert response.status_code == 200


def test_a_kazakh_speaking_user_reads_the_report_in_kazakh(template, upload, alice, client_for):
    upload(fill(template, {CHILDREN.key: [child(iin="123456789012")]}))
    record = RegistryImport.objects.get()
    alice.preferred_language = "kk"
    alice.save(update_fields=["preferred_language"])
    page = client_for(alice).get(f"/registry/imports/{record.pk}/").content.decode()
    assert "Бұл жарамды ЖСН емес: 12 цифрды тексеріңіз." in page


# --- the import --------------------------------------------------------------------------


def _checked(upload, content) -> RegistryImport:
    upload(content)
    record = RegistryImport.objects.latest("pk")
    assert record.status == ImportStatus.CHECKED, record.report
    return record


def test_a_real_worker_imports_the_file_with_progress(
    transactional_db, celery_app, template, upload, alice, client_for, guardianship
):
    record = _checked(upload, full_file(template))
    finished = threading.Event()

    def on_finished(sender=None, **kwargs):
        if sender.name == "children.tasks.registry_import_run":
            finished.set()

    task_postrun.connect(on_finished, weak=False)
    client = client_for(alice)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            response = client.post(f"/registry/imports/{record.pk}/start/")
            assert response.status_code == 302
            assert finished.wait(timeout=90), "the worker did not run the import"
    finally:
        task_postrun.disconnect(on_finished)
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE, record.report
    assert (record.rows_done, record.rows_total, record.started_by) == (5, 5, alice)
    assert record.counts == {
        "children": {"new": 2, "present": 0, "errors": 0},
        "carers": {"new": 1, "present": 0, "errors": 0},
        "placements": {"new": 2, "present": 0, "errors": 0},
    }
    erlan = Child.objects.get(person__iin=CHILD_IIN)
    assert erlan.district_id == record.district_id
    assert erlan.statuses.get().category == "without_care"
    sister = Person.objects.get(iin=SISTER_IIN)
    assert (sister.birth_date, sister.sex) == (date(2017, 3, 2), Sex.FEMALE)
    ended = Placement.objects.get(child__person=sister)
    assert (ended.ended_on, ended.end_reason) == (date(2024, 2, 1), "returned_to_parents")
    bekova = Carer.objects.get(person__iin=CARER_IIN)
    # Registered through the carer service: the annual check and the inspection are timers.
    assert set(
        Timer.objects.filter(subject_id=bekova.pk, closed_at__isnull=True).values_list(
            "kind", flat=True
        )
    ) >= {TimerKind.CARER_CHECK, TimerKind.CARER_INSPECTION}
    history = erlan.person.history.first()
    assert history is not None and history.pgh_context.metadata["user"] == alice.pk
    assert list(record.events.values_list("status", flat=True).order_by("pgh_id")) == [
        "checked", "queued", "running", "done",
    ]  # fmt: skip
    page = client.get(f"/registry/imports/{record.pk}/", **HTMX).content.decode()
    assert 'id="import-progress"' in page and "hx-trigger" not in page
    assert '<progress id="import-progress-bar" max="5" value="5">' in page
    assert "<html" not in page


def test_the_progress_polls_while_the_import_waits(template, upload, alice, client_for):
    record = _checked(upload, full_file(template))
    registry_import_queue(registry_import=record, by=alice, enqueue=False)
    client = client_for(alice)
    partial = client.get(f"/registry/imports/{record.pk}/", **HTMX).content.decode()
    assert f'hx-get="/registry/imports/{record.pk}/" hx-trigger="every 1s"' in partial
    assert '<label for="import-progress-bar">' in partial and "<progress" in partial
    assert "<html" not in partial
    page = client.get(f"/registry/imports/{record.pk}/").content.decode()
    assert "<html" in page and "<progress" in page  # the same page works as a plain reload
    assert f'href="/registry/imports/{record.pk}/"' in page


def test_re_importing_the_same_file_changes_nothing(template, upload, alice, client_for):
    content = full_file(template)
    first = _checked(upload, content)
    registry_import_queue(registry_import=first, by=alice, enqueue=False)
    assert registry_import_run(import_id=first.pk)
    after_first = registry_counts()
    second = _checked(upload, content)
    assert second.counts["children"] == {"new": 0, "present": 2, "errors": 0}
    page = client_for(alice).get(f"/registry/imports/{second.pk}/").content.decode()
    assert "уже импортирован" in page or "already imported" in page
    registry_import_queue(registry_import=second, by=alice, enqueue=False)
    assert registry_import_run(import_id=second.pk)
    second.refresh_from_db()
    assert registry_counts() == after_first
    assert second.status == ImportStatus.DONE
    assert second.counts == {
        "children": {"new": 0, "present": 2, "errors": 0},
        "carers": {"new": 0, "present": 1, "errors": 0},
        "placements": {"new": 0, "present": 2, "errors": 0},
    }


def test_an_overlapping_file_adds_only_what_is_new(template, upload, alice):
    first = _checked(upload, fill(template, {CHILDREN.key: [child()], CARERS.key: [carer()]}))
    registry_import_queue(registry_import=first, by=alice, enqueue=False)
    registry_import_run(import_id=first.pk)
    second = _checked(
        upload,
        fill(template, {CHILDREN.key: [child(), child(iin=SISTER_IIN, first_name="Аружан")], PLACEMENTS.key: [placement()]}),
    )  # fmt: skip
    registry_import_queue(registry_import=second, by=alice, enqueue=False)
    registry_import_run(import_id=second.pk)
    second.refresh_from_db()
    assert second.counts["children"] == {"new": 1, "present": 1, "errors": 0}
    assert second.counts["placements"] == {"new": 1, "present": 0, "errors": 0}
    assert Child.objects.count() == 2


def test_running_the_task_twice_imports_once(template, upload, alice):
    record = _checked(upload, full_file(template))
    registry_import_queue(registry_import=record, by=alice, enqueue=False)
    assert children.tasks.registry_import_run(record.pk) is True
    counts = registry_counts()
    assert children.tasks.registry_import_run(record.pk) is False
    assert registry_counts() == counts
    assert record.events.filter(status=ImportStatus.RUNNING).count() == 1


def test_a_checked_file_is_not_imported_before_the_user_presses_import(template, upload):
    record = _checked(upload, full_file(template))
    before = registry_counts()
    assert registry_import_run(import_id=record.pk) is False
    assert registry_counts() == before


def test_an_import_whose_worker_died_is_taken_over(template, upload, alice):
    record = _checked(upload, full_file(template))
    registry_import_queue(registry_import=record, by=alice, enqueue=False)
    RegistryImport.objects.filter(pk=record.pk).update(
        status=ImportStatus.RUNNING, progress_at=timezone.now() - timedelta(minutes=5)
    )
    assert registry_import_run(import_id=record.pk) is False  # still alive
    assert registry_import_run(import_id=record.pk, now=timezone.now() + timedelta(minutes=6))
    record.refresh_from_db()
    assert record.status == ImportStatus.DONE


def test_a_registry_changed_since_the_dry_run_stops_the_import(
    template, upload, alice, make_child, bostandyk
):
    record = _checked(upload, fill(template, {CHILDREN.key: [child()]}))
    make_child(iin=CHILD_IIN, district=bostandyk)
    registry_import_queue(registry_import=record, by=alice, enqueue=False)
    counts = registry_counts()
    registry_import_run(import_id=record.pk)
    record.refresh_from_db()
    assert record.status == ImportStatus.FAILED
    assert record.report["problems"][0]["message"] == checks.M_OTHER_DISTRICT
    assert registry_counts() == counts


def test_warnings_must_be_confirmed_before_importing(template, upload, alice, client_for):
    record = _checked(upload, fill(template, {CHILDREN.key: [child(sex="Женский")]}))
    client = client_for(alice)
    response = client.post(f"/registry/imports/{record.pk}/start/")
    assert response.status_code == 200
    assert RegistryImport.objects.get().status == ImportStatus.CHECKED
    response = client.post(f"/registry/imports/{record.pk}/start/", {"confirm_warnings": "on"})
    assert response.status_code == 302
    assert RegistryImport.objects.get().status == ImportStatus.QUEUED


# --- who may import ----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["fatima", "rita", "nina", "kairat"])
@pytest.mark.parametrize(
    "path", ["/registry/imports/", "/registry/imports/new/", "/registry/imports/template.xlsx"]
)
def test_only_guardianship_staff_import(request, client_for, persona, path):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(path).status_code == 403


def test_another_district_neither_sees_nor_starts_an_import(
    template, upload, alice, bob, hanna, oscar, fatima, client_for
):
    record = _checked(upload, full_file(template))
    for outsider in (oscar, fatima):
        client = client_for(outsider)
        assert client.get(f"/registry/imports/{record.pk}/").status_code == 404
        assert client.post(f"/registry/imports/{record.pk}/start/").status_code == 404
    assert record.original_name not in client_for(oscar).get("/registry/imports/").content.decode()
    assert RegistryImport.objects.get().status == ImportStatus.CHECKED
    for colleague in (bob, hanna):
        page = client_for(colleague).get("/registry/imports/").content.decode()
        assert f"/registry/imports/{record.pk}/" in page


def test_an_import_goes_into_the_users_own_district(
    alice, almaly, client_for, bostandyk, template, media
):
    response = client_for(alice).post(
        "/registry/imports/new/",
        {"district": bostandyk.pk, "upload": SimpleUploadedFile("r.xlsx", full_file(template))},
    )
    assert response.status_code == 302
    assert RegistryImport.objects.get().district == almaly


def test_a_user_of_two_districts_chooses_only_among_them(
    guardianship, other_guardianship, client_for, template, media
):
    from tests.factories import DistrictFactory, MembershipFactory, staff

    both = staff(Role.GUARDIANSHIP_SPECIALIST, guardianship)
    MembershipFactory(user=both, organisation=other_guardianship)
    elsewhere = DistrictFactory()
    client = client_for(both)
    response = client.post(
        "/registry/imports/new/",
        {"district": elsewhere.pk, "upload": SimpleUploadedFile("r.xlsx", full_file(template))},
    )
    assert response.status_code == 200
    assert "district" in response.context["form"].errors
    assert not RegistryImport.objects.exists()
    response = client.post(
        "/registry/imports/new/",
        {
            "district": other_guardianship.district_id,
            "upload": SimpleUploadedFile("r.xlsx", full_file(template)),
        },
    )
    assert RegistryImport.objects.get().district_id == other_guardianship.district_id


def test_the_history_is_paginated_and_in_the_navigation(template, upload, alice, client_for):
    content = fill(template, {CHILDREN.key: [child()]})
    for _n in range(26):
        upload(content)
    client = client_for(alice)
    first = client.get("/registry/imports/")
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"]) == 25
    assert 'href="/registry/imports/"' in client.get("/").content.decode()


def test_the_demo_leaves_a_finished_import(db, media):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    record = RegistryImport.objects.get()
    assert record.status == ImportStatus.DONE
    assert record.district.code == "ALM-ALM"
    assert record.counts["children"]["new"] >= 1
    assert record.counts["children"]["present"] >= 1


def test_the_history_page_costs_the_same_for_more_imports(template, upload, alice, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = fill(template, {CHILDREN.key: [child()]})
    client = client_for(alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/registry/imports/").status_code == 200
        return len(captured)

    for _n in range(2):
        upload(content)
    queries()  # caches filled once per process (content types, permissions)
    few = queries()
    for _n in range(4):
        upload(content)
    assert queries() == few
