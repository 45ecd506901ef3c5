"""All forms of the app: they clean and normalise input; the model methods act.

Sections follow the pages: getting articles in, the article page, the claim page and the queue.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from annotations.importing import refusal_message
from annotations.lib import documents, links
from annotations.models import FINISHED_STATUSES, Article, Claim, ClaimStatus, SourceKind, Stance, StatusOption

# --- Getting articles in, and their metadata -------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Empty or unsupported files are not form errors: each
    file gets its own line on the results page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(documents.SUPPORTED_SUFFIXES)}))
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ArticleUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        required=False,
        help_text=_("Text (.txt, .md), web pages (.html, .htm), Word (.docx) or zip archives of these."),
    )
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=_("Optional."))
    text = forms.CharField(
        label=_("Text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the article. Leading lines like “Datum: 24.03.2022” or “Quelle: dpa” become metadata."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Publication or agency for all articles of this upload that do not name one, e.g. dpa."),
    )

    def clean_files(self) -> list[UploadedFile]:
        files = self.cleaned_data["files"]
        limit = settings.NEWSROOM_IMPORT_MAX_FILES
        if len(files) > limit:
            raise forms.ValidationError(
                ngettext(
                    "At most %(limit)d file can be uploaded at once; you chose %(count)d.",
                    "At most %(limit)d files can be uploaded at once; you chose %(count)d.",
                    limit,
                )
                % {"limit": limit, "count": len(files)}
            )
        return files

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        size = len(text.encode("utf-8"))
        if size > settings.NEWSROOM_IMPORT_MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The text is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(size), "limit": filesizeformat(settings.NEWSROOM_IMPORT_MAX_FILE_BYTES)}
            )
        return text if text.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("files") and not cleaned.get("text"):
            if cleaned.get("title"):
                self.add_error("text", _("Paste the article text for this title."))
            else:
                raise forms.ValidationError(_("Choose one or more files, or paste an article text."))
        if cleaned.get("text"):
            try:
                document = documents.parse_text(cleaned["text"])
            except documents.Refused as refusal:
                self.add_error("text", refusal_message(refusal))
            else:
                if cleaned.get("title"):
                    document = dataclasses.replace(document, title=cleaned["title"].strip(), title_generated=False)
                cleaned["document"] = document
        return cleaned


class ArticleTitleForm(forms.Form):
    """The title step on the upload results page."""

    title = forms.CharField(label=_("Title"), max_length=300)


class PublishedField(forms.CharField):
    """A date at the precision the editor knows: 2022, 2022-03, 2022-03-24 or 24.03.2022."""

    def to_python(self, value: Any) -> documents.PublishedDate | None:
        value = super().to_python(value)
        if not value:
            return None
        published = documents.parse_date(value)
        if published is None:
            raise forms.ValidationError(_("Enter the date as 2022, 2022-03, 2022-03-24 or 24.03.2022."), code="invalid")
        return published

    def prepare_value(self, value: Any) -> Any:
        return value.iso if isinstance(value, documents.PublishedDate) else value


class ArticleMetadataForm(forms.ModelForm):
    published = PublishedField(
        label=_("Published"),
        required=False,
        help_text=_("Year, month or day: 2022, 2022-03, 2022-03-24 or 24.03.2022."),
    )

    url = forms.URLField(
        label=_("URL"),
        max_length=2000,
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )

    class Meta:
        model = Article
        fields = ["title", "source", "author", "url", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.published_on:
            self.initial.setdefault("published", self.instance.published_iso)

    def save(self, commit: bool = True) -> Article:
        article = super().save(commit=False)
        if "title" in self.changed_data:
            article.title_generated = False  # somebody chose it now
        published = self.cleaned_data.get("published")
        article.published_on = published.date if published else None
        article.published_precision = published.precision if published else ""
        if commit:
            article.save()
        return article


class CorrectionForm(forms.Form):
    """The article's whole text, corrected. Article.correct normalises it (line ends too) and checks
    its size, so the correction page, the admin and new versions keep one rule."""

    body = forms.CharField(
        label=_("Text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        help_text=_("Claims follow their words; claims whose words change are flagged for review."),
    )
    comment = forms.CharField(
        label=_("What was corrected?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: “Name of the mayor corrected” or “2nd version of the agency”."),
    )
    # The text version the editor started from: a correction saved meanwhile is not overwritten.
    text_version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class RevisionCompareForm(forms.Form):
    """Which two text versions to compare side by side."""

    a = forms.IntegerField(label=_("Version"), min_value=1, max_value=2**31 - 1, required=False)
    b = forms.IntegerField(label=_("with version"), min_value=1, max_value=2**31 - 1, required=False)


# --- The article page: a claim from a selection, and its wording --------------------------


class SelectedWordsForm(forms.Form):
    """Words selected in the article, filled in by the page's script: code points into the body."""

    start = forms.IntegerField(min_value=0, max_value=2**31 - 1, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)
    # The text version the selection was made in (a tab left open during a correction).
    text_version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    error_messages = {"no_selection": _("Select the words in the article first.")}

    def clean_quote(self) -> str:
        # Browsers send every line break of a form field as CRLF; bodies only have LF (DESIGN.md).
        return self.cleaned_data["quote"].replace("\r\n", "\n")

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.errors.keys() & {"start", "end", "quote"}:
            # The hidden fields only go wrong when nothing was selected or the page was tampered with.
            for name in ("start", "end", "quote"):
                self.errors.pop(name, None)
            raise forms.ValidationError(self.error_messages["no_selection"], code="no_selection")
        return cleaned


