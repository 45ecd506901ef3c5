"""One FilterSet per list: the page, the CSV export and the admin select the same rows."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from annotations.form_rendering import quick_widgets
from annotations.models import OPEN_STATUSES, AnchorState, Article, ArticleLanguage, Claim, ClaimStatus, Evidence


class ClaimFilterForm(forms.Form):
    # 14 widgets with their options on every queue page: written in Python, the same HTML as Django's templates.
    default_renderer = quick_widgets


class ClaimFilter(django_filters.FilterSet):
    ASSIGNEE_CHOICES = [
        ("me", pgettext_lazy("assignee filter", "Me")),
        ("nobody", pgettext_lazy("assignee filter", "Nobody")),
        ("anyone", pgettext_lazy("assignee filter", "Anyone")),
    ]

    q = django_filters.CharFilter(label=_("Text"), method="filter_text", max_length=200)
    # distinct=False: status is the claim's own column, no join repeats a row; DISTINCT over a million
    # claims made the filtered queue take seconds.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ClaimStatus.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    anchor_state = django_filters.MultipleChoiceFilter(
        label=_("Place in the text"), choices=AnchorState.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )
    assignee = django_filters.ChoiceFilter(
        label=_("Assigned to"), choices=ASSIGNEE_CHOICES, method="filter_assignee", empty_label=_("All")
    )
    # The largest id the databases store: SQLite cannot even compare a larger number (OverflowError).
    article = django_filters.NumberFilter(label=_("Article (ID)"), field_name="article_id", max_value=2**63 - 1)
    created_by = django_filters.ModelChoiceFilter(
        label=_("Created by"),
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        empty_label=_("All"),
    )
    claimant = django_filters.CharFilter(label=_("Claimant"), lookup_expr="icontains")
    created = django_filters.DateFromToRangeFilter(
        label=_("Created"),
        field_name="created_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    changed = django_filters.DateFromToRangeFilter(
        label=_("Changed"),
        field_name="updated_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    # When a claim was finished (verified, disputed or unverifiable): the overview's "finished today".
    checked = django_filters.DateFromToRangeFilter(
        label=_("Finished"),
        field_name="verified_at",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    has_evidence = django_filters.BooleanFilter(
        label=_("Has sources"),
        method="filter_has_evidence",
        # "All" rather than the default "Unknown": this is a filter, not a fact about a claim.
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    # Finished claims somebody asked a chief editor to reopen: the chief editor's overview links here.
    reopen_requested = django_filters.BooleanFilter(
        label=_("Reopening asked for"),
        method="filter_reopen_requested",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    # Withdrawn claims are left out unless this asks for them: the queue, the exports and
    # export_claims all select through this FilterSet, so they leave out the same claims.
    withdrawn = django_filters.ChoiceFilter(
        label=_("Withdrawn claims"),
        choices=[("include", _("Include them")), ("only", _("Only these"))],
        method="filter_withdrawn",
        empty_label=_("Leave them out"),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=[
            ("created_at", "created"),
            ("updated_at", "changed"),
            ("verified_at", "checked"),
            ("status", "status"),
            ("reopen_requested_at", "requested"),
            ("id", "id"),
        ],
        field_labels={
            "created_at": _("Created"),
            "updated_at": _("Changed"),
            "verified_at": _("Finished"),
            "status": _("Status"),
            "reopen_requested_at": _("Reopening asked for"),
            "id": "ID",
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Claim
        form = ClaimFilterForm
        fields: list[str] = []

    @property
    def qs(self) -> QuerySet[Claim]:
        # Unbound (a queue without parameters) the filters do not run: leave out the withdrawn here too.
        claims = super().qs
        return claims if self.is_bound else claims.current()

    def filter_queryset(self, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        # A filter method runs only for a value; leaving withdrawn claims out is the default, so it is done here.
        if not self.form.cleaned_data.get("withdrawn"):
            queryset = queryset.current()
        return super().filter_queryset(queryset)

    def qs_without(self, name: str, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        """The claims of `queryset` the other filters select, as if `name` had not been given: what the queue's
        status boxes count. From this FilterSet's cleaned values, without building and validating a second form."""
        if not self.is_bound:
            return queryset.current()
        self.is_valid()  # cleans the values; an invalid one filters nothing, as in filter_queryset
        if not self.form.cleaned_data.get("withdrawn"):
            queryset = queryset.current()
        for key, value in self.form.cleaned_data.items():
            if key != name:
                queryset = self.filters[key].filter(queryset, value)
        return queryset

    def filter_withdrawn(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        return queryset.withdrawn() if value == "only" else queryset

    def filter_reopen_requested(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        if value is None:
            return queryset
        return queryset.reopen_requested() if value else queryset.filter(reopen_requested_at__isnull=True)

    def filter_text(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        # The search page's search: German words, phrases, "oder", -exclusions (annotations.searching).
        return queryset.search(value) if value else queryset

    def filter_assignee(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        if value == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee=user) if user and user.is_authenticated else queryset.none()
        if value == "nobody":
            return queryset.filter(assignee__isnull=True)
        if value == "anyone":
            return queryset.filter(assignee__isnull=False)
        return queryset

    def filter_has_evidence(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        if value is None:
            return queryset
        has = Exists(Evidence.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has) if value else queryset.exclude(has)


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Text"), method="filter_text", max_length=200)
    source = django_filters.CharFilter(label=_("Source"), lookup_expr="icontains")
    published = django_filters.DateFromToRangeFilter(
        label=_("Published"),
        field_name="published_on",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    language = django_filters.ChoiceFilter(label=_("Language"), choices=ArticleLanguage.choices, empty_label=_("All"))
    uploaded_by = django_filters.ModelChoiceFilter(
        label=_("Uploaded by"),
        field_name="created_by",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
        empty_label=_("Anyone"),
    )
    has_open_claims = django_filters.BooleanFilter(
        label=_("Has open claims"),
        method="filter_has_open_claims",
        widget=forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Newest first"),
        fields=[("created_at", "uploaded"), ("published_on", "published"), ("title", "title")],
        field_labels={"created_at": _("Uploaded"), "published_on": _("Published"), "title": _("Title")},
    )

    class Meta:
        model = Article
        fields: list[str] = []

    def filter_reopen_requested(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        if value is None:
            return queryset
        return queryset.reopen_requested() if value else queryset.filter(reopen_requested_at__isnull=True)

    def filter_text(self, queryset: QuerySet[Article], name: str, value: str) -> QuerySet[Article]:
        # The search page's search over title and body (annotations.searching).
        return queryset.search(value) if value else queryset

    def filter_has_open_claims(self, queryset: QuerySet[Article], name: str, value: Any) -> QuerySet[Article]:
        if value is None:
            return queryset
        # Exists, not a join: a join would multiply the rows the claim counts are taken from.
        has = Exists(Claim.objects.current().filter(article=OuterRef("pk"), status__in=OPEN_STATUSES))
        return queryset.filter(has) if value else queryset.exclude(has)
