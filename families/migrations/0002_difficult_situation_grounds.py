from django.db import migrations

from families.reference import GROUNDS


def add_grounds(apps, schema_editor):
    Ground = apps.get_model("families", "DifficultSituationGround")
    for code, ru, kk, en in GROUNDS:
        Ground.objects.update_or_create(
            code=code, defaults={"name_ru": ru, "name_kk": kk, "name_en": en, "is_other": code == "other"}
        )


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(add_grounds, migrations.RunPython.noop)]
