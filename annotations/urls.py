from django.urls import path

from annotations import views

app_name = "annotations"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:article_id>/", views.article_detail, name="article-detail"),
    path("claims/", views.claim_list, name="claim-list"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("articles/new/", views.article_new, name="article-new"),
    path("articles/uploads/<str:token>/", views.upload_results, name="upload-results"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="article-edit"),
    path("claims/export.csv", views.claim_export_csv, name="claim-export-csv"),
    path("claims/export.jsonld", views.claim_export_annotations, name="claim-export-annotations"),
    path("claims/claimreview.jsonld", views.claim_export_claimreview, name="claim-export-claimreview"),
]

# The article page: annotating (issue 4).
urlpatterns += [
    path("articles/<int:article_id>/claims/", views.claim_create, name="claim-create"),
    path("articles/<int:article_id>/passages/", views.passage_search, name="passage-search"),
    path("claims/<int:claim_id>/edit/", views.claim_edit, name="claim-edit"),
    path("claims/<int:claim_id>/delete/", views.claim_delete, name="claim-delete"),
    # issue 5: actions on one claim, and the source search of the evidence form
    path("claims/<int:claim_id>/evidence/", views.claim_add_evidence, name="claim-add-evidence"),
    path(
        "claims/<int:claim_id>/evidence/<int:evidence_id>/remove/",
        views.claim_remove_evidence,
        name="claim-remove-evidence",
    ),
    path("claims/<int:claim_id>/status/", views.claim_change_status, name="claim-change-status"),
    path("claims/<int:claim_id>/assign/", views.claim_assign, name="claim-assign"),
    path("claims/<int:claim_id>/take/", views.claim_take, name="claim-take"),
    path("sources/search.json", views.source_search, name="source-search"),
]
