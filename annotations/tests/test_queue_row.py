"""{% queue_row %} and {% overview_row %} write the rows their templates wrote: the same markup, escaping, dates and
translations."""
# ruff: noqa: E501  (the template row below is copied verbatim, long lines and all)

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, engines
from django.utils import timezone, translation

from annotations.lib import charts
from annotations.models import AnchorState, Claim
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_user

# The row as claim_list.html wrote it before the tag.
TEMPLATE_ROW = """{% load i18n snippets badges %}<tr data-claim-row="{{ claim.pk }}"{% if claim.is_withdrawn %} class="withdrawn" data-withdrawn{% endif %}>
      {% if can_check %}<td><input type="checkbox" name="claims" value="{{ claim.pk }}" aria-label="{% blocktranslate with id=claim.pk %}Select claim #{{ id }}{% endblocktranslate %}"></td>{% endif %}
      <td class="col-status"><div class="badges">{% status_badge claim.status claim.get_status_display %}{% if claim.is_withdrawn %}<span class="badge withdrawn">{% translate "Withdrawn" %}</span>{% endif %}{% anchor_badge claim %}</div></td>
      <td class="col-claim"><a href="{{ claim.get_absolute_url }}">{{ claim.statement }}</a>{% if claim.claimant %}<span class="meta"> – <span class="person">{{ claim.claimant }}</span></span>{% endif %}<div class="meta quote-snippet">{{ claim.quote|quote_snippet:90 }}</div></td>
      <td class="col-article"><a href="{{ claim.article.get_absolute_url }}" class="clamp" title="{{ claim.article.title }}">{{ claim.article.title }}</a></td>
      <td class="col-person">{% if claim.assignee %}<span class="person">{{ claim.assignee.get_full_name|default:claim.assignee.get_username }}</span>{% else %}<span class="meta">{% translate "nobody" %}</span>{% endif %}</td>
      <td class="col-number">{{ claim.evidence_count }}</td>
      <td class="col-dates"><time datetime="{{ claim.created_at|date:'c' }}">{{ claim.created_at|date:"SHORT_DATE_FORMAT" }}</time><div class="meta person">{{ claim.created_by.get_full_name|default:claim.created_by.get_username }}</div><div class="meta">{% translate "Changed" %} <time datetime="{{ claim.updated_at|date:'c' }}">{{ claim.updated_at|date:"SHORT_DATE_FORMAT" }}</time></div></td>
    </tr>"""

# A week of the overview's chart as includes/week_chart.html wrote it before the tag.
TEMPLATE_CHART_ROW = """{% load l10n %}{% localize off %}{% for row in chart.bars.rows %}<g class="chart-row" data-week="{{ row.label }}" data-total="{{ row.total }}">
      <text class="chart-label" x="8" y="{{ row.text_y }}">{{ row.label }}</text>
      <text class="chart-dates" x="{{ chart.bars.bar_x|add:'-8' }}" y="{{ row.text_y }}" text-anchor="end">{{ row.dates }}</text>
      {% for segment in row.segments %}
      <rect class="chart-bar status-{{ segment.status }}" x="{{ segment.x }}" y="{{ row.bar_y }}" width="{{ segment.width }}" height="{{ chart.bars.bar_height }}" data-status="{{ segment.status }}" data-count="{{ segment.count }}"><title>{{ row.label }} ({{ row.dates }}): {{ segment.count }}</title></rect>
      {% endfor %}
      <text class="chart-numbers" x="{{ chart.bars.totals_x }}" y="{{ row.text_y }}">{% if row.total %}{% for status, count in row.counts %}{% if count %}<tspan class="chart-number status-{{ status }}">{% if status == "verified" %}✓{% elif status == "disputed" %}✗{% else %}?{% endif %} {{ count }}</tspan> {% endif %}{% endfor %}{% else %}–{% endif %}</text>
    </g>{% endfor %}{% endlocalize %}"""

# A row of the overview's lists as includes/claim_rows.html wrote it before the tag.
TEMPLATE_OVERVIEW_ROW = """{% load i18n badges %}<li data-claim-row="{{ claim.pk }}">
    <div class="badges-inline">{% status_badge claim.status claim.get_status_display %}{% anchor_badge claim %}</div>
    <a href="{{ claim.get_absolute_url }}" class="row-statement">{{ claim.statement }}</a>
    <span class="meta clamp-1" title="{{ claim.article.title }}">{{ claim.article.title }}</span>
    <span class="meta row-facts">
      {% if date == "checked" and claim.verified_at %}{% translate "Finished" context "claim date" %} <time datetime="{{ claim.verified_at|date:'c' }}">{{ claim.verified_at|date:"SHORT_DATETIME_FORMAT" }}</time>{% if claim.verified_by %} · {% translate "by" context "claim date" %} <span class="person">{{ claim.verified_by.get_full_name|default:claim.verified_by.get_username }}</span>{% endif %}
      {% elif date == "requested" and claim.reopen_requested_at %}{% translate "Reopening asked for" context "claim date" %} <time datetime="{{ claim.reopen_requested_at|date:'c' }}">{{ claim.reopen_requested_at|date:"SHORT_DATETIME_FORMAT" }}</time>{% if claim.reopen_requested_by %} · {% translate "by" context "claim date" %} <span class="person">{{ claim.reopen_requested_by.get_full_name|default:claim.reopen_requested_by.get_username }}</span>{% endif %}
      {% elif date == "changed" %}{% translate "Changed" context "claim date" %} <time datetime="{{ claim.updated_at|date:'c' }}">{{ claim.updated_at|date:"SHORT_DATETIME_FORMAT" }}</time>
      {% else %}{% translate "Created" context "claim date" %} <time datetime="{{ claim.created_at|date:'c' }}">{{ claim.created_at|date:"SHORT_DATE_FORMAT" }}</time>{% endif %}
      {% if show_assignee %} · {% translate "Assigned to" %}: {% if claim.assignee %}<span class="person">{{ claim.assignee.get_full_name|default:claim.assignee.get_username }}</span>{% else %}{% translate "nobody" %}{% endif %}{% endif %}
    </span>
  </li>"""


