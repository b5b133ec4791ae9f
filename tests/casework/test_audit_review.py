"""Audit review (issue #7): who viewed a file, the export of a period, and the alert when
someone opens unusually many files in an hour.

Personas: hanna heads Almaly guardianship, alice and bob work there, oscar works in
Bostandyk, olga heads Bostandyk guardianship, gulnara heads the Almaly FSC, adam is the
administrator.
"""

import csv
import io
import threading
from datetime import date, datetime, timedelta

import pghistory
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from casework import audit_selectors
from casework.celery import app as celery_app
from casework.models import AuditAlert, AuditRead, Notification, Role, User
from casework.services.audit import audit_unusual_reads_alert
from casework.working_days import ALMATY
from children.models import Child, ChildShare
from children.services import files
from children.services.people import PersonInput
from families import services as family_services
from tests.factories import MembershipFactory, staff

TODAY = timezone.localdate


def almaty(*args) -> datetime:
    return datetime(*args, tzinfo=ALMATY)


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def register(by, district, last="Жанбулатова", first="Аружан") -> Child:
    return files.child_register(
        data=PersonInput(last_name=last, first_name=first, district=district), by=by
    )


def read(user, obj, *, at=None, action="view", path=None, ip="10.0.0.7") -> AuditRead:
    return AuditRead.objects.create(
        user=user,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        path=path or f"/registry/children/{obj.pk}/",
        ip=ip,
        at=at or timezone.now(),
    )


@pytest.fixture
def olga(other_guardianship):
    """Head of Bostandyk guardianship."""
    return staff(Role.GUARDIANSHIP_HEAD, other_guardianship, username="olga")


@pytest.fixture
def child(alice, almaly):
    return register(alice, almaly)


@pytest.fixture
def family(alice, almaly):
    return family_services.family_create(name="Сапаровы", district=almaly, by=alice)


def audit_url(child) -> str:
    return reverse("child_audit", args=[child.pk])


# --- who viewed this file -----------------------------------------------------------


def test_the_head_sees_who_viewed_the_child_s_file(hanna, alice, client_for, child):
    read(alice, child, at=almaty(2026, 5, 4, 14, 7), ip="10.1.2.3")
    read(alice, child, at=almaty(2026, 5, 5, 9, 30), action="export", path="/doc/1/")
    page = client_for(hanna).get(audit_url(child)).content.decode()
    assert alice.full_name in page
    assert str(alice.memberships.get().organisation) in page
    assert translated("ru", "Guardianship specialist") in page
    assert "04.05.2026 14:07" in page  # Almaty time
    assert "10.1.2.3" in page
    assert translated("ru", "Viewed") in page
    assert translated("ru", "Exported") in page
    assert "/doc/1/" in page


def test_opening_who_viewed_is_itself_a_logged_read_shown_first(hanna, alice, client_for, child):
    read(alice, child, at=almaty(2026, 5, 4, 14, 7))
    page = client_for(hanna).get(audit_url(child)).content.decode()
    own = AuditRead.objects.get(user=hanna)
    assert (own.action, own.object_id, own.path) == ("view", str(child.pk), audit_url(child))
    assert page.index(hanna.full_name) < page.index(alice.full_name)


def test_downloads_and_the_commission_s_packets_are_the_child_s_reads_too(
    hanna, alice, kairat, client_for, child
):
    """Documents and the KDN summary/packet log the read on the child itself."""
    read(alice, child, action="export", path=f"/registry/children/{child.pk}/documents/1/")
    read(kairat, child, action="print", path="/kdn/items/9/packet.pdf")
    page = client_for(hanna).get(audit_url(child)).content.decode()
    assert "/kdn/items/9/packet.pdf" in page
    assert translated("ru", "Printed") in page
    assert kairat.full_name in page


