"""The back office: every model's pages render, at a number of queries that does not grow."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Article, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db

MODELS = [model for model in admin.site._registry if model._meta.app_label == "annotations"]


def _fill(editor, fact_checker, n: int) -> None:
    offset = Article.objects.count()
    for i in range(offset, offset + n):
        article = make_article(by=editor, body=f"Artikel {i}: Die Stadt zählt {1000 + i} Einwohner. Ende.")
        claim = make_claim(article, editor, quote=f"{1000 + i} Einwohner")
        source = make_source(url=f"https://www.example.org/quelle/{i}")
        add_evidence(claim, fact_checker, source=source)
        source.change(by=fact_checker, title=f"Quelle {i}")
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


def test_every_model_of_the_app_is_in_the_admin():
    assert {m._meta.model_name for m in MODELS} == {
        "article",
        "articlerevision",
        "claim",
        "source",
        "evidence",
        "claimevent",
        "pendingversion",
        "sourcechange",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(client, superuser, editor, fact_checker, model):
    client.force_login(superuser)
    url = reverse(f"admin:annotations_{model._meta.model_name}_changelist")
    _fill(editor, fact_checker, 2)
    few = _queries(client, url)
    _fill(editor, fact_checker, 8)
    many = _queries(client, url)
    assert many == few
    assert few <= 12


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_renders(client, superuser, editor, fact_checker, model, django_assert_max_num_queries):
    _fill(editor, fact_checker, 3)
    client.force_login(superuser)
    obj = model.objects.first()
    if model._meta.model_name == "articlerevision":
        article = Article.objects.first()
        obj = article.revisions.create(body="früher", content_hash="x", replaced_by=superuser)
    if model._meta.model_name == "pendingversion":
        obj = model.objects.create(article=Article.objects.first(), body="Neue Fassung.", uploaded_by=editor)
    url = reverse(f"admin:annotations_{model._meta.model_name}_change", args=[obj.pk])
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200


def test_article_change_page_shows_its_claims_inline(client, superuser, claim):
    client.force_login(superuser)
    response = client.get(reverse("admin:annotations_article_change", args=[claim.article_id]))
    assert claim.statement in response.content.decode()


def test_claim_change_page_shows_evidence_and_read_only_history(client, superuser, claim, fact_checker):
    add_evidence(claim, fact_checker, source=make_source(title="Haushaltssatzung Kleinbach"))
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_claim_change", args=[claim.pk])).content.decode()
    assert "Haushaltssatzung Kleinbach" in html
    assert 'name="events-0-comment"' not in html  # history is shown, not editable


def test_admin_action_starts_review_through_the_workflow(client, chief_editor, claim):
    chief_editor.is_staff = True
    chief_editor.save()
    client.force_login(chief_editor)
    url = reverse("admin:annotations_claim_changelist")
    response = client.post(url, {"action": "start_review", "_selected_action": [claim.pk]}, follow=True)
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.events.filter(kind="status", to_status="in_review", actor=chief_editor).count() == 1