def _render(source: str, claim: Claim, can_check: bool = False, **more: Any) -> str:
    template = engines["django"].engine.from_string(source)
    return template.render(Context({"claim": claim, "can_check": can_check, **more}))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_tag_writes_the_row_the_template_wrote(editor: Any, fact_checker: Any, language: str) -> None:
    article = make_article(by=editor, title='Haushalt <2027> & "Schulden"')
    plain = make_claim(article, by=editor)
    marked = make_claim(article, by=editor, statement='Die <b>Zahl</b> & "mehr"')
    anonymous = make_user("ohne-namen")
    Claim.objects.filter(pk=marked.pk).update(
        claimant="Müller & <Co>",
        assignee=fact_checker,
        anchor_state=AnchorState.ORPHANED,
        withdrawn_at=timezone.now(),
        created_at=datetime(2024, 12, 31, 23, 30, tzinfo=UTC),
    )
    Claim.objects.filter(pk=plain.pk).update(assignee=anonymous, anchor_state=AnchorState.MOVED)
    add_evidence(plain, by=fact_checker)
    claims = list(Claim.objects.with_related().with_evidence_count().order_by("id"))
    assert [claim.evidence_count for claim in claims] == [1, 0]
    rows = 0
    with translation.override(language):
        for claim in claims:
            for can_check in (True, False):
                expected = _render(TEMPLATE_ROW, claim, can_check)
                assert _render("{% load queue %}{% queue_row claim can_check %}", claim, can_check) == expected
                rows += 1
    assert rows == 4
    assert "&lt;b&gt;Zahl" in _render("{% load queue %}{% queue_row claim True %}", claims[1], True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_the_overview_row_is_the_row_the_template_wrote(editor: Any, fact_checker: Any, language: str) -> None:
    article = make_article(by=editor, title='Haushalt <2027> & "Schulden"')
    plain = make_claim(article, by=editor)
    finished = make_claim(article, by=editor, statement='Die <b>Zahl</b> & "mehr"')
    asked = make_claim(article, by=editor, statement="Noch eine")
    nameless = make_user("ohne-namen")
    late = datetime(2024, 12, 31, 23, 30, tzinfo=UTC)
    Claim.objects.filter(pk=finished.pk).update(
        assignee=fact_checker, verified_at=late, verified_by=nameless, anchor_state=AnchorState.ORPHANED
    )
    Claim.objects.filter(pk=asked.pk).update(
        assignee=nameless, verified_at=late, reopen_requested_at=late, reopen_requested_by=fact_checker
    )
    claims = list(Claim.objects.with_related().select_related("reopen_requested_by").order_by("id"))
    assert [claim.pk for claim in claims] == [plain.pk, finished.pk, asked.pk]
    tag = "{% load queue %}{% overview_row claim date show_assignee %}"
    rows = 0
    with translation.override(language):
        for claim in claims:
            for date in ("created", "checked", "changed", "requested"):
                for show_assignee in (True, False):
                    more = {"date": date, "show_assignee": show_assignee}
                    assert _render(tag, claim, **more) == _render(TEMPLATE_OVERVIEW_ROW, claim, **more)
                    rows += 1
    assert rows == 24
    finished_row = _render(tag, claims[1], date="checked", show_assignee=True)
    assert "&lt;b&gt;Zahl" in finished_row and "ohne-namen" in finished_row


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_chart_row_is_the_markup_the_template_wrote(language: str) -> None:
    weeks = [
        ("KW 45", "03.–09.11.", {"verified": 7, "disputed": 2, "unverifiable": 1}),
        ("KW 46", "10.–16.11.", {"verified": 0, "disputed": 0, "unverifiable": 0}),
        ("KW 47", "28.09.–04.10.", {"verified": 1234, "disputed": 0, "unverifiable": 3}),
    ]
    chart = SimpleNamespace(bars=charts.stacked_bars(weeks, ["verified", "disputed", "unverifiable"]))
    assert any(isinstance(s.width, float) and not s.width.is_integer() for r in chart.bars.rows for s in r.segments)
    tag = "{% load l10n queue %}{% localize off %}{% for row in chart.bars.rows %}{% chart_row row chart.bars %}{% endfor %}{% endlocalize %}"
    with translation.override(language):
        expected = engines["django"].engine.from_string(TEMPLATE_CHART_ROW).render(Context({"chart": chart}))
        written = engines["django"].engine.from_string(tag).render(Context({"chart": chart}))
    assert written == expected
    assert written.count("<g ") == 3 and "✓ 1234" in written and ">–</text>" in written