def test_the_reader_s_role_is_the_one_held_on_the_day_of_the_read(
    hanna, bob, client_for, child, fsc
):
    membership = bob.memberships.get()
    membership.ended_on = date(2026, 3, 31)
    membership.started_on = date(2025, 1, 1)
    membership.save(update_fields=["ended_on", "started_on"])
    staff_fsc = bob.memberships.create(
        organisation=fsc, role=Role.FSC_SPECIALIST, started_on=date(2026, 4, 1)
    )
    read(bob, child, at=almaty(2026, 3, 10, 10, 0))
    page = client_for(hanna).get(audit_url(child)).content.decode()
    row = page[page.index("10.03.2026") :].split("</tr>", 1)[0]
    assert translated("ru", "Guardianship specialist") in row
    assert str(staff_fsc.organisation) not in row


def test_the_file_links_to_who_viewed_for_its_heads_only(hanna, alice, client_for, child):
    link = audit_url(child)
    assert link in client_for(hanna).get(f"/registry/children/{child.pk}/").content.decode()
    assert link not in client_for(alice).get(f"/registry/children/{child.pk}/").content.decode()


def test_a_specialist_is_refused_with_403_and_an_outsider_with_404(
    alice, oscar, client_for, child, family
):
    assert client_for(alice).get(audit_url(child)).status_code == 403
    assert client_for(oscar).get(audit_url(child)).status_code == 404
    family_audit = reverse("family_audit", args=[family.pk])
    assert client_for(alice).get(family_audit).status_code == 403
    assert client_for(oscar).get(family_audit).status_code == 404
    assert not AuditRead.objects.exists()


def test_a_head_of_a_district_the_file_is_shared_with_is_refused(
    olga, alice, client_for, child, bostandyk
):
    ChildShare.objects.create(child=child, district=bostandyk, granted_by=alice, reason="Переезд")
    client = client_for(olga)
    assert client.get(f"/registry/children/{child.pk}/").status_code == 200
    assert client.get(audit_url(child)).status_code == 403


@pytest.mark.parametrize("name", ["gulnara", "kairat", "rita", "nina", "adam"])
def test_other_roles_never_see_who_viewed_a_child(request, client_for, child, name):
    response = client_for(request.getfixturevalue(name)).get(audit_url(child))
    assert response.status_code == 404


def test_the_head_sees_who_viewed_the_family_s_file(hanna, alice, client_for, family):
    client_for(alice).get(reverse("family_file", args=[family.pk]))
    page = client_for(hanna).get(reverse("family_audit", args=[family.pk])).content.decode()
    assert alice.full_name in page
    assert f"/registry/families/{family.pk}/" in page
    family_page = client_for(hanna).get(reverse("family_file", args=[family.pk]))
    assert reverse("family_audit", args=[family.pk]) in family_page.content.decode()


def test_pages_of_25_newest_first(hanna, alice, client_for, child):
    start = almaty(2026, 5, 1, 9, 0)
    for n in range(30):
        read(alice, child, at=start + timedelta(minutes=n), path=f"/read/{n}/")
    client = client_for(hanna)
    first = client.get(audit_url(child)).content.decode()
    # Hanna's own read of this page comes first, then the 24 latest of alice's.
    assert "/read/29/" in first and "/read/6/" in first and "/read/5/" not in first
    assert first.index("/read/29/") < first.index("/read/28/")
    second = client.get(audit_url(child) + "?page=2").content.decode()
    assert "/read/5/" in second and "/read/0/" in second and "/read/29/" not in second


def test_the_page_costs_the_same_queries_for_3_and_30_readers(
    hanna, alice, client_for, child, guardianship
):
    client = client_for(hanna)
    readers = [
        MembershipFactory(
            user=User.objects.create(username=f"reader{n}", last_name=f"Читатель{n}"),
            organisation=guardianship,
        ).user
        for n in range(30)
    ]
    for user in readers[:3]:
        read(user, child)
    client.get(audit_url(child))  # warm the session and content type caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(audit_url(child)).status_code == 200
    for user in readers[3:]:
        read(user, child)
    with CaptureQueriesContext(connection) as many:
        page = client.get(audit_url(child)).content.decode()
    assert readers[-1].full_name in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_page_reads_through_the_object_index(child):
    plan = audit_selectors.object_reads(obj=child)[:25].explain()
    assert "auditread_object" in plan, plan


