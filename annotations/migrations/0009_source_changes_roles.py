"""Every role may read the record of changes of sources (in the admin, beside the claim history)."""

from django.db import migrations

from annotations.roles import migrate_roles

GRANT = {role: ["view_sourcechange"] for role in ("Editor", "Fact-checker", "Chief editor")}


def forwards(apps, schema_editor):
    migrate_roles(apps, GRANT, {})


def backwards(apps, schema_editor):
    migrate_roles(apps, {}, GRANT)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_source_changes")]

    operations = [migrations.RunPython(forwards, backwards)]
