"""Each export format downloads under a name of its own, so one day's files do not overwrite each other."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "query", "ending"),
    [
        ("annotations:claim-export-csv", "", ".csv"),
        ("annotations:claim-export-csv", "?dialect=excel", "-excel.csv"),
        ("annotations:claim-export-annotations", "", "-w3c.jsonld"),
        ("annotations:claim-export-claimreview", "", "-claimreview.jsonld"),
    ],
)
def test_each_format_has_its_own_file_name(client, chief_editor, url, query, ending):
    client.force_login(chief_editor)
    response = client.get(reverse(url) + query)
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="behauptungen-{today}{ending}"'


def test_the_admin_action_names_its_csv_like_the_page(client, superuser, claim):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "export_csv", "_selected_action": [claim.pk], "dialect": "excel"},
    )
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate().isoformat()}-excel.csv"')