class ClaimFromSelectionForm(SelectedWordsForm):
    statement = forms.CharField(
        label=_("Claim"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The claim in your words, short enough to check."),
    )
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    error_messages = {"no_selection": _("Select the words of the claim in the article first.")}


class ClaimEditForm(forms.Form):
    statement = forms.CharField(label=_("Claim"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    # The version the editor saw: a concurrent change is refused instead of overwritten.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


# --- The claim page and the queue ------------------------------------------------------------


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


class ReattachForm(SelectedWordsForm, VersionedForm):
    """The words an editor selected for a claim whose place a correction took away or changed."""

    error_messages = {"no_selection": _("Select the right words in the text first.")}


class StatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("New status"))
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for “unverifiable” and for reopening."),
    )
    # The article text the page showed: a verdict on words a correction has changed is refused.
    text_version = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, claim: Claim, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim = claim
        # The page offers only the steps that can succeed now; any status is accepted here, because
        # a form loaded before somebody else acted must reach the model's version check and get the
        # conflict with its changes, not "invalid choice". The model decides both (status_options).
        self.fields["status"].choices = ClaimStatus.choices
        self.options = claim.status_options(user)

    @property
    def offered(self) -> list[StatusOption]:
        return [option for option in self.options if option.available]

    @property
    def unavailable(self) -> list[StatusOption]:
        return [option for option in self.options if not option.available]

    @property
    def reopens(self) -> bool:
        return self.claim.status in FINISHED_STATUSES


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why is the claim withdrawn?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the claim’s history, e.g. “marked twice” or “the passage was removed from the article”."),
        error_messages={"required": _("Say why the claim is withdrawn.")},
    )


class RestoreForm(VersionedForm):
    comment = forms.CharField(
        label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenRequestForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why should the claim be reopened?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DeclineReopenForm(VersionedForm):
    reason = forms.CharField(
        label=_("Why does the verdict stand?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


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


class NoNulCharField(forms.CharField):
    """A text field that refuses NUL, which no stored text holds and PostgreSQL refuses in a parameter."""

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        if "\x00" in value:
            raise forms.ValidationError(_("The text holds a NUL character. Remove it and try again."))
        return value


class SearchForm(forms.Form):
    """The search page's box and filters; anything out of range is an error for the editor, never a crash."""

    TYPE_CHOICES = [
        ("", pgettext_lazy("search type", "Everything")),
        ("articles", _("Articles")),
        ("claims", _("Claims")),
    ]

    q = NoNulCharField(label=_("Search"), required=False, max_length=200, strip=True)
    type = forms.ChoiceField(label=_("Show"), choices=TYPE_CHOICES, required=False)
    status = forms.MultipleChoiceField(
        label=_("Status of claims"), choices=ClaimStatus.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Published")
    )
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    source = NoNulCharField(label=_("Source"), required=False, max_length=200, help_text=_("e.g. dpa"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return data
