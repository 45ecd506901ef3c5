"""The back office reads like the app: history in words and in local time, dates as the app shows them."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.templatetags.static import static
from django.urls import reverse

from annotations.models import Article, ClaimEvent, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_source

pytestmark = pytest.mark.django_db


def test_history_details_are_words_not_stored_json(client, superuser, claim, fact_checker):
    add_evidence(claim, fact_checker, source=make_source(title="Haushaltssatzung Kleinbach"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.edit(by=fact_checker, statement="Neue Worte", claimant="Kämmerin")
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_claim_change", args=[claim.pk])).content.decode()
    assert "Einzelheiten" in html
    assert "Haushaltssatzung Kleinbach (stützt)" in html
    assert "Behauptung: „12,4 Mio. Ausgaben“ → „Neue Worte“" in html
    assert "source_id" not in html and "&quot;from&quot;" not in html
    event = claim.events.get(kind=ClaimEvent.Kind.EVIDENCE_ADDED)
    html = client.get(reverse("admin:annotations_claimevent_change", args=[event.pk])).content.decode()
    assert "Haushaltssatzung Kleinbach (stützt)" in html and "source_id" not in html


def test_history_headings_and_rows_are_in_the_newsroom_s_time_zone(client, superuser, claim):
    # 22:30 UTC on 1 July is 00:30 on 2 July in Berlin: heading and row must say the same.
    # (The history is append-only: the time is written with SQL.)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ClaimEvent._meta.db_table} SET created_at = %s WHERE claim_id = %s",
            [datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC), claim.pk],
        )
    event = claim.events.get()
    assert str(event).endswith("(2026-07-02 00:30)")
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_claim_change", args=[claim.pk])).content.decode()
    assert "2026-07-02 00:30" in html and "2026-07-01 22:30" not in html


def test_the_article_list_shows_the_published_date_as_the_app_does(client, superuser, editor):
    make_article(by=editor, published_on=datetime.date(2022, 3, 1), published_precision="month")
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_article_changelist")).content.decode()
    assert "März 2022" in html and "2022-03" not in html


def test_long_titles_are_cut_at_a_word_in_the_lists_with_the_whole_title_on_hover(client, superuser, editor):
    title = "Der Gemeinderat von Kleinbach beschließt nach langer Debatte den Haushalt für das Jahr 2027 einstimmig"
    make_article(by=editor, title=title)
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_article_changelist")).content.decode()
    assert f'title="{title}"' in html
    assert "Der Gemeinderat von Kleinbach beschließt nach langer Debatte den…" in html


def test_generated_titles_are_marked_in_the_article_list_and_unmarked_when_changed(client, superuser, editor):
    article = make_article(by=editor, title="Aus dem Anfang", title_generated=True)
    client.force_login(superuser)
    html = client.get(reverse("admin:annotations_article_changelist") + "?title_generated__exact=1").content.decode()
    assert "Aus dem Anfang" in html
    url = reverse("admin:annotations_article_change", args=[article.pk])
    data = {
        "title": "Gesetzter Titel",
        "body": article.body,
        "language": "de",
        "text_version_seen": article.text_version,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    client.post(url, data)
    article.refresh_from_db()
    assert (article.title, article.title_generated) == ("Gesetzter Titel", False)


def test_an_article_added_in_the_admin_gets_its_near_duplicate_keys(client, superuser):
    client.force_login(superuser)
    data = {
        "title": "Von Hand",
        "body": "Der Kreistag von Hollerbach tagt am Freitag im Schloss und berät über die Kreisumlage.",
        "language": "de",
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    client.post(reverse("admin:annotations_article_add"), data)
    article = Article.objects.get()
    assert article.fingerprints.count() == 16
    (near,) = Article.objects.near_duplicates(data["body"].replace("Freitag", "Samstag"))
    assert near.article == article


def test_favicon_ico_is_answered_with_the_app_s_icon_for_anybody(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("favicon.svg")
    assert (Path(settings.BASE_DIR) / "static" / "favicon.svg").read_text().lstrip().startswith("<svg")


def test_the_admin_names_the_icon_and_its_style_sheet(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("admin:index")).content.decode()
    assert static("favicon.svg") in html and static("css/admin.css") in html
