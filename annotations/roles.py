"""The newsroom's roles as Django groups with their permissions.

ROLE_PERMISSIONS is today's table: the tests and `apply_roles` read it. Migrations keep
their own frozen copy or change of it (a migration must do on a fresh database what it did
when it was written), and go through `apply_roles` or `change_roles`.
"""

from typing import Any

EDITOR = "Editor"
FACT_CHECKER = "Fact-checker"
CHIEF_EDITOR = "Chief editor"

_EDITOR_PERMISSIONS = [
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
    "view_sourcechange",
]

_FACT_CHECKER_PERMISSIONS = [*_EDITOR_PERMISSIONS, "change_claim_status"]

_CHIEF_EDITOR_PERMISSIONS = [
    *_FACT_CHECKER_PERMISSIONS,
    "reopen_claim",
    "assign_claim",
    "export_claims",
    # Withdrawing replaces deleting in the app; only an administrator deletes, in the admin.
    "withdraw_claim",
    "restore_claim",
    "delete_article",
    "delete_source",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: _EDITOR_PERMISSIONS,
    FACT_CHECKER: _FACT_CHECKER_PERMISSIONS,
    CHIEF_EDITOR: _CHIEF_EDITOR_PERMISSIONS,
}


def _permissions(permission_model: type, name: str, codenames: list[str]) -> Any:
    permissions = permission_model.objects.filter(content_type__app_label="annotations", codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
    return permissions


def apply_roles(group_model: type, permission_model: type, table: dict[str, list[str]] | None = None) -> None:
    """Create or update the role groups with exactly the table's permissions (today's unless given).

    Takes the models, so a migration can pass its historical ones."""
    for name, codenames in (ROLE_PERMISSIONS if table is None else table).items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(_permissions(permission_model, name, codenames))


def change_roles(
    group_model: type,
    permission_model: type,
    grant: dict[str, list[str]],
    revoke: dict[str, list[str]],
) -> None:
    """Add and take away some permissions of existing role groups, leaving the rest as an administrator set it."""
    for name, codenames in grant.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(permission_model, name, codenames))
    for name, codenames in revoke.items():
        group = group_model.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_permissions(permission_model, name, codenames))


def migrate_roles(apps: Any, grant: dict[str, list[str]], revoke: dict[str, list[str]]) -> None:
    """For a data migration: make the app's permissions now (Django makes them only after all
    migrations ran), then grant and revoke as change_roles does, with the historical models."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("annotations")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    change_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), grant, revoke)
