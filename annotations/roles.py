"""The newsroom's roles as Django groups with their permissions.

Used by the data migration that creates the groups; kept here so the test of the
permission matrix and the migration read the same table.
"""

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
]

_FACT_CHECKER_PERMISSIONS = [*_EDITOR_PERMISSIONS, "change_claim_status"]

_CHIEF_EDITOR_PERMISSIONS = [
    *_FACT_CHECKER_PERMISSIONS,
    "reopen_claim",
    "assign_claim",
    "export_claims",
    "delete_claim",
    "delete_article",
    "delete_source",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    EDITOR: _EDITOR_PERMISSIONS,
    FACT_CHECKER: _FACT_CHECKER_PERMISSIONS,
    CHIEF_EDITOR: _CHIEF_EDITOR_PERMISSIONS,
}


def apply_roles(group_model: type, permission_model: type) -> None:
    """Create or update the role groups. Takes the models, so a migration can pass its historical ones."""
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        permissions = permission_model.objects.filter(content_type__app_label="annotations", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
        group.permissions.set(permissions)