def test_fsc_and_guardianship_heads_see_who_viewed_an_fsc_case(
    gulnara, hanna, fatima, farida, client_for, almaly, fsc, alice
):
    from casework.services import cases

    case = cases.case_open(organisation=fsc, by=gulnara, title="Синтетическое дело")
    read(fatima, case, path=f"/cases/{case.pk}/")
    url = reverse("case_audit", args=[case.pk])
    assert fatima.full_name in client_for(gulnara).get(url).content.decode()
    assert client_for(hanna).get(url).status_code == 200
    assert client_for(farida).get(url).status_code == 403
    assert url in client_for(gulnara).get(f"/cases/{case.pk}/").content.decode()


# --- the export of a period ---------------------------------------------------------


def export_url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('audit_export')}?{query}"


def period(fmt="csv", first=None, last=None) -> str:
    first = first or TODAY() - timedelta(days=1)
    last = last or TODAY()
    return export_url(date_from=f"{first:%d.%m.%Y}", date_to=f"{last:%d.%m.%Y}", format=fmt)


def csv_rows(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def almaly_and_bostandyk_reads(alice, oscar, almaly, bostandyk, child):
    other = register(oscar, bostandyk, last="Бостандыкова", first="Дана")
    return (
        read(alice, child, path=f"/registry/children/{child.pk}/?tab=all", ip="10.0.0.1"),
        read(oscar, other, path=f"/registry/children/{other.pk}/", ip="10.9.9.9"),
    )


def test_the_form_starts_with_this_month(hanna, client_for):
    page = client_for(hanna).get(reverse("audit_export")).content.decode()
    assert f'value="{TODAY().replace(day=1):%d.%m.%Y}"' in page
    assert f'value="{TODAY():%d.%m.%Y}"' in page


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_end_before_the_start_is_refused_in_the_user_s_language_keeping_the_input(
    hanna, client_for, language
):
    hanna.preferred_language = language
    hanna.save(update_fields=["preferred_language"])
    response = client_for(hanna).get(
        export_url(date_from="10.05.2026", date_to="01.05.2026", format="csv")
    )
    page = response.content.decode()
    assert response.status_code == 200 and not response.streaming
    assert translated(language, "The end cannot be before the start.") in page
    assert {"ru": "Окончание не может быть раньше начала.", "kk": "Аяқталуы басталуынан ерте болмайды."}[language] in page  # fmt: skip
    assert 'value="10.05.2026"' in page and 'value="01.05.2026"' in page
    assert not AuditRead.objects.exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [("ru", "Введите правильную дату."), ("kk", "Дұрыс күнді енгізіңіз.")],
)
def test_a_date_that_does_not_exist_is_refused_in_the_user_s_language(
    hanna, client_for, language, message
):
    hanna.preferred_language = language
    hanna.save(update_fields=["preferred_language"])
    page = client_for(hanna).get(export_url(date_from="31.02.2026", date_to="01.03.2026"))
    assert message in page.content.decode()
    assert 'value="31.02.2026"' in page.content.decode()


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_period_longer_than_366_days_is_refused(hanna, client_for, language):
    hanna.preferred_language = language
    hanna.save(update_fields=["preferred_language"])
    response = client_for(hanna).get(
        export_url(date_from="01.01.2025", date_to="02.01.2026", format="xlsx")
    )
    page = response.content.decode()
    expected = translated(language, "A period may be at most %(days)s days.") % {"days": 366}
    assert expected in page
    assert 'value="01.01.2025"' in page
    # 366 days exactly is allowed.
    allowed = client_for(hanna).get(
        export_url(date_from="01.01.2025", date_to="01.01.2026", format="csv")
    )
    assert allowed.streaming


