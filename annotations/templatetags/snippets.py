"""Text cut for display in templates, by the one helper module (annotations.lib.snippets)."""

from __future__ import annotations

from django import template

from annotations.lib import anchoring, snippets

register = template.Library()


@register.filter
def shorten(text: str, max_length: int) -> str:
    """{{ title|shorten:80 }}: at most that many characters, cut after a whole word."""
    return snippets.shorten(str(text or ""), int(max_length))


@register.filter
def quoted(text: str) -> str:
    """{{ claim.quote|quoted }}: in „…“, unless the quote carries its own quotation marks."""
    return snippets.quoted(str(text or ""))


@register.filter
def quote_snippet(text: str, max_length: int) -> str:
    """{{ claim.quote|quote_snippet:90 }}: shortened at a whole word, in quotation marks."""
    return snippets.quote_snippet(str(text or ""), int(max_length))


@register.filter
def is_quoted(text: str) -> bool:
    return snippets.is_quoted(str(text or ""))


@register.filter
def context_before(prefix: str, max_length: int | None = None) -> str:
    """{{ claim.prefix|context_before }}: the stored words before a quote, from a whole word on.

    A prefix shorter than the stored context length reaches back to the start of the article.
    """
    prefix = str(prefix or "")
    complete = len(prefix) < anchoring.CONTEXT_LENGTH
    return snippets.context_before(prefix, complete=complete, max_length=int(max_length) if max_length else None)


@register.filter
def context_after(suffix: str, max_length: int | None = None) -> str:
    """{{ claim.suffix|context_after }}: the stored words after a quote, up to a whole word."""
    suffix = str(suffix or "")
    complete = len(suffix) < anchoring.CONTEXT_LENGTH
    return snippets.context_after(suffix, complete=complete, max_length=int(max_length) if max_length else None)
