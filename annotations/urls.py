"""The one table of the app's addresses; each view lives in the module of its page family."""

from django.urls import path

from annotations.views import articles, claims, common, exports, live, search, sources

app_name = "annotations"

urlpatterns = [
    path("", common.dashboard, name="dashboard"),
    # Articles: the list, getting them in, metadata, and the article page where claims are marked.
    path("articles/", articles.article_list, name="article-list"),
    path("articles/new/", articles.article_new, name="article-new"),
    path("articles/uploads/<str:token>/", articles.upload_results, name="upload-results"),
    path("articles/uploads/<str:token>/title/<int:article_id>/", articles.upload_title, name="upload-title"),
    path("articles/<int:article_id>/", articles.article_detail, name="article-detail"),
    path("articles/<int:article_id>/edit/", articles.article_edit, name="article-edit"),
    path("articles/<int:article_id>/claims/", articles.claim_create, name="claim-create"),
    path("articles/<int:article_id>/passages/", articles.passage_search, name="passage-search"),
    # The live desk: what colleagues changed since the page was loaded (views.live).
    path("articles/<int:article_id>/live/", live.article_live, name="article-live"),
    path("articles/<int:article_id>/live/claims/", live.article_live_claims, name="article-live-claims"),
    # Corrections: the text, its revisions, and new versions arriving from uploads.
    path("articles/<int:article_id>/text/", articles.article_text, name="article-text"),
    path("articles/<int:article_id>/revisions/", articles.article_revisions, name="article-revisions"),
    path("articles/versions/<int:pending_id>/accept/", articles.pending_version_accept, name="pending-version-accept"),
    path(
        "articles/versions/<int:pending_id>/separate/",
        articles.pending_version_separate,
        name="pending-version-separate",
    ),
    # Claims: the queue, one claim and the actions on it.
    path("claims/", claims.claim_list, name="claim-list"),
    path("claims/similar.json", search.similar_claims, name="claim-similar"),
    path("claims/changes.json", live.claim_changes, name="claim-changes"),
    path("claims/<int:claim_id>/", claims.claim_detail, name="claim-detail"),
    path("claims/<int:claim_id>/edit/", claims.claim_edit, name="claim-edit"),
    path("claims/<int:claim_id>/withdraw/", claims.claim_withdraw, name="claim-withdraw"),
    path("claims/<int:claim_id>/restore/", claims.claim_restore, name="claim-restore"),
    path("claims/<int:claim_id>/reopen-request/", claims.claim_request_reopen, name="claim-request-reopen"),
    path("claims/<int:claim_id>/reopen-request/decline/", claims.claim_decline_reopen, name="claim-decline-reopen"),
    # Claims are withdrawn, not deleted: the old address leads to the confirmation page.
    path("claims/<int:claim_id>/delete/", claims.claim_delete_moved, name="claim-delete"),
    path("claims/<int:claim_id>/evidence/", claims.claim_add_evidence, name="claim-add-evidence"),
    path(
        "claims/<int:claim_id>/evidence/<int:evidence_id>/remove/",
        claims.claim_remove_evidence,
        name="claim-remove-evidence",
    ),
    path("claims/<int:claim_id>/status/", claims.claim_change_status, name="claim-change-status"),
    path("claims/<int:claim_id>/assign/", claims.claim_assign, name="claim-assign"),
    path("claims/<int:claim_id>/take/", claims.claim_take, name="claim-take"),
    path("claims/<int:claim_id>/anchor/confirm/", claims.claim_confirm_anchor, name="claim-confirm-anchor"),
    path("claims/<int:claim_id>/reattach/", claims.claim_reattach, name="claim-reattach"),
    # Exports of the selected claims.
    path("claims/export.csv", exports.claim_export_csv, name="claim-export-csv"),
    path("claims/export.jsonld", exports.claim_export_annotations, name="claim-export-annotations"),
    path("claims/claimreview.jsonld", exports.claim_export_claimreview, name="claim-export-claimreview"),
    # Finding things.
    path("search/", search.search, name="search"),
    # Sources.
    path("sources/", sources.source_list, name="source-list"),
    path("sources/search.json", sources.source_search, name="source-search"),
]
