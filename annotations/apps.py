from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = _("Fact annotation")
    default_auto_field = "django.db.models.BigAutoField"
    # This module holds the admin's config too: this one is the app's.
    default = True

    def ready(self) -> None:
        from annotations import signals  # noqa: F401  (connects the receivers of logging in and out)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site (annotations/adminsite.py) as `admin.site`."""

    default = False
    default_site = "annotations.adminsite.NewsroomAdminSite"