def test_the_head_s_csv_has_the_district_s_reads_and_none_of_another_district(
    hanna, alice, client_for, child, almaly_and_bostandyk_reads
):
    rows = csv_rows(client_for(hanna).get(period("csv")))
    header, body = rows[0], rows[1:]
    assert header[:3] == [translated("ru", "Time"), translated("ru", "User"), "ФИО"]
    alice_row = next(r for r in body if r[1] == "alice")
    assert alice_row[2] == alice.full_name
    assert alice_row[4] == translated("ru", "Guardianship specialist")
    assert alice_row[5] == translated("ru", "Viewed")
    assert alice_row[7] == str(child.pk)
    assert alice_row[8] == child.person.full_name  # the district's own file is named
    assert alice_row[10] == f"/registry/children/{child.pk}/?tab=all"
    assert alice_row[11] == "10.0.0.1"
    assert "oscar" not in {r[1] for r in body if len(r) > 1}
    assert "10.9.9.9" not in str(rows)


def test_the_other_district_s_head_sees_none_of_almaly_s_rows(
    olga, client_for, almaly_and_bostandyk_reads
):
    body = csv_rows(client_for(olga).get(period("csv")))[1:]
    users = {r[1] for r in body if len(r) > 1}
    assert "oscar" in users
    assert "alice" not in users
    assert "10.0.0.1" not in str(body)


def test_a_read_of_the_district_s_file_by_another_district_is_the_district_s(
    hanna, oscar, client_for, child
):
    """A file shared with Bostandyk: Almaly's head sees Bostandyk's reads of it."""
    read(oscar, child, ip="10.9.9.8")
    body = csv_rows(client_for(hanna).get(period("csv")))[1:]
    assert any(r[1] == "oscar" and r[11] == "10.9.9.8" for r in body)


def test_the_administrator_exports_every_district_without_names_or_queries(
    adam, client_for, child, almaly_and_bostandyk_reads
):
    body = csv_rows(client_for(adam).get(period("csv")))[1:]
    users = {r[1] for r in body if len(r) > 1}
    assert {"alice", "oscar"} <= users
    text = str(body)
    assert child.person.full_name not in text and "Бостандыкова" not in text
    assert "?tab=all" not in text
    alice_row = next(r for r in body if r[1] == "alice")
    assert alice_row[6] == translated("ru", "child").capitalize()
    assert alice_row[7] == str(child.pk)
    assert alice_row[8] == ""


def test_changes_of_the_district_s_staff_are_exported_with_the_fields_not_their_values(
    hanna, alice, oscar, client_for, almaly, bostandyk, child
):
    with pghistory.context(user=alice.pk, url="/registry/children/1/edit/", ip="10.0.0.2"):
        files.child_databank_register(child=child, number="DB-SECRET-77", registered_on=TODAY())
    with pghistory.context(user=oscar.pk, url="/registry/children/new/", ip="10.9.9.7"):
        register(oscar, bostandyk, last="Бостандыкова")
    rows = csv_rows(client_for(hanna).get(period("csv")))
    changes = [r for r in rows[1:] if len(r) > 5 and r[5].startswith(translated("ru", "Change"))]
    mine = [r for r in changes if r[1] == "alice"]
    assert mine, changes
    update = next(r for r in mine if "databank_number" in r[9])
    assert update[6] == translated("ru", "child").capitalize()
    assert update[7] == str(child.pk)
    assert (update[10], update[11]) == ("/registry/children/1/edit/", "10.0.0.2")
    assert "DB-SECRET-77" not in str(rows)
    assert "oscar" not in {r[1] for r in changes}
    admin_changes = csv_rows(client_for(hanna).get(period("csv")))
    assert admin_changes  # the export can be run again


def test_the_xlsx_holds_the_same_rows(hanna, alice, client_for, child, almaly_and_bostandyk_reads):
    response = client_for(hanna).get(period("xlsx"))
    assert response.streaming
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = [[cell or "" for cell in row] for row in book.active.iter_rows(values_only=True)]
    assert rows[0][0] == translated("ru", "Time")
    users = {r[1] for r in rows[1:]}
    assert "alice" in users and "oscar" not in users


