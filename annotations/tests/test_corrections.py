"""Correcting an article's text: one model method keeps the old text, re-anchors every claim and
sends finished claims whose words changed back to review; the correction page, the revisions page,
the article page's list of claims to look at, and forms sent against an older text."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse
from django.utils import translation

from annotations.lib import loadtext
from annotations.management.commands import benchmark_reanchor
from annotations.models import (
    AnchorState,
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    ClaimStatus,
    TextConflict,
    WorkflowError,
)
from annotations.tests.conftest import BODY, add_evidence, make_article, make_claim, refused_article_page, refused_page
from annotations.tests.exporting import finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(article, editor, fact_checker):
    """Three claims on the standard body: one moves, one is flagged, one is orphaned by CORRECTED."""
    moved = make_claim(
        article, editor, quote="Bürgermeisterin Anja Weißgerber", statement="Weißgerber ist Bürgermeisterin"
    )
    flagged = make_claim(article, editor, quote="so viel wie nie zuvor", statement="Rekord")
    orphaned = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="12,4 Mio.")
    return moved, flagged, orphaned


CORRECTED = (
    "Kleinbach, 3. März. Der Gemeinderat von Kleinbach hat am Montag den Haushalt für 2027 beschlossen. "
    "Er sieht Ausgaben von 12,9\u00a0Millionen Euro vor – so fiel wie nie zuvor.\n\n"
    "Bürgermeisterin Anja Weißgerber sagte: „Wir investieren vor allem in Schulen.“"
)


def test_a_correction_keeps_the_old_text_and_moves_flags_and_orphans_the_claims(article, claims, editor):
    moved, flagged, orphaned = claims
    old_body = article.body
    correction = article.correct(CORRECTED, by=editor, comment="Zahl und Ort korrigiert")
    assert dict(correction.counts) == {"moved": 1, "flagged": 1, "orphaned": 1}
    article.refresh_from_db()
    assert article.body == CORRECTED
    assert article.text_version == 2
    revision = ArticleRevision.objects.get(article=article)
    assert (revision.number, revision.body, revision.replaced_by, revision.comment) == (
        1,
        old_body,
        editor,
        "Zahl und Ort korrigiert",
    )
    for claim in claims:
        claim.refresh_from_db()
    assert moved.anchor_state == AnchorState.MOVED
    assert CORRECTED[moved.start : moved.end] == moved.quote == "Bürgermeisterin Anja Weißgerber"
    assert moved.prefix == CORRECTED[max(0, moved.start - 32) : moved.start]
    assert flagged.anchor_state == AnchorState.NEEDS_REVIEW
    assert flagged.quote == "so fiel wie nie zuvor" == CORRECTED[flagged.start : flagged.end]
    assert orphaned.anchor_state == AnchorState.ORPHANED
    # An orphaned claim keeps its old words and context, pointing into the revision.
    assert orphaned.quote == "Ausgaben von 12,4\u00a0Millionen Euro"
    assert old_body[orphaned.start : orphaned.end] == orphaned.quote
    events = {event.claim_id: event for event in ClaimEvent.objects.filter(kind=ClaimEvent.Kind.REANCHORED)}
    assert set(events) == {moved.pk, flagged.pk, orphaned.pk}
    assert events[orphaned.pk].data["to"] is None
    assert events[orphaned.pk].data["reason"] == "number"
    assert events[flagged.pk].data["to"]["quote"] == "so fiel wie nie zuvor"


def test_only_claims_whose_words_changed_get_a_new_version(article, claims, editor):
    moved, flagged, orphaned = claims
    versions = {claim.pk: claim.version for claim in claims}
    article.correct(CORRECTED, by=editor)
    for claim in claims:
        claim.refresh_from_db()
    assert moved.version == versions[moved.pk]  # same words: a form loaded before still holds
    assert flagged.version == versions[flagged.pk] + 1
    assert orphaned.version == versions[orphaned.pk] + 1


def test_a_finished_claim_whose_words_changed_goes_back_to_review(article, claims, editor, fact_checker):
    moved, flagged, orphaned = claims
    for claim in claims:
        finish(claim, fact_checker)
    article.correct(CORRECTED, by=editor)
    for claim in claims:
        claim.refresh_from_db()
    assert moved.status == ClaimStatus.VERIFIED  # its words are unchanged
    for claim in (flagged, orphaned):
        assert claim.status == ClaimStatus.IN_REVIEW
        assert claim.verified_by is None and claim.verified_at is None
        event = claim.events.get(kind=ClaimEvent.Kind.REANCHORED)
        assert (event.from_status, event.to_status) == (ClaimStatus.VERIFIED, ClaimStatus.IN_REVIEW)
        assert event.data["text_version"] == 2
    text = flagged.events.get(kind=ClaimEvent.Kind.REANCHORED).describe()
    assert "„so viel wie nie zuvor“ → „so fiel wie nie zuvor“" in text.edits[0]
    assert text.change


def test_the_body_is_normalised_like_an_import(article, editor):
    article.correct(BODY.replace("Montag", "Dienstag").replace("\n", "\r\n") + "\ufeff\x07  \n\n", by=editor)
    article.refresh_from_db()
    assert "\r" not in article.body and "\x07" not in article.body and "\ufeff" not in article.body
    assert article.body == BODY.replace("Montag", "Dienstag")


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "empty"), ("  \n\n ", "empty"), (BODY, "unchanged"), (BODY + "\r\n", "unchanged")],
)
def test_an_empty_or_unchanged_text_is_refused_and_nothing_changes(article, claims, editor, body, message):
    with translation.override("en"), pytest.raises(WorkflowError, match=message):
        article.correct(body, by=editor)
    assert not ArticleRevision.objects.exists()
    assert Article.objects.get(pk=article.pk).text_version == 1


def test_a_text_another_article_has_is_refused(article, editor):
    other = make_article(by=editor, body="Ein ganz anderer Text über die Feuerwehr.", title="Feuerwehr")
    with translation.override("en"), pytest.raises(WorkflowError, match="Another article"):
        article.correct(other.body, by=editor)


def test_a_correction_made_meanwhile_is_not_overwritten(article, editor, chief_editor):
    article.correct(BODY.replace("Montag", "Dienstag"), by=chief_editor, expected_version=1)
    with pytest.raises(TextConflict, match="Clara Chefin"):
        article.correct(BODY.replace("Schulen", "Kitas"), by=editor, expected_version=1)
    article.refresh_from_db()
    assert "Dienstag" in article.body and "Kitas" not in article.body


def test_only_people_who_may_change_articles_may_correct(article, outsider):
    with pytest.raises(WorkflowError):
        article.correct(BODY.replace("Montag", "Dienstag"), by=outsider)
    assert Article.objects.get(pk=article.pk).body == BODY


def test_orphaned_claims_are_left_alone_by_later_corrections(article, claims, editor):
    *_, orphaned = claims
    article.correct(CORRECTED, by=editor)
    orphaned.refresh_from_db()
    before = (orphaned.start, orphaned.end, orphaned.quote, orphaned.version)
    article.correct("Vorspann.\n\n" + CORRECTED, by=editor)
    orphaned.refresh_from_db()
    assert (orphaned.start, orphaned.end, orphaned.quote, orphaned.version) == before
    assert orphaned.anchor_state == AnchorState.ORPHANED


# --- The correction page -------------------------------------------------------------------


def test_the_correction_page_shows_the_text_in_the_hooked_form(client, editor, article):
    client.force_login(editor)
    response = client.get(reverse("annotations:article-text", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-correction-form" in html
    assert 'name="body"' in html and 'name="comment"' in html and 'name="text_version"' in html


def test_saving_the_correction_page_corrects_and_reports_what_happened(client, editor, article, claims):
    client.force_login(editor)
    url = reverse("annotations:article-text", args=[article.pk])
    response = client.post(
        url, {"body": CORRECTED.replace("\n", "\r\n"), "comment": "Zahl korrigiert", "text_version": 1}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("annotations:article-revisions", args=[article.pk])
    html = response.content.decode()
    assert "1 moved" in html or "1 mit ihren Wörtern" in html
    article.refresh_from_db()
    assert article.body == CORRECTED and article.text_version == 2


def test_a_stale_correction_form_keeps_the_editors_text_and_says_why(client, editor, chief_editor, article):
    article.correct(BODY.replace("Montag", "Dienstag"), by=chief_editor)
    client.force_login(editor)
    mine = BODY.replace("Schulen", "Kitas")
    response = client.post(
        reverse("annotations:article-text", args=[article.pk]), {"body": mine, "comment": "", "text_version": 1}
    )
    assert response.status_code == 409
    assert "Clara Chefin" in response.content.decode()
    assert response.context["form"]["body"].value() == mine
    article.refresh_from_db()
    assert "Kitas" not in article.body


def test_people_without_the_permission_get_no_correction_page(client, outsider, fact_checker, article):
    client.force_login(outsider)
    url = reverse("annotations:article-text", args=[article.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"body": "x", "text_version": 1}).status_code == 403
    assert Article.objects.get(pk=article.pk).body == BODY


@pytest.mark.parametrize("version", ["", "0", "-1", "99999999999999999999", "abc", "\x00"])
def test_hostile_text_versions_are_refused_cleanly(client, editor, article, version):
    client.force_login(editor)
    response = client.post(
        reverse("annotations:article-text", args=[article.pk]), {"body": BODY + " Neu.", "text_version": version}
    )
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).text_version == 1


def test_the_admin_corrects_through_the_same_method(client, superuser, article, claims):
    client.force_login(superuser)
    url = reverse("admin:annotations_article_change", args=[article.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "body"}
    data.update(
        body=CORRECTED,
        correction_comment="Über das Backoffice",
        text_version_seen=1,
        published_on="",
        created_by=article.created_by_id or "",
        updated_by="",
        **{
            f"{prefix}-{key}": value
            for prefix in ("claims", "revisions")
            for key, value in _inline_management().items()
        },
    )
    response = client.post(url, data, follow=True)
    assert response.status_code == 200, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.body == CORRECTED and article.text_version == 2
    assert ArticleRevision.objects.get(article=article).comment == "Über das Backoffice"
    assert Claim.objects.filter(anchor_state=AnchorState.ORPHANED).count() == 1


def _inline_management() -> dict[str, str]:
    return {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def test_the_admin_refuses_an_empty_body_with_a_message(client, superuser, article):
    client.force_login(superuser)
    url = reverse("admin:annotations_article_change", args=[article.pk])
    response = client.post(
        url,
        {
            "title": article.title,
            "body": "   ",
            "language": "de",
            "text_version_seen": 1,
            **{
                f"{prefix}-{key}": value
                for prefix in ("claims", "revisions")
                for key, value in _inline_management().items()
            },
        },
    )
    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).body == BODY


# --- The revisions page --------------------------------------------------------------------


def test_the_revisions_page_lists_versions_and_what_each_correction_did(client, editor, article, claims):
    article.correct(CORRECTED, by=editor, comment="Zahl korrigiert")
    client.force_login(editor)
    response = client.get(reverse("annotations:article-revisions", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Zahl korrigiert" in html
    (row,) = response.context["rows"]
    assert [claim.pk for claim in row["moved"]] == [claims[0].pk]
    assert [claim.pk for claim in row["flagged"]] == [claims[1].pk]
    assert [claim.pk for claim in row["orphaned"]] == [claims[2].pk]
    # The two versions side by side, changed words marked on each side.
    assert "<del>4</del>" in html and "<ins>9</ins>" in html and "<del>viel</del>" in html and "<ins>fiel</ins>" in html
    left, right = response.context["comparison"]["left"], response.context["comparison"]["right"]
    assert [piece.text for piece in left if piece.changed] == ["4", "viel"]
    assert [piece.text for piece in right if piece.changed] == ["Kleinbach, 3. März.", "9", "fiel"]


@pytest.mark.parametrize("query", ["?a=99&b=1", "?a=abc", "?a=-1&b=0", "?a=%00", "?a=99999999999999999999999"])
def test_the_revisions_page_survives_hostile_versions(client, editor, article, query):
    article.correct(CORRECTED, by=editor)
    client.force_login(editor)
    response = client.get(reverse("annotations:article-revisions", args=[article.pk]) + query)
    # A NUL anywhere in an address is refused before any page reads it (annotations/middleware.py).
    assert response.status_code == (400 if "%00" in query else 200)


def test_any_two_versions_can_be_compared(client, editor, article):
    article.correct(BODY.replace("Montag", "Dienstag"), by=editor)
    article.correct(BODY.replace("Montag", "Mittwoch"), by=editor)
    client.force_login(editor)
    response = client.get(reverse("annotations:article-revisions", args=[article.pk]) + "?a=1&b=2")
    comparison = response.context["comparison"]
    assert [p.text for p in comparison["left"] if p.changed] == ["Montag"]
    assert [p.text for p in comparison["right"] if p.changed] == ["Dienstag"]


# --- The article page: claims to look at after a correction ------------------------------------


def test_the_article_page_lists_flagged_and_orphaned_claims_and_draws_no_orphan(client, editor, article, claims):
    moved, flagged, orphaned = claims
    article.correct(CORRECTED, by=editor)
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert {claim.pk for claim in response.context["attention"]} == {flagged.pk, orphaned.pk}
    assert f'data-attention-claim="{flagged.pk}"' in html and f'data-attention-claim="{orphaned.pk}"' in html
    assert f'mark data-claim-id="{orphaned.pk}"' not in html
    assert f'mark data-claim-id="{flagged.pk}"' in html and f'mark data-claim-id="{moved.pk}"' in html


def test_an_editor_confirms_the_new_place(client, editor, article, claims):
    _, flagged, _ = claims
    article.correct(CORRECTED, by=editor)
    flagged.refresh_from_db()
    client.force_login(editor)
    response = client.post(reverse("annotations:claim-confirm-anchor", args=[flagged.pk]), {"version": flagged.version})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.anchor_state == AnchorState.EXACT
    assert flagged.events.last().data["action"] == "confirmed"


def test_an_editor_reattaches_an_orphaned_claim_to_selected_words(client, editor, article, claims):
    *_, orphaned = claims
    article.correct(CORRECTED, by=editor)
    orphaned.refresh_from_db()
    client.force_login(editor)
    url = reverse("annotations:claim-reattach", args=[orphaned.pk])
    page = client.get(url)
    assert page.status_code == 200 and "data-reattach-form" in page.content.decode()
    quote = "Ausgaben von 12,9\u00a0Millionen Euro"
    start = CORRECTED.index(quote)
    response = client.post(
        url,
        {"start": start, "end": start + len(quote), "quote": quote, "version": orphaned.version, "text_version": 2},
    )
    assert response.status_code == 302
    orphaned.refresh_from_db()
    assert (orphaned.quote, orphaned.anchor_state) == (quote, AnchorState.EXACT)
    event = orphaned.events.last()
    assert event.data["from"]["quote"] == "Ausgaben von 12,4\u00a0Millionen Euro"
    assert event.data["to"]["quote"] == quote


def test_reattaching_to_words_that_are_not_there_is_refused(client, editor, article, claims):
    *_, orphaned = claims
    article.correct(CORRECTED, by=editor)
    orphaned.refresh_from_db()
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-reattach", args=[orphaned.pk]),
        {"start": 0, "end": 5, "quote": "Robin", "version": orphaned.version, "text_version": 2},
    )
    assert response.status_code == 409
    orphaned.refresh_from_db()
    assert orphaned.anchor_state == AnchorState.ORPHANED


def test_reattaching_a_finished_claim_to_other_words_sends_it_back_to_review(editor, fact_checker, article, claims):
    moved, *_ = claims
    finish(moved, fact_checker)
    start = article.body.index("Anja Weißgerber")
    moved.reattach(start=start, end=start + 15, quote="Anja Weißgerber", by=editor)
    moved.refresh_from_db()
    assert moved.status == ClaimStatus.IN_REVIEW


# --- Forms sent against an older text ----------------------------------------------------------


def test_a_claim_form_from_before_a_correction_is_moved_to_the_same_words(client, editor, article):
    quote = "Anja Weißgerber"
    start = BODY.index(quote)
    article.correct("Vorab: eine Zeile.\n\n" + BODY, by=editor)
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {"start": start, "end": start + len(quote), "quote": quote, "statement": "Name", "text_version": 1},
        follow=True,
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    article.refresh_from_db()
    assert article.body[claim.start : claim.end] == quote and claim.start == start + len("Vorab: eine Zeile.\n\n")
    assert "corrected while you were working" in response.content.decode() or "korrigiert" in response.content.decode()


def test_a_claim_form_on_words_a_correction_changed_is_refused_and_keeps_the_input(client, editor, article):
    quote = "12,4\u00a0Millionen Euro"
    start = BODY.index(quote)
    article.correct(BODY.replace("12,4", "12,9"), by=editor)
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {"start": start, "end": start + len(quote), "quote": quote, "statement": "Meine Worte", "text_version": 1},
    )
    html = refused_article_page(client, response, article)
    assert not Claim.objects.exists()
    assert "Meine Worte" in html


def test_a_claim_form_whose_offsets_match_only_the_old_text_is_never_stored_against_the_new(client, editor, article):
    quote = "Haushalt für 2027"
    start = BODY.index(quote)
    article.correct(BODY.replace("den Haushalt", "das Budget"), by=editor)
    client.force_login(editor)
    # Without the text version the offsets are checked against the current text, and do not match.
    response = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {"start": start, "end": start + len(quote), "quote": quote, "statement": "x"},
    )
    assert "stimmt nicht mehr mit dem Artikeltext überein" in refused_article_page(client, response, article)
    assert not Claim.objects.exists()


def test_a_status_form_after_a_correction_that_changed_the_words_is_refused(
    client, editor, fact_checker, second_fact_checker, article, claims
):
    _, flagged, _ = claims
    add_evidence(flagged, fact_checker)
    flagged.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    flagged.refresh_from_db()
    seen_version = flagged.version
    article.correct(CORRECTED, by=editor)
    client.force_login(second_fact_checker)
    response = client.post(
        reverse("annotations:claim-change-status", args=[flagged.pk]),
        {"status": "verified", "comment": "", "version": seen_version, "text_version": 1},
    )
    assert "korrigiert" in refused_page(client, response, flagged)  # Post/Redirect/Get: on the claim page
    flagged.refresh_from_db()
    assert flagged.status == ClaimStatus.IN_REVIEW


def test_a_status_form_after_a_correction_that_only_moved_the_words_is_applied(
    client, editor, fact_checker, second_fact_checker, article, claims
):
    moved, *_ = claims
    add_evidence(moved, fact_checker)
    moved.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    moved.refresh_from_db()
    article.correct(CORRECTED, by=editor)
    client.force_login(second_fact_checker)
    response = client.post(
        reverse("annotations:claim-change-status", args=[moved.pk]),
        {"status": "verified", "comment": "", "version": moved.version, "text_version": 1},
    )
    assert response.status_code == 302
    moved.refresh_from_db()
    assert moved.status == ClaimStatus.VERIFIED


# --- The queue and the claim page show the anchoring -----------------------------------------


def test_the_queue_filters_by_place_in_the_text(client, editor, article, claims):
    article.correct(CORRECTED, by=editor)
    client.force_login(editor)
    response = client.get(reverse("annotations:claim-list") + "?anchor_state=orphaned&anchor_state=needs_review")
    assert {claim.pk for claim in response.context["claims"]} == {claims[1].pk, claims[2].pk}
    assert 'data-anchor-state="orphaned"' in response.content.decode()
    assert client.get(reverse("annotations:claim-list") + "?anchor_state=%00").status_code == 400


def test_the_claim_page_shows_an_orphaned_claims_old_words(client, editor, article, claims):
    *_, orphaned = claims
    article.correct(CORRECTED, by=editor)
    client.force_login(editor)
    html = client.get(orphaned.get_absolute_url()).content.decode()
    assert "data-claim-anchor" in html and 'data-anchor-state="orphaned"' in html
    assert "12,4" in html


def test_a_text_over_the_size_limit_is_refused_with_the_editors_text_kept(client, editor, article, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 400
    client.force_login(editor)
    long_text = BODY + " Mehr." * 100
    response = client.post(
        reverse("annotations:article-text", args=[article.pk]), {"body": long_text, "text_version": 1}
    )
    assert response.status_code == 409
    assert response.context["form"]["body"].value() == long_text
    assert Article.objects.get(pk=article.pk).body == BODY


def test_after_a_long_correction_every_placed_claim_holds_its_words_and_context(editor, django_assert_max_num_queries):
    rng = random.Random(11)
    body = loadtext.article(rng, 60).body
    article = make_article(by=editor, body=body, title="Lang")
    words = [match.span() for match in re.finditer(r"\w+", body)]
    for index in sorted(rng.sample(range(len(words) - 6), 80)):
        start, end = words[index][0], words[index + rng.randint(1, 5)][1]
        Claim.objects.create_from_selection(
            article=article, start=start, end=end, quote=body[start:end], statement="x", by=editor
        )
    new = benchmark_reanchor.corrected(rng, body)
    # Claims that only moved are saved a few at a time, not one query each.
    with django_assert_max_num_queries(60):
        correction = article.correct(new, by=editor)
    assert correction.counts["moved"] > 40
    article.refresh_from_db()
    for claim in Claim.objects.filter(article=article).exclude(anchor_state=AnchorState.ORPHANED):
        assert article.body[claim.start : claim.end] == claim.quote
        assert claim.prefix == article.body[max(0, claim.start - 32) : claim.start]
        assert claim.suffix == article.body[claim.end : claim.end + 32]
