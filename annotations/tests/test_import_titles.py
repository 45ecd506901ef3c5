"""Importing agency texts: a short generated title that the editor sets right on the results page,
the agency of the dateline as source, and near duplicates offered as new versions instead of stored twice."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from annotations import importing
from annotations.lib import documents
from annotations.models import Article, ArticleFingerprint, PendingVersion
from annotations.tests.conftest import make_user

pytestmark = pytest.mark.django_db

# Our own agency text, no title line: the first sentence is long.
WIRE = (
    "Hollerbach (dpa) - Die Gemeindewerke von Hollerbach wollen bis zum Jahr 2031 alle Straßenlaternen im "
    "Ortskern auf sparsame Leuchtdioden umstellen und rechnen dabei mit rund 40 Prozent weniger Stromverbrauch, "
    "wie eine Sprecherin am Mittwoch mitteilte.\n\n"
    "Die Umrüstung soll nach Angaben der Gemeindewerke etwa 2,1 Millionen Euro kosten. Der Gemeinderat muss "
    "dem Plan noch zustimmen; eine Mehrheit gilt als sicher.\n\n"
    "Kritik kommt von der Opposition: Das Geld fehle an anderer Stelle, etwa bei der Sanierung der Grundschule."
)
ONE_WORD_CHANGED = WIRE.replace("sparsame", "sparsamere")
SAME_SUBJECT = (
    "Hollerbach (epd) - Im Ortskern von Hollerbach sollen die Laternen bald weniger Strom verbrauchen. "
    "Der Gemeinderat berät am Donnerstag über einen Vorschlag der Gemeindewerke, der Leuchtdioden vorsieht.\n\n"
    "Die Kirchengemeinde begrüßt den Plan, weil die Kirche künftig nachts nicht mehr angestrahlt werden soll."
)


def paste(client, text: str, **fields):
    return client.post(reverse("annotations:article-new"), {"text": text, **fields}, follow=True)


def results_url(response) -> str:
    return next(url for url, _ in reversed(response.redirect_chain) if "/articles/uploads/" in url)


def set_title(client, response, article, title: str):
    """Send the title form of the results page that `response` ended on."""
    token = results_url(response).rstrip("/").split("/")[-1]
    url = reverse("annotations:upload-title", args=[token, article.pk])
    return client.post(url, {f"a{article.pk}-title": title}, follow=True)


def test_a_text_without_a_title_gets_a_short_generated_one_and_its_agency_as_source(client, editor):
    client.force_login(editor)
    html = paste(client, WIRE).content.decode()
    article = Article.objects.get()
    assert article.title == documents.make_title(WIRE)
    assert len(article.title) <= documents.TITLE_MAX_LENGTH and article.title.endswith("…")
    assert article.title.startswith("Die Gemeindewerke von Hollerbach")  # not "Hollerbach (dpa) -"
    assert article.title_generated is True
    assert article.source == "dpa"
    assert "data-title-generated" in html and f'data-title-form="{article.pk}"' in html
    assert '<span class="meta" data-result-source>Quelle: dpa</span>' in html


def test_a_title_given_with_the_text_is_not_marked_as_generated(client, editor):
    client.force_login(editor)
    html = paste(client, WIRE, title="Laternen werden sparsamer").content.decode()
    article = Article.objects.get()
    assert (article.title, article.title_generated) == ("Laternen werden sparsamer", False)
    assert "data-title-generated" not in html


def test_the_source_chosen_for_the_upload_does_not_override_the_agency_the_text_names(client, editor):
    client.force_login(editor)
    paste(client, WIRE, source="Hollerbacher Bote")
    assert Article.objects.get().source == "dpa"


def test_the_editor_sets_the_title_on_the_results_page(client, editor):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    url = results_url(response)
    response = set_title(client, response, article, "  Hollerbach stellt auf LED um  ")
    article.refresh_from_db()
    assert (article.title, article.title_generated) == ("Hollerbach stellt auf LED um", False)
    assert article.updated_by == editor
    assert response.redirect_chain[-1][0] == url + f"#result-{article.pk}"
    html = response.content.decode()
    assert "Hollerbach stellt auf LED um" in html and "data-title-generated" not in html
    assert "ist gespeichert" in html


def test_an_empty_title_is_refused_on_the_results_page_and_nothing_changes(client, editor):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    before = article.title
    response = set_title(client, response, article, "  ")
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.title_generated) == (before, True)


def test_a_title_that_is_too_long_is_refused_with_what_was_typed_kept(client, editor):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    typed = "Sehr lang " * 40
    response = set_title(client, response, article, typed)
    assert response.status_code == 400
    assert typed.strip() in response.content.decode()
    article.refresh_from_db()
    assert article.title_generated is True


def test_only_who_may_change_articles_sets_a_title(client, editor, outsider):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    client.force_login(outsider)
    response = set_title(client, response, article, "X")
    assert response.status_code in (403, 404)
    article.refresh_from_db()
    assert article.title_generated is True


def test_the_results_page_of_another_session_is_not_found(client, editor, fact_checker):
    client.force_login(editor)
    token = results_url(paste(client, WIRE)).rstrip("/").split("/")[-1]
    client.force_login(fact_checker)
    assert client.get(reverse("annotations:upload-results", args=[token])).status_code == 404


# --- Near duplicates ------------------------------------------------------------------


def test_the_same_text_with_one_word_changed_is_offered_as_a_new_version_not_stored_twice(client, editor):
    client.force_login(editor)
    paste(client, WIRE)
    first = Article.objects.get()
    html = paste(client, ONE_WORD_CHANGED).content.decode()
    assert Article.objects.count() == 1
    pending = PendingVersion.objects.get()
    assert pending.article == first and pending.body == ONE_WORD_CHANGED
    assert pending.title == ""  # a generated title is made again if it becomes an article of its own
    assert f'data-near-duplicate="{first.pk}"' in html and 'data-result="new_version"' in html
    assert "Fast derselbe Text wie Artikel" in html and "data-accept-version" in html
    # Issue 11's offer, unchanged: one click makes it the new version.
    client.post(reverse("annotations:pending-version-accept", args=[pending.pk]))
    first.refresh_from_db()
    assert (first.body, first.text_version) == (ONE_WORD_CHANGED, 2)


def test_a_near_duplicate_imported_as_its_own_article_gets_a_generated_title(client, editor):
    client.force_login(editor)
    paste(client, WIRE)
    paste(client, ONE_WORD_CHANGED)
    pending = PendingVersion.objects.get()
    client.post(reverse("annotations:pending-version-separate", args=[pending.pk]))
    second = Article.objects.exclude(body=WIRE).get()
    assert (second.body, second.title_generated, second.source) == (ONE_WORD_CHANGED, True, "dpa")
    assert ArticleFingerprint.objects.filter(article=second).count() == 16


def test_once_decided_the_results_page_offers_the_choice_no_more(client, editor):
    client.force_login(editor)
    paste(client, WIRE)
    url = results_url(paste(client, ONE_WORD_CHANGED))
    client.post(reverse("annotations:pending-version-accept", args=[PendingVersion.objects.get().pk]))
    html = client.get(url).content.decode()
    assert "data-version-decided" in html and "data-accept-version" not in html


def test_another_report_on_the_same_subject_is_imported_without_a_warning(client, editor):
    client.force_login(editor)
    paste(client, WIRE)
    html = paste(client, SAME_SUBJECT).content.decode()
    assert Article.objects.count() == 2 and not PendingVersion.objects.exists()
    assert "data-near-duplicate" not in html
    assert Article.objects.get(body=SAME_SUBJECT).source == "epd"


def test_the_import_command_imports_a_near_duplicate_but_names_it(tmp_path, editor):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ONE_WORD_CHANGED, encoding="utf-8")
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), "--no-progress", "--user", editor.username, stdout=out)
    first = Article.objects.get(body=WIRE)
    assert Article.objects.count() == 2
    assert f"b.txt: Fast derselbe Text wie Artikel #{first.pk}" in out.getvalue()


def test_a_correction_renews_the_article_s_keys(editor):
    article, _ = Article.objects.import_document(documents.parse_text(SAME_SUBJECT), by=editor)
    assert Article.objects.near_duplicates(WIRE) == []
    article.correct(WIRE.replace("Mittwoch", "Dienstag"), by=editor)
    (near,) = Article.objects.near_duplicates(ONE_WORD_CHANGED)
    assert near.article == article and near.similarity > 0.8


def test_looking_for_near_duplicates_asks_the_same_few_queries_however_large_the_archive(
    editor, django_assert_num_queries
):
    for number in range(40):
        text = f"Meldung {number}: " + WIRE.replace("2031", str(2100 + number))
        Article.objects.import_document(documents.parse_text(text), by=editor)
    assert ArticleFingerprint.objects.count() == 40 * 16
    with django_assert_num_queries(2):  # the keys shared, then the few candidates' texts
        found = Article.objects.near_duplicates(ONE_WORD_CHANGED, limit=50)
    assert 0 < len(found) <= 10  # at most NEAR_DUPLICATE_CANDIDATES are compared


def test_an_upload_of_a_near_duplicate_needs_the_right_to_add_articles(client, editor):
    client.force_login(editor)
    paste(client, WIRE)
    reader = make_user("lea")
    result = importing.import_document(documents.parse_text(ONE_WORD_CHANGED), by=reader)
    assert result.outcome == importing.Outcome.REFUSED
    assert not PendingVersion.objects.exists()


def test_a_file_upload_works_the_same_as_a_paste(client, editor):
    client.force_login(editor)
    data = SimpleUploadedFile("laternen.txt", WIRE.encode("cp1252"), content_type="text/plain")
    client.post(reverse("annotations:article-new"), {"files": [data]})
    article = Article.objects.get()
    assert (article.source, article.title_generated, article.original_filename) == ("dpa", True, "laternen.txt")


def test_the_title_step_answers_only_for_an_article_of_this_session_s_results(client, editor):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    other, _ = Article.objects.import_document(documents.parse_text(SAME_SUBJECT), by=editor)
    token = results_url(response).rstrip("/").split("/")[-1]
    for url in (
        reverse("annotations:upload-title", args=["erfunden", article.pk]),
        reverse("annotations:upload-title", args=[token, other.pk]),
    ):
        assert client.post(url, {f"a{article.pk}-title": "X", f"a{other.pk}-title": "X"}).status_code == 404
    article.refresh_from_db()
    other.refresh_from_db()
    assert "X" not in (article.title, other.title)


def test_a_nul_in_the_title_is_refused_and_nothing_changes(client, editor):
    client.force_login(editor)
    response = paste(client, WIRE)
    article = Article.objects.get()
    response = set_title(client, response, article, "Titel\x00mit NUL")
    assert response.status_code == 400
    article.refresh_from_db()
    assert article.title_generated is True
