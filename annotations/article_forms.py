"""Forms for getting articles in and editing their metadata (issue 3).

A module of its own rather than forms.py, so the issues built in parallel do not collide.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from annotations import importers
from annotations.importing import refusal_message
from annotations.models import Article


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Empty or unsupported files are not form errors: each
    file gets its own line on the results page."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(importers.SUPPORTED_SUFFIXES)}))
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
                document = importers.parse_text(cleaned["text"])
            except importers.Refused as refusal:
                self.add_error("text", refusal_message(refusal))
            else:
                if cleaned.get("title"):
                    document = dataclasses.replace(document, title=cleaned["title"].strip())
                cleaned["document"] = document
        return cleaned


class PublishedField(forms.CharField):
    """A date at the precision the editor knows: 2022, 2022-03, 2022-03-24 or 24.03.2022."""

    def to_python(self, value: Any) -> importers.PublishedDate | None:
        value = super().to_python(value)
        if not value:
            return None
        published = importers.parse_date(value)
        if published is None:
            raise forms.ValidationError(_("Enter the date as 2022, 2022-03, 2022-03-24 or 24.03.2022."), code="invalid")
        return published

    def prepare_value(self, value: Any) -> Any:
        return value.iso if isinstance(value, importers.PublishedDate) else value


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
        published = self.cleaned_data.get("published")
        article.published_on = published.date if published else None
        article.published_precision = published.precision if published else ""
        if commit:
            article.save()
        return article
