"""Chief editors withdraw any claim and restore withdrawn ones; nobody deletes claims in the app any more.

Only an administrator (a superuser, or whoever is given the permission by hand) deletes a claim, in
the admin, and only one with no history beyond its creation.
"""

from django.db import migrations

from annotations.roles import migrate_roles

GRANT = {"Chief editor": ["withdraw_claim", "restore_claim"]}
REVOKE = {"Chief editor": ["delete_claim"]}


def forwards(apps, schema_editor):
    migrate_roles(apps, GRANT, REVOKE)


def backwards(apps, schema_editor):
    migrate_roles(apps, REVOKE, GRANT)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_withdrawing")]

    operations = [migrations.RunPython(forwards, backwards)]
