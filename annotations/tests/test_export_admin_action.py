"""The Claim changelist exports the ticked claims as the same CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ClaimStatus
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db


def test_admin_action_exports_exactly_the_selected_claims_whatever_their_status(
    client, chief_editor, editor, fact_checker
):
    article = tricky_article(editor)
    verified = finish(claim_on(article, editor, "1.250 Einwände"), fact_checker)
    disputed = finish(claim_on(article, editor, "im Mai gesperrt"), fact_checker, ClaimStatus.DISPUTED)
    claim_on(article, editor, "Die Straße")
    chief_editor.is_staff = True
    chief_editor.save()
    client.force_login(chief_editor)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "export_csv", "_selected_action": [verified.pk, disputed.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(body_of(response))
    assert [row["claim_id"] for row in rows] == [str(verified.pk), str(disputed.pk)]  # order in the text
    assert {row["status"] for row in rows} == {"verified", "disputed"}


def test_admin_export_with_an_unknown_dialect_says_so_instead_of_crashing(client, chief_editor, editor, fact_checker):
    verified = finish(claim_on(tricky_article(editor), editor, "1.250 Einwände"), fact_checker)
    chief_editor.is_staff = True
    chief_editor.save()
    client.force_login(chief_editor)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "export_csv", "_selected_action": [verified.pk], "dialect": "lotus123"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Unbekanntes CSV-Format" in response.content.decode()
