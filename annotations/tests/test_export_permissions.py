"""Only chief editors export: everyone else gets a German refusal, visitors the login page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.tests.exporting import body_of, claim_on, finish, tricky_article

pytestmark = pytest.mark.django_db

EXPORTS = [
    "annotations:claim-export-csv",
    "annotations:claim-export-annotations",
    "annotations:claim-export-claimreview",
]


@pytest.fixture
def verified(editor, fact_checker):
    return finish(claim_on(tricky_article(editor), editor, "1.250 Einwände"), fact_checker)


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("role", ["editor", "fact_checker", "outsider"])
def test_editors_and_fact_checkers_are_refused_in_german(client, request, verified, name, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 403
    # Without a role the read rule refuses first, before the export's own permission.
    expected = "Sie haben noch keine Rolle" if role == "outsider" else "Sie dürfen keine Behauptungen exportieren"
    assert expected in response.content.decode()
    assert "1.250" not in response.content.decode()


@pytest.mark.parametrize("name", EXPORTS)
def test_chief_editor_may_export(client, chief_editor, verified, name):
    client.force_login(chief_editor)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert str(verified.pk).encode() in body_of(response)


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_visitors_are_sent_to_the_login(client, verified, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_admin_offers_the_export_action_only_with_the_export_permission(client, chief_editor, editor, verified):
    url = reverse("admin:annotations_claim_changelist")
    editor.is_staff = True
    editor.save()
    client.force_login(editor)
    assert "export_csv" not in client.get(url).content.decode()
    response = client.post(url, {"action": "export_csv", "_selected_action": [verified.pk]})
    assert not hasattr(response, "streaming_content")
    chief_editor.is_staff = True
    chief_editor.save()
    client.force_login(chief_editor)
    assert "export_csv" in client.get(url).content.decode()
