"""Chief editors withdraw any claim and restore withdrawn ones; nobody deletes claims in the app any more.

Only an administrator (a superuser, or whoever is given the permission by hand) deletes a claim, in
the admin, and only one with no history beyond its creation.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from annotations.roles import change_roles

GRANT = {"Chief editor": ["withdraw_claim", "restore_claim"]}
REVOKE = {"Chief editor": ["delete_claim"]}


def _change(apps, grant, revoke):
    app_config = apps.get_app_config("annotations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    change_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), grant, revoke)


def forwards(apps, schema_editor):
    _change(apps, GRANT, REVOKE)


def backwards(apps, schema_editor):
    _change(apps, REVOKE, GRANT)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0003_withdrawing")]

    operations = [migrations.RunPython(forwards, backwards)]
