"""Text positions in article bodies. Pure Python: no Django.

Offsets count Unicode code points (Python str indices), start inclusive, end
exclusive, as the W3C Web Annotation model's TextPositionSelector does.
A claim keeps its quote with a prefix and suffix of up to CONTEXT_LENGTH code
points, so it can be found again if the body changes.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


class QuoteMismatch(ValueError):
    """The quote sent with a selection is not the text at its offsets."""


def span_at(body: str, start: int, end: int) -> Span:
    """The span body[start:end] with its context; ValueError for impossible offsets."""
    if not (0 <= start < end <= len(body)):
        raise ValueError(f"offsets {start}-{end} outside a body of {len(body)} characters")
    return Span(
        start=start,
        end=end,
        quote=body[start:end],
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
    )


def checked_span(body: str, start: int, end: int, quote: str) -> Span:
    """The span at the offsets, provided the quote matches the body there exactly."""
    span = span_at(body, start, end)
    if span.quote != quote:
        raise QuoteMismatch(f"quote does not match the body at {start}-{end}")
    return span
