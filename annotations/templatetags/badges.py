"""{% status_badge status label %} and {% anchor_badge claim %}: the badges every list draws, once per row.

Tags rather than included templates: a queue page draws a hundred of them, and an include costs a
template render each (a fifth of the page's time at fifty rows). Each ends in a line break, as the
templates they replace did, so the pages' spacing stays the same.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from annotations.models import AnchorState

register = template.Library()


@register.simple_tag
def status_badge(status: str, label: Any) -> SafeString:
    """The status as a badge: its colour from the class, an icon, and the label for those who do not see colours."""
    return format_html(
        '<span class="badge status-{}" title="{}"><span class="status-icon" aria-hidden="true"></span>{}</span>\n',
        status,
        label,
        label,
    )


# The claim's place in the current text, when a correction made it worth a look: (icon, explanation).
_ANCHOR_BADGES = {
    AnchorState.ORPHANED: (
        "⚠",
        lambda: gettext("A correction removed or changed these words; the claim has no place in the current text."),
    ),
    AnchorState.NEEDS_REVIEW: (
        "?",
        lambda: gettext("A correction changed these words; check that the claim still fits."),
    ),
    AnchorState.MOVED: ("↕", lambda: gettext("A correction moved these words; they are unchanged.")),
}


@register.simple_tag
def anchor_badge(claim: Any) -> SafeString | str:
    badge = _ANCHOR_BADGES.get(claim.anchor_state)
    if badge is None:  # exactly where it was marked: nothing to say
        return "\n"
    icon, explanation = badge
    return format_html(
        '<span class="anchor-badge anchor-{}" data-anchor-state="{}" title="{}">'
        '<span aria-hidden="true">{}</span> {}</span>\n',
        claim.anchor_state,
        claim.anchor_state,
        explanation(),
        icon,
        AnchorState(claim.anchor_state).label,
    )
