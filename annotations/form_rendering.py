"""A form renderer that writes the plain widgets in Python, with the markup of Django's own widget templates.

Django renders every widget, and every option of a select or a list of checkboxes, through a template of its
own (select.html, select_option.html, attrs.html, ...). The queue's filter form has 14 widgets and dozens of
options: about 8 ms a request at production settings, a sixth of the page. This renderer produces the same
HTML for the templates it knows (inputs, selects, checkbox and radio lists, django-filter's ranges) and hands
any other template to Django's template renderer. annotations/tests/test_form_rendering.py holds the output to Django's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
_CONTEXT = Context(autoescape=True)  # {{ value }} as a template shows it: localized, escaped


class _Unknown(Exception):
    """A template this module does not write: Django's template renders the whole widget."""


def _show(value: Any) -> str:
    """{{ value }}"""
    return render_value_in_context(value, _CONTEXT)


def _string(value: Any) -> str:
    """{{ value|stringformat:'s' }}: the filter keeps a safe string safe and the result is not localized."""
    return str(value) if isinstance(value, SafeData) else escape(value)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_show(name)}" if value is True else f' {_show(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = f' value="{_string(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_show(widget["type"])}" name="{_show(widget["name"])}"{value}{_attrs(widget["attrs"])}>\n'


def _input_option(widget: dict[str, Any]) -> str:
    html = _input(widget)
    if not widget.get("wrap_label"):
        return f"{html}\n"
    label_for = f' for="{_show(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{html} {_show(widget['label'])}</label>\n"


def _select_option(widget: dict[str, Any]) -> str:
    return f'<option value="{_string(widget["value"])}"{_attrs(widget["attrs"])}>{_show(widget["label"])}</option>\n'


def _select(widget: dict[str, Any]) -> str:
    html = [f'<select name="{_show(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_show(group_name)}">')
        html.extend(f"\n  {_render(option)}" for option in group_choices)
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>\n")
    return "".join(html)


def _multiple_input(widget: dict[str, Any]) -> str:
    identifier, css_class = widget["attrs"].get("id"), widget["attrs"].get("class")
    html = [
        "<div",
        f' id="{_show(identifier)}"' if identifier else "",
        f' class="{_show(css_class)}"' if css_class else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            html.append(f"\n  <div><label>{_show(group)}</label>")
        html.extend(f"<div>\n    {_render(option)}</div>" for option in options)
        if group:
            html.append("\n  </div>")
    html.append("\n</div>\n")
    return "".join(html)


def _range(widget: dict[str, Any]) -> str:
    """django_filters/widgets/multiwidget.html: the two fields with a dash between them."""
    html = [_render(subwidget) for subwidget in widget["subwidgets"]]
    return "-".join(html[:2]) + "".join(html[2:]) + "\n"


def _including(render: Callable[[dict[str, Any]], str]) -> Callable[[dict[str, Any]], str]:
    """A template that is just {% include %} of another: that template's output and the file's last line end."""
    return lambda widget: f"{render(widget)}\n"


# Each function returns what its template file writes, down to the newline at the file's end.
_INPUTS = "checkbox color date datetime email file hidden number password search tel text time url".split()
_RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    **{f"{_WIDGETS}{name}.html": _including(_input) for name in _INPUTS},
    f"{_WIDGETS}input.html": _input,
    f"{_WIDGETS}checkbox_option.html": _including(_input_option),
    f"{_WIDGETS}radio_option.html": _including(_input_option),
    f"{_WIDGETS}input_option.html": _input_option,
    f"{_WIDGETS}select_option.html": _select_option,
    f"{_WIDGETS}select.html": _select,
    f"{_WIDGETS}checkbox_select.html": _including(_multiple_input),
    f"{_WIDGETS}radio.html": _including(_multiple_input),
    f"{_WIDGETS}multiple_input.html": _multiple_input,
    "django_filters/widgets/multiwidget.html": _range,
}


def _render(widget: dict[str, Any]) -> str:
    render = _RENDERERS.get(widget["template_name"])
    if render is None:
        raise _Unknown(widget["template_name"])
    return render(widget)


class QuickWidgetRenderer(DjangoTemplates):
    """Django's template renderer, except that the widgets above are written in Python (same HTML)."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        if template_name in _RENDERERS and isinstance(widget, dict) and widget.get("template_name") == template_name:
            try:
                return mark_safe(_render(widget).strip())  # as BaseRenderer.render strips a template's output
            except _Unknown:
                pass
        return super().render(template_name, context, request)


quick_widgets = QuickWidgetRenderer()
