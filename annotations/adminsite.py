"""The back office's site: every model admin registered with it, ours and other apps' (users, groups,
login attempts), gets the same guards against hostile input, so none of them answers 500 to it.

Django's admin takes some input at its word: a year beyond the calendar in the date hierarchy
(OverflowError), a selected row or a chosen user that is not a number (ValueError). Each guard turns
such input into what the admin does for any other bad input: a refusal with a message, nothing changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.translation import gettext


class GuardedChangeList(ChangeList):
    def get_filters(self, request: HttpRequest) -> Any:
        try:
            return super().get_filters(request)
        except OverflowError as error:  # ?created_at__year=9223372036854775808: no such year
            raise IncorrectLookupParameters(error) from error


def _valid(field: Field, value: Any) -> bool:
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class _KnownChoicesOnly:
    """An autocomplete widget shows the chosen rows again; a chosen value that is no key of the
    related table ("abc" for a user) is simply not shown, instead of breaking the query."""

    field: Any

    def optgroups(self, name: str, value: list[Any], attr: Any = None) -> Any:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if _valid(target, item)], attr)  # type: ignore[misc]


class GuardedAutocompleteSelect(_KnownChoicesOnly, AutocompleteSelect):
    pass


class GuardedAutocompleteSelectMultiple(_KnownChoicesOnly, AutocompleteSelectMultiple):
    pass


class GuardedModelAdmin(admin.ModelAdmin):
    """The guards; NewsroomAdminSite puts them under every model admin registered with it."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return GuardedChangeList

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = GuardedAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def response_action(self, request: HttpRequest, queryset: Any) -> Any:
        """Run an action only on rows named by real keys; a tampered selection changes nothing."""
        pk = self.model._meta.pk
        if not all(_valid(pk, value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            self.message_user(
                request,
                gettext("The selection contains rows that do not exist. Nothing was changed; tick the rows again."),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)


class NewsroomAdminSite(admin.AdminSite):
    site_header = "Newsroom Faktencheck"
    site_title = "Newsroom Faktencheck"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, GuardedModelAdmin):
            # Guards first, so they wrap whatever the app's own admin class does.
            attributes = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (GuardedModelAdmin, admin_class), attributes)
        super().register(model_or_iterable, admin_class, **options)
