"""Editing an article's metadata: title, source, author, URL and date at its precision."""

from __future__ import annotations

import datetime

import pytest

from annotations.models import Article
from annotations.tests.conftest import BODY, make_article

pytestmark = pytest.mark.django_db


def edit_data(**changes: str) -> dict[str, str]:
    data = {
        "title": "Haushalt in Kleinbach beschlossen",
        "source": "Kleinbacher Bote",
        "author": "Jürgen Größer",
        "url": "https://www.example.org/kleinbach-haushalt",
        "language": "de",
        "published": "2022-03",
    }
    return {**data, **changes}


def test_editor_changes_the_metadata_with_a_month_precise_date(client, editor, article, fact_checker):
    client.force_login(fact_checker)
    response = client.post(f"/articles/{article.pk}/edit/", edit_data())
    assert response.status_code == 302 and response["Location"] == f"/articles/{article.pk}/"
    article.refresh_from_db()
    assert (article.title, article.source, article.author) == (
        "Haushalt in Kleinbach beschlossen",
        "Kleinbacher Bote",
        "Jürgen Größer",
    )
    assert (article.published_on, article.published_precision) == (datetime.date(2022, 3, 1), "month")
    assert article.published_display == "März 2022"
    assert article.updated_by == fact_checker
    assert article.body == BODY  # the text, which claims point into, is not touched


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2021", ("2021-01-01", "year")), ("24.03.2022", ("2022-03-24", "day")), ("", (None, ""))],
)
def test_dates_in_every_form(client, editor, value, expected):
    article = make_article(by=editor, published_on=datetime.date(2020, 1, 1), published_precision="year")
    client.force_login(editor)
    client.post(f"/articles/{article.pk}/edit/", edit_data(published=value))
    article.refresh_from_db()
    published = article.published_on.isoformat() if article.published_on else None
    assert (published, article.published_precision) == expected


def test_the_form_shows_the_date_at_its_precision(client, editor):
    article = make_article(by=editor, published_on=datetime.date(2022, 3, 1), published_precision="month")
    client.force_login(editor)
    assert 'value="2022-03"' in client.get(f"/articles/{article.pk}/edit/").content.decode()


def test_a_wrong_date_is_refused_in_german_and_nothing_changes(client, editor, article):
    client.force_login(editor)
    response = client.post(f"/articles/{article.pk}/edit/", edit_data(published="im Frühjahr", title="Neu"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geben Sie das Datum als 2022, 2022-03, 2022-03-24 oder 24.03.2022 ein." in html
    assert 'value="im Frühjahr"' in html and 'value="Neu"' in html
    assert Article.objects.get(pk=article.pk).title == article.title


def test_outsider_may_not_edit(client, outsider, article):
    client.force_login(outsider)
    assert client.get(f"/articles/{article.pk}/edit/").status_code == 403
    assert client.post(f"/articles/{article.pk}/edit/", edit_data()).status_code == 403
    assert Article.objects.get(pk=article.pk).title == article.title


def test_metadata_can_be_edited_in_the_admin(client, superuser, article):
    client.force_login(superuser)
    url = f"/admin/annotations/article/{article.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "title": "Im Admin geändert",
        "body": article.body,
        "language": "de",
        "source": "Amtsblatt",
        "author": "",
        "url": "",
        "published_on": "2022-03-01",
        "published_precision": "month",
        "original_filename": "",
        "created_by": "",
        "updated_by": "",
    }
    for prefix in ("claims", "revisions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert (article.title, article.source, article.published_iso) == ("Im Admin geändert", "Amtsblatt", "2022-03")


def test_a_body_changed_in_the_admin_is_a_correction_that_re_anchors_the_claims(client, superuser, claim):
    # The admin corrects through Article.correct, as the correction page does: the old text is kept
    # as a revision and no claim is left pointing at other words.
    article = claim.article
    client.force_login(superuser)
    url = f"/admin/annotations/article/{article.pk}/change/"
    data = {
        "title": article.title,
        "body": "Ein ganz anderer Text – die Markierungen zeigten auf falsche Wörter.",
        "language": "de",
        "source": "",
        "author": "",
        "url": "",
        "published_on": "",
        "published_precision": "",
        "original_filename": "",
        "created_by": "",
        "updated_by": "",
        "text_version_seen": "1",
    }
    for prefix in ("claims", "revisions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    claim.refresh_from_db()
    assert article.body == data["body"]
    assert article.revisions.get().body == BODY
    assert claim.anchor_state == "orphaned"
    assert BODY[claim.start : claim.end] == claim.quote  # its old words, in the revision


def test_article_page_links_to_the_metadata_form_for_those_who_may_edit(client, editor, outsider, article):
    client.force_login(editor)
    assert f'href="/articles/{article.pk}/edit/"' in client.get(f"/articles/{article.pk}/").content.decode()
    client.force_login(outsider)
    assert f'href="/articles/{article.pk}/edit/"' not in client.get(f"/articles/{article.pk}/").content.decode()


def test_the_language_is_chosen_from_a_list_not_typed(client, editor, article):
    client.force_login(editor)
    page = client.get(f"/articles/{article.pk}/edit/").content.decode()
    assert '<select name="language"' in page and '<option value="fr">Französisch</option>' in page
    response = client.post(f"/articles/{article.pk}/edit/", edit_data(language="deutsch"))
    assert response.status_code == 200
    assert "deutsch ist keine gültige Auswahl" in response.content.decode()
    assert Article.objects.get(pk=article.pk).language == "de"
    client.post(f"/articles/{article.pk}/edit/", edit_data(language="fr"))
    assert Article.objects.get(pk=article.pk).language == "fr"


def test_a_language_found_in_a_file_becomes_one_of_the_choices():
    from annotations.models import ArticleLanguage

    assert [ArticleLanguage.of(code) for code in ("de-AT", "EN", "fr_CH", "ja", "")] == ["de", "en", "fr", "und", "und"]
