"""{% claimreview_json claim as data %}: the schema.org ClaimReview of a claim, safe inside <script>."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from annotations import exporting
from annotations.lib import formats
from annotations.models import Claim

register = template.Library()


@register.simple_tag(takes_context=True)
def claimreview_json(context: template.Context, claim: Claim) -> SafeString:
    """The ClaimReview as JSON for a verified or disputed claim, "" for any other and for a withdrawn one
    (a page publishes no verdict that was taken off the record).

    Safe to put between <script type="application/ld+json"> tags: "<", ">" and "&" are escaped
    as JSON \\u escapes, as Django's json_script does, so no text of a claim can close the script.
    """
    request = context.get("request")
    absolute: Any = request.build_absolute_uri if request is not None else str
    review = None if claim.is_withdrawn else exporting.claim_review(claim, absolute)
    if review is None:
        return mark_safe("")
    return mark_safe(formats.json_for_script({"@context": "https://schema.org", **review}))  # noqa: S308
