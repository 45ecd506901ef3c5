"""The queue's filter form written by QuickWidgetRenderer is the HTML Django's widget templates write."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory

from annotations.filters import ClaimFilter
from annotations.form_rendering import QuickWidgetRenderer
from annotations.models import Claim

SELECTIONS = [
    None,
    {"status": ["unverified", "verified"], "assignee": "nobody", "ordering": "-changed"},
    {
        "q": '<b>"Zahl" & Co\'s</b>',
        "claimant": "Müller",
        "anchor_state": ["detached"],
        "created_by": "a<&>b",
        "created_after": "2024-01-31",
        "changed_before": "kein Datum",
        "article": "keine Zahl",
        "has_evidence": "true",
        "reopen_requested": "false",
        "withdrawn": "only",
        "ordering": "nonsense",
    },
]


@pytest.mark.django_db
@pytest.mark.parametrize("data", SELECTIONS)
def test_every_filter_widget_is_written_as_djangos_templates_write_it(data: dict | None) -> None:
    users = get_user_model().objects
    users.create_user(username="a<&>b", first_name='Anna "die Erste"', password="x")
    users.create_user(username="zoe", password="x")
    request = RequestFactory().get("/claims/")
    request.user = users.get(username="zoe")
    quick = ClaimFilter(data, queryset=Claim.objects.all(), request=request).form
    templates = ClaimFilter(data, queryset=Claim.objects.all(), request=request).form
    templates.renderer = DjangoTemplates()
    assert isinstance(quick.renderer, QuickWidgetRenderer)
    assert quick.is_bound == (data is not None)
    for name in quick.fields:
        expected = str(templates[name])
        assert str(quick[name]) == expected, name
        assert expected.startswith(("<input", "<select", "<div")), name
    if data and "article" in data:
        assert "aria-invalid" in str(quick["article"])  # the errors' attributes come through too
