"""A backup restored into a fresh database holds exactly the same data."""

import io
import uuid

import pytest
from django.core.management import CommandError, call_command

from casework.backups import (
    BackupError,
    Connection,
    backup_create,
    backup_restore,
    database_drop,
    fingerprint,
    fingerprint_differences,
)


@pytest.fixture
def scratch_name():
    name = f"qamqor_restore_{uuid.uuid4().hex[:10]}"
    yield name
    database_drop(name=name)


def test_a_restore_reproduces_every_row_exactly(
    transactional_db, make_notice, alice, tmp_path, scratch_name
):
    make_notice()  # a referral with its timer, events and audit rows
    dump = backup_create(directory=tmp_path)
    restored = backup_restore(dump=dump, into=scratch_name)
    live = fingerprint(Connection.from_settings())
    copy = fingerprint(restored)
    assert live["referrals_referral"][0] == 1 and live["casework_timer"][0] >= 1
    assert fingerprint_differences(live, copy) == []


def test_the_comparison_notices_a_changed_row(
    transactional_db, make_notice, tmp_path, scratch_name
):
    referral = make_notice()
    restored = backup_restore(dump=backup_create(directory=tmp_path), into=scratch_name)
    with restored.connect() as conn, conn.cursor() as cursor:
        cursor.execute(
            "UPDATE referrals_referral SET narrative = 'changed' WHERE id = %s", [referral.pk]
        )
    differences = fingerprint_differences(
        fingerprint(Connection.from_settings()), fingerprint(restored)
    )
    # The row differs, and the restored history trigger recorded the change.
    changed = [d.split(":")[0] for d in differences]
    assert changed == ["referrals_referral", "referrals_referralhistory"]


def test_it_never_restores_over_an_existing_database(transactional_db, tmp_path):
    dump = backup_create(directory=tmp_path)
    with pytest.raises(BackupError, match="already exists"):
        backup_restore(dump=dump, into=Connection.from_settings().name)
    with pytest.raises(BackupError, match="plain database name"):
        backup_restore(dump=dump, into='x"; DROP DATABASE postgres; --')


def test_the_commands_back_up_restore_and_compare(transactional_db, tmp_path, scratch_name):
    out = io.StringIO()
    call_command("backup", dir=str(tmp_path), stdout=out)
    [dump] = tmp_path.glob("*.dump")
    call_command("restore", str(dump), into=scratch_name, compare=True, stdout=out)
    assert "Same rows and checksums" in out.getvalue()
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.dump"), into=scratch_name + "x")
