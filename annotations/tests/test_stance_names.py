"""A source's stance is named apart from the claim's status: "widerspricht", never "Widerlegt"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import Stance
from annotations.tests.conftest import add_evidence, make_source

pytestmark = pytest.mark.django_db


def test_stance_labels_are_verbs_that_no_status_uses(settings):
    from django.utils import translation

    from annotations.models import ClaimStatus

    with translation.override("de"):
        stances = [str(label) for label in Stance.labels]
        statuses = {str(label).casefold() for label in ClaimStatus.labels}
    assert stances == ["stützt", "widerspricht", "Kontext"]
    assert not {stance.casefold() for stance in stances} & statuses


def test_the_evidence_form_and_the_claim_page_name_the_stances(client, fact_checker, claim):
    add_evidence(claim, fact_checker, stance="refutes", source=make_source(title="Ratsprotokoll"))
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-detail", args=[claim.pk])).content.decode()
    form = html.split("data-evidence-form")[1].split("</form>")[0]
    for label in ("stützt", "widerspricht", "Kontext"):
        assert f">{label}</span>" in form
    evidence = html.split("data-evidence-list")[1].split("</ul>")[0]
    assert '<span class="stance stance-refutes">widerspricht</span>' in evidence
    assert "Widerlegt" not in evidence


def test_the_history_names_the_stance_the_same_way(client, fact_checker, claim):
    add_evidence(claim, fact_checker, stance="refutes", source=make_source(title="Ratsprotokoll"))
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-detail", args=[claim.pk])).content.decode()
    history = html.split("data-history")[1]
    assert "Ratsprotokoll</span> (widerspricht)" in history
