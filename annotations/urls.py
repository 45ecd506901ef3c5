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