def test_the_export_is_recorded_as_an_export_read(hanna, client_for):
    url = period("csv", first=date(2026, 1, 1), last=date(2026, 1, 31))
    csv_rows(client_for(hanna).get(url))
    row = AuditRead.objects.get(user=hanna)
    assert row.action == "export"
    assert "date_from=01.01.2026" in row.path and "format=csv" in row.path


def test_each_part_stops_at_the_row_cap_with_a_line_saying_so(
    hanna, alice, client_for, child, monkeypatch
):
    monkeypatch.setattr(audit_selectors, "EXPORT_MAX_ROWS", 3)
    for _ in range(5):
        read(alice, child)
    rows = csv_rows(client_for(hanna).get(period("csv")))
    message = translated("ru", "The export stops at %(limit)s rows: choose a shorter period.")
    assert [r[0] for r in rows].count(message % {"limit": 3}) == 1
    assert len([r for r in rows if len(r) > 1 and r[1] == "alice"]) == 3


@pytest.mark.parametrize("name", ["alice", "oscar", "gulnara", "kairat", "rita", "nina"])
def test_only_guardianship_heads_and_administrators_may_export(request, client_for, name):
    user = request.getfixturevalue(name)
    assert client_for(user).get(period("csv")).status_code == 403
    assert reverse("audit_export") not in client_for(user).get("/").content.decode()


@pytest.mark.parametrize("name", ["hanna", "adam"])
def test_heads_and_administrators_find_the_export_in_the_menu(request, client_for, name):
    page = client_for(request.getfixturevalue(name)).get("/").content.decode()
    assert reverse("audit_export") in page


def test_the_export_scans_only_the_period(hanna, almaly):
    scope = audit_selectors.export_scope(user=hanna)
    reads = audit_selectors.export_reads(scope=scope, first=TODAY(), last=TODAY())
    plan = reads.explain()
    assert "casework_auditread_at" in plan or "auditread_views_by_time" in plan, plan


def test_the_period_s_requests_are_found_through_their_time_index(hanna):
    from pghistory.models import Context

    scope = audit_selectors.export_scope(user=hanna)
    start, end = audit_selectors.period_bounds(TODAY(), TODAY())
    contexts = Context.objects.filter(created_at__gte=start, created_at__lt=end)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = contexts.explain()
    assert scope is not None
    assert "casework_pghistory_context_created_at" in plan, plan


# --- the unusual-activity alert -----------------------------------------------------

NOW = almaty(2026, 5, 6, 15, 40)


def views(user, count, *, start=NOW - timedelta(minutes=50), repeat=1):
    """`count` distinct files viewed by `user` within the hour before NOW."""
    child_type = ContentType.objects.get_for_model(Child)
    AuditRead.objects.bulk_create(
        AuditRead(
            user=user,
            action="view",
            content_type=child_type,
            object_id=str(10_000 + n),
            object_repr="—",
            path=f"/registry/children/{10_000 + n}/",
            at=start + timedelta(seconds=n * 10 + k),
        )
        for n in range(count)
        for k in range(repeat)
    )


@pytest.fixture
def threshold(settings):
    settings.AUDIT_READS_PER_HOUR_ALERT = 5
    return 5


def test_just_at_the_threshold_nothing_happens(threshold, alice, hanna):
    views(alice, threshold, repeat=3)  # the same 5 files, three times each
    assert audit_unusual_reads_alert(now=NOW) == 0
    assert not AuditAlert.objects.exists()
    assert not Notification.objects.filter(recipient=hanna).exists()


