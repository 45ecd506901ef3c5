"""Forms of the article page: a claim from a selection, and editing a claim's wording.

Kept apart from forms.py, which other pages own, so each page's forms stay together.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ClaimFromSelectionForm(forms.Form):
    # Filled in by the page's script from the selection: code points into the body.
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)
    statement = forms.CharField(
        label=_("Claim"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The claim in your words, short enough to check."),
    )
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    error_messages = {"no_selection": _("Select the words of the claim in the article first.")}

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


class ClaimEditForm(forms.Form):
    statement = forms.CharField(label=_("Claim"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    # The version the editor saw: a concurrent change is refused instead of overwritten.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
