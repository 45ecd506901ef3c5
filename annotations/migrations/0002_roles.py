"""Create the groups Editor, Fact-checker and Chief editor with their permissions."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from annotations.roles import apply_roles

# The roles as this migration made them; later migrations change them (0004: withdrawing).
_EDITOR = [
    "view_article",
    "add_article",
    "change_article",
    "view_articlerevision",
    "view_claim",
    "add_claim",
    "change_claim",
    "view_source",
    "add_source",
    "change_source",
    "view_evidence",
    "add_evidence",
    "change_evidence",
    "delete_evidence",
    "view_claimevent",
]
_FACT_CHECKER = [*_EDITOR, "change_claim_status"]
_CHIEF_EDITOR = [
    *_FACT_CHECKER,
    "reopen_claim",
    "assign_claim",
    "export_claims",
    "delete_claim",
    "delete_article",
    "delete_source",
]
ROLES = {"Editor": _EDITOR, "Fact-checker": _FACT_CHECKER, "Chief editor": _CHIEF_EDITOR}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    app_config = apps.get_app_config("annotations")
    app_config.models_module = True
    create_contenttypes(app_config, apps=apps, verbosity=0)
    create_permissions(app_config, apps=apps, verbosity=0)
    apply_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), ROLES)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
