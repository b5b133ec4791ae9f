# The audit export finds a period's changes through the requests (pghistory contexts)
# made in it; pghistory does not index the context's time, so we do.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0007_auditalert"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS casework_pghistory_context_created_at "
            "ON pghistory_context (created_at)",
            reverse_sql="DROP INDEX IF EXISTS casework_pghistory_context_created_at",
        ),
    ]
