"""The claim page's forms for any page that shows a claim (the claim page, the article's claim cards)."""

from __future__ import annotations

from django import template

from annotations.forms import EvidenceForm, StatusForm
from annotations.models import Claim

register = template.Library()


@register.simple_tag(takes_context=True)
def status_form_for(context: template.Context, claim: Claim, form: StatusForm | None = None) -> StatusForm:
    """The form given (bound, with errors), or a fresh one offering what the user can do with the claim now."""
    return form or StatusForm(claim=claim, user=context["request"].user, initial={"version": claim.version})


@register.simple_tag
def evidence_form_for(claim: Claim, form: EvidenceForm | None = None) -> EvidenceForm:
    return form or EvidenceForm(initial={"version": claim.version})
