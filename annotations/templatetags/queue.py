"""{% queue_row claim can_check %}: one row of the claims queue, fifty times a page; {% overview_row %} likewise
for the overview's short lists.

A tag rather than template markup: each row resolved some thirty template variables, four date filters and
a translation, about 19 ms of a queue page at production settings. The tag writes the same HTML (the same
escaping, localisation and translations as the template did); annotations/tests/test_queue_row.py holds it
to the template it replaces.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, pgettext

from annotations.lib import snippets
from annotations.templatetags.badges import anchor_badge, status_badge

register = template.Library()


def _person(user: Any) -> Any:
    """{{ user.get_full_name|default:user.get_username }}"""
    return (user.get_full_name() or user.get_username()) if user is not None else ""


@register.simple_tag(takes_context=True)
def queue_row(context: Context, claim: Any, can_check: bool) -> SafeString:
    def show(value: Any) -> str:  # {{ value }}
        return render_value_in_context(value, context)

    def time(value: datetime) -> str:  # <time> with {{ value|date:'c' }} and {{ value|date:"SHORT_DATE_FORMAT" }}
        local = template_localtime(value, context.use_tz)
        iso, short = formats.date_format(local, "c"), formats.date_format(local, "SHORT_DATE_FORMAT")
        return f'<time datetime="{show(iso)}">{show(short)}</time>'

    # {% translate %} does not escape: a template's literal is safe, and so is its translation.
    pk = show(claim.pk)
    withdrawn = claim.is_withdrawn
    withdrawn_class = ' class="withdrawn" data-withdrawn' if withdrawn else ""
    withdrawn_badge = f'<span class="badge withdrawn">{gettext("Withdrawn")}</span>' if withdrawn else ""
    check = (
        f'<td><input type="checkbox" name="claims" value="{pk}" aria-label="'
        f'{gettext("Select claim #%(id)s") % {"id": pk}}"></td>'
        if can_check
        else ""
    )
    claimant = (
        f'<span class="meta"> – <span class="person">{show(claim.claimant)}</span></span>' if claim.claimant else ""
    )
    assignee = (
        f'<span class="person">{show(_person(claim.assignee))}</span>'
        if claim.assignee
        else f'<span class="meta">{gettext("nobody")}</span>'
    )
    badges = f"{status_badge(claim.status, claim.get_status_display())}{withdrawn_badge}{show(anchor_badge(claim))}"
    snippet = show(snippets.quote_snippet(str(claim.quote or ""), 90))
    article = claim.article
    title = show(article.title)
    creator = show(_person(claim.created_by))
    return mark_safe(
        f'<tr data-claim-row="{pk}"{withdrawn_class}>\n'
        f"      {check}\n"
        f'      <td class="col-status"><div class="badges">{badges}</div></td>\n'
        f'      <td class="col-claim"><a href="{show(claim.get_absolute_url())}">{show(claim.statement)}</a>{claimant}'
        f'<div class="meta quote-snippet">{snippet}</div></td>\n'
        f'      <td class="col-article"><a href="{show(article.get_absolute_url())}" class="clamp" title="{title}">'
        f"{title}</a></td>\n"
        f'      <td class="col-person">{assignee}</td>\n'
        f'      <td class="col-number">{show(claim.evidence_count)}</td>\n'
        f'      <td class="col-dates">{time(claim.created_at)}<div class="meta person">{creator}</div>'
        f'<div class="meta">{gettext("Changed")} {time(claim.updated_at)}</div></td>\n'
        "    </tr>"
    )


@register.simple_tag(takes_context=True)
def overview_row(context: Context, claim: Any, date: str, show_assignee: bool) -> SafeString:
    """{% overview_row claim date show_assignee %}: a row of the overview's short lists (includes/claim_rows.html),
    written as the template wrote it; `date` ("created", "checked", "changed" or "requested") picks the date shown.
    annotations/tests/test_queue_row.py holds it to that template."""

    def show(value: Any) -> str:  # {{ value }}
        return render_value_in_context(value, context)

    def time(value: datetime, short_format: str) -> str:
        local = template_localtime(value, context.use_tz)
        iso, short = formats.date_format(local, "c"), formats.date_format(local, short_format)
        return f'<time datetime="{show(iso)}">{show(short)}</time>'

    def by(user: Any) -> str:
        if not user:
            return ""
        return f' · {pgettext("claim date", "by")} <span class="person">{show(_person(user))}</span>'

    if date == "checked" and claim.verified_at:
        when = f"{pgettext('claim date', 'Finished')} {time(claim.verified_at, 'SHORT_DATETIME_FORMAT')}"
        when += by(claim.verified_by) + "\n      "
    elif date == "requested" and claim.reopen_requested_at:
        asked = pgettext("claim date", "Reopening asked for")
        when = f"{asked} {time(claim.reopen_requested_at, 'SHORT_DATETIME_FORMAT')}"
        when += by(claim.reopen_requested_by) + "\n      "
    elif date == "changed":
        when = f"{pgettext('claim date', 'Changed')} {time(claim.updated_at, 'SHORT_DATETIME_FORMAT')}\n      "
    else:
        when = f"{pgettext('claim date', 'Created')} {time(claim.created_at, 'SHORT_DATE_FORMAT')}"
    assignee = ""
    if show_assignee:
        person = f'<span class="person">{show(_person(claim.assignee))}</span>' if claim.assignee else gettext("nobody")
        assignee = f" · {gettext('Assigned to')}: {person}"
    title = show(claim.article.title)
    badges = f"{status_badge(claim.status, claim.get_status_display())}{show(anchor_badge(claim))}"
    return mark_safe(
        f'<li data-claim-row="{show(claim.pk)}">\n'
        f'    <div class="badges-inline">{badges}</div>\n'
        f'    <a href="{show(claim.get_absolute_url())}" class="row-statement">{show(claim.statement)}</a>\n'
        f'    <span class="meta clamp-1" title="{title}">{title}</span>\n'
        '    <span class="meta row-facts">\n'
        f"      {when}\n"
        f"      {assignee}\n"
        "    </span>\n"
        "  </li>"
    )


_CHART_MARKS = {"verified": "✓", "disputed": "✗"}


@register.simple_tag(takes_context=True)
def chart_row(context: Context, row: Any, bars: Any) -> SafeString:
    """{% chart_row row chart.bars %}: one week of the overview's chart (includes/week_chart.html), inside its
    {% localize off %} as the template's markup was; annotations/tests/test_queue_row.py holds it to that markup."""

    def show(value: Any) -> str:  # {{ value }}, unlocalized inside {% localize off %}
        return render_value_in_context(value, context)

    label, dates, text_y = show(row.label), show(row.dates), show(row.text_y)
    segments = "".join(
        f'\n      <rect class="chart-bar status-{show(segment.status)}" x="{show(segment.x)}" y="{show(row.bar_y)}" '
        f'width="{show(segment.width)}" height="{show(bars.bar_height)}" data-status="{show(segment.status)}" '
        f'data-count="{show(segment.count)}"><title>{label} ({dates}): {show(segment.count)}</title></rect>\n      '
        for segment in row.segments
    )
    if row.total:
        numbers = "".join(
            f'<tspan class="chart-number status-{show(status)}">{_CHART_MARKS.get(status, "?")} {show(count)}</tspan> '
            for status, count in row.counts
            if count
        )
    else:
        numbers = "–"
    try:
        dates_x = show(int(bars.bar_x) - 8)  # {{ chart.bars.bar_x|add:'-8' }}
    except (ValueError, TypeError):
        dates_x = ""
    return mark_safe(
        f'<g class="chart-row" data-week="{label}" data-total="{show(row.total)}">\n'
        f'      <text class="chart-label" x="8" y="{text_y}">{label}</text>\n'
        f'      <text class="chart-dates" x="{dates_x}" y="{text_y}" text-anchor="end">{dates}</text>\n'
        f"      {segments}\n"
        f'      <text class="chart-numbers" x="{show(bars.totals_x)}" y="{text_y}">{numbers}</text>\n'
        "    </g>"
    )
