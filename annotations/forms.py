"""Forms of the claim page and the queue: they clean input; the model methods act."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from annotations import links
from annotations.models import FINISHED_STATUSES, Claim, ClaimStatus, SourceKind, Stance


def _web_url(value: str) -> str:
    try:
        return links.normalise_url(value)
    except links.InvalidURL:
        raise forms.ValidationError(
            _("Enter a web address that starts with http:// or https://."), code="invalid_url"
        ) from None


def checkers() -> QuerySet[Any]:
    """Active users who may check claims: the people a claim can be assigned to."""
    perm = Permission.objects.filter(content_type__app_label="annotations", codename="change_claim_status")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _("Choose somebody who checks claims: a fact-checker or a chief editor."),
    }

    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class VersionedForm(forms.Form):
    # The claim's version when the page was loaded; a later version means somebody else acted.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class EvidenceForm(VersionedForm):
    url = forms.CharField(label=_("URL of the source"), max_length=2000, widget=forms.URLInput)
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices, initial=SourceKind.OTHER)
    published_on = forms.DateField(
        label=_("Published on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    archived_url = forms.CharField(label=_("Archived copy"), max_length=2000, required=False, widget=forms.URLInput)
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices, widget=forms.RadioSelect)
    excerpt = forms.CharField(
        label=_("Excerpt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The passage of the source that matters, word for word."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_url(self) -> str:
        return _web_url(self.cleaned_data["url"])

    def clean_archived_url(self) -> str:
        value = self.cleaned_data["archived_url"].strip()
        return _web_url(value) if value else ""

    def source_defaults(self, by: Any) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "publisher": data["publisher"].strip(),
            "kind": data["kind"],
            "published_on": data["published_on"],
            "archived_url": data["archived_url"],
            "created_by": by,
        }


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “unverifiable” and for reopening."),
    )

    def __init__(self, *args: Any, claim: Claim, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim
        # The page offers only the next steps; any status is accepted here, because a form
        # loaded before somebody else acted must reach the model's version check and get
        # the conflict with its changes, not "invalid choice".
        self.fields["status"].choices = ClaimStatus.choices
        self.offered = self.status_choices(claim)

    @staticmethod
    def status_choices(claim: Claim) -> list[tuple[str, str]]:
        """Only the steps the workflow allows from here; a finished claim can only be reopened."""
        if claim.status in FINISHED_STATUSES:
            return [(ClaimStatus.IN_REVIEW.value, pgettext_lazy("status form", "Reopen (back to “In review”)"))]
        return [(value, ClaimStatus(value).label) for value in claim.allowed_statuses()]

    @property
    def reopens(self) -> bool:
        return self.claim.status in FINISHED_STATUSES


class AssignForm(VersionedForm):
    assignee = UserChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = checkers()


class ClaimsField(forms.ModelMultipleChoiceField):
    def clean(self, value: Any) -> QuerySet[Claim]:
        try:
            return super().clean(value)
        except OverflowError:
            # SQLite cannot compare an id beyond 64 bits (PostgreSQL finds no row): no claim has one.
            too_large = next((v for v in value if str(v).isdigit() and int(v) >= 2**63), "")
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": too_large}
            ) from None


class BulkForm(forms.Form):
    ACTIONS = [
        ("take", _("Take (assign to me)")),
        ("start_review", _("Start review")),
        ("assign", _("Assign to")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    claims = ClaimsField(
        queryset=Claim.objects.all(),
        error_messages={"required": _("Select at least one claim.")},
    )
    assignee = UserChoiceField(
        label=_("Assign to"), queryset=get_user_model().objects.none(), required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = checkers()
