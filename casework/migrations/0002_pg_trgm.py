from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """Trigram similarity powers the forgiving name search of later issues."""

    dependencies = [("casework", "0001_initial")]
    operations = [TrigramExtension()]
