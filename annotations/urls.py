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
]