def test_above_the_threshold_the_head_is_told_once(threshold, alice, bob, hanna):
    views(alice, threshold + 1)
    assert audit_unusual_reads_alert(now=NOW) == 1
    [notification] = Notification.objects.filter(recipient=hanna)
    assert alice.full_name in notification.subject
    assert "6" in notification.subject
    assert f"/staff/{alice.pk}/" in notification.body
    assert not Notification.objects.filter(recipient__in=[alice, bob]).exists()
    alert = AuditAlert.objects.get()
    assert (alert.user, alert.count, alert.threshold) == (alice, 6, 5)
    # Run again, five minutes later and in the same minute: still one.
    assert audit_unusual_reads_alert(now=NOW) == 0
    assert audit_unusual_reads_alert(now=NOW + timedelta(minutes=5)) == 0
    assert Notification.objects.filter(recipient=hanna).count() == 1


def test_reads_older_than_an_hour_do_not_count(threshold, alice, hanna):
    views(alice, threshold + 3, start=NOW - timedelta(minutes=70))
    assert audit_unusual_reads_alert(now=NOW) == 0


def test_a_session_that_goes_on_is_reported_again_only_for_new_files(threshold, alice, hanna):
    views(alice, threshold + 1)
    audit_unusual_reads_alert(now=NOW)
    # An hour later: the same burst is still not counted twice...
    later = NOW + timedelta(minutes=30)
    assert audit_unusual_reads_alert(now=later) == 0
    # ...but six new files opened after the alert are.
    child_type = ContentType.objects.get_for_model(Child)
    for n in range(6):
        AuditRead.objects.create(
            user=alice, action="view", content_type=child_type, object_id=str(20_000 + n),
            object_repr="—", path="/x/", at=NOW + timedelta(minutes=25, seconds=n),
        )  # fmt: skip
    assert audit_unusual_reads_alert(now=later) == 1
    assert Notification.objects.filter(recipient=hanna).count() == 2


def test_the_threshold_comes_from_the_settings(settings, alice, hanna):
    settings.AUDIT_READS_PER_HOUR_ALERT = 20
    views(alice, 12)
    assert audit_unusual_reads_alert(now=NOW) == 0
    settings.AUDIT_READS_PER_HOUR_ALERT = 10
    assert audit_unusual_reads_alert(now=NOW) == 1


def test_an_fsc_specialist_is_reported_to_the_fsc_head(threshold, fatima, gulnara, hanna):
    views(fatima, threshold + 1)
    audit_unusual_reads_alert(now=NOW)
    assert Notification.objects.filter(recipient=gulnara).count() == 1
    assert not Notification.objects.filter(recipient=hanna).exists()


def test_someone_without_a_head_is_reported_to_the_administrators(threshold, rita, hanna, adam):
    views(rita, threshold + 1)
    views(hanna, threshold + 1)
    assert audit_unusual_reads_alert(now=NOW) == 2
    assert Notification.objects.filter(recipient=adam).count() == 2
    assert not Notification.objects.filter(recipient=hanna).exists()


def test_the_sweep_counts_from_the_partial_covering_index(alice):
    views(alice, 3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT user_id, COUNT(DISTINCT (content_type_id, object_id)) "
            "FROM casework_auditread WHERE action = 'view' AND at > %s AND at <= %s "
            "GROUP BY user_id",
            [NOW - timedelta(hours=1), NOW],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "auditread_views_by_time" in plan, plan


def test_the_beat_runs_the_sweep_every_five_minutes():
    entry = celery_app.conf.beat_schedule["audit-unusual-reads-alert"]
    assert entry == {"task": "casework.tasks.audit_unusual_reads_alert", "schedule": 300.0}


def test_the_task_runs_the_sweep(threshold, alice, hanna):
    from casework.tasks import audit_unusual_reads_alert as task

    views(alice, threshold + 1, start=timezone.now() - timedelta(minutes=10))
    assert task() == 1
    assert task() == 0
    assert Notification.objects.filter(recipient=hanna).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_side_by_side_raise_one_alert(settings, alice, hanna):
    settings.AUDIT_READS_PER_HOUR_ALERT = 5
    views(alice, 8)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait(timeout=10)
            results.append(audit_unusual_reads_alert(now=NOW))
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results) == [0, 1]
    assert AuditAlert.objects.count() == 1
    assert Notification.objects.filter(recipient=hanna).count() == 1
