"""The back office acts through the same model methods as the pages: permissions, workflow and
history hold there too."""

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Source
from annotations.tests.conftest import make_claim

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:annotations_claim_changelist"


@pytest.fixture
def staff_chief(chief_editor):
    chief_editor.is_staff = True
    chief_editor.save()
    return chief_editor


@pytest.fixture
def staff_checker(fact_checker):
    from django.contrib.auth.models import Permission

    fact_checker.is_staff = True
    fact_checker.save()
    # Staff rights to see the claim list in the back office; the workflow rights stay those of the role.
    fact_checker.user_permissions.add(Permission.objects.get(codename="change_claim"))
    return fact_checker


def _act(client, action: str, *claims):
    url = reverse(CHANGELIST)
    return client.post(url, {"action": action, "_selected_action": [c.pk for c in claims]}, follow=True)


def test_release_claims_records_the_change(client, staff_chief, fact_checker, claim):
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(staff_chief)
    html = _act(client, "release_claims", claim).content.decode()
    claim.refresh_from_db()
    assert claim.assignee is None
    assert claim.events.filter(kind="assigned", actor=staff_chief).count() == 1
    assert "1 Behauptung ist jetzt niemandem zugewiesen." in html


def test_fact_checker_cannot_release_somebody_elses_claim_in_the_admin(
    client, staff_checker, second_fact_checker, claim
):
    claim.assign(second_fact_checker, by=second_fact_checker)
    client.force_login(staff_checker)
    html = _act(client, "release_claims", claim).content.decode()
    assert "Nur der Chef vom Dienst darf Behauptungen anderen zuweisen." in html
    assert Claim.objects.get(pk=claim.pk).assignee == second_fact_checker


def test_send_back_to_unverified_follows_the_workflow(client, staff_chief, fact_checker, claim, article, editor):
    other = make_claim(article, editor, quote="Schulen")
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    client.force_login(staff_chief)
    html = _act(client, "send_back_to_unverified", claim, other).content.decode()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.UNVERIFIED
    assert Claim.objects.get(pk=other.pk).events.count() == 1  # refused: it was unverified already
    assert f"{other.pk}: Die Behauptung ist bereits „Ungeprüft“." in html


def test_status_is_read_only_in_the_admin(client, superuser, claim):
    client.force_login(superuser)
    url = reverse("admin:annotations_claim_change", args=[claim.pk])
    html = client.get(url).content.decode()
    assert 'name="status"' not in html


def test_admin_normalises_source_urls_and_refuses_scripts(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:annotations_source_add")
    data = {"url": "HTTPS://Amt.Example.org/bericht?utm_source=x#teil", "title": "Bericht", "kind": "official"}
    assert client.post(url, data).status_code == 302
    assert Source.objects.get().url == "https://amt.example.org/bericht"
    response = client.post(url, {**data, "url": "https://amt.example.org/bericht?gclid=1"})
    assert "Eine Quelle mit dieser Adresse gibt es schon." in response.content.decode()
    response = client.post(url, {**data, "url": "javascript:alert(1)"})
    assert Source.objects.count() == 1
    assert response.status_code == 200


def test_editing_a_note_in_the_admin_goes_through_the_history(client, superuser, claim):
    # The back office changes a claim the way the article page does: a new version and an "edited" event.
    client.force_login(superuser)
    url = reverse("admin:annotations_claim_change", args=[claim.pk])
    # The change form shows the wording too (test_verified_wording changes it); only the note is new here.
    data = {
        "statement": claim.statement,
        "claimant": claim.claimant,
        "seen_version": claim.version,
        "note": "Zahl aus dem Haushaltsentwurf – bitte mit dem Beschluss vergleichen.",
    }
    for prefix in ("evidence", "events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    changed = Claim.objects.get(pk=claim.pk)
    assert changed.note == data["note"]
    assert changed.version == claim.version + 1
    event = changed.events.latest("id")
    assert (event.kind, event.actor, event.data["note"]["to"]) == ("edited", superuser, data["note"])
    assert set(event.data) == {"note"}
