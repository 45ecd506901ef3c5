"""Every route of the site, as the URL resolver knows it: for tests that must cover pages added later."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace, e.g. "annotations:claim-detail" or "admin:annotations_claim_change"
    route: str  # the pattern as written: "claims/<int:claim_id>/" or a regular expression
    converters: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def parameters(self) -> list[str]:
        """The names the route needs filled in, converters and regex groups alike."""
        names = re.findall(r"<(?:\w+:)?(\w+)>", self.route)
        return names + [name for name in re.findall(r"\(\?P<(\w+)>", self.route) if name not in names]

    def path(self, **values: Any) -> str:
        """The route with each parameter replaced by str(value) (quoted where a path needs it)."""
        from urllib.parse import quote

        def value(match: re.Match) -> str:
            return quote(str(values[match["name"]]), safe="/")

        path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, self.route)
        path = re.sub(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)", value, path)
        return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            converters = getattr(pattern.pattern, "converters", {})
            yield Route(f"{namespace}{pattern.name}", prefix + str(pattern.pattern), converters)


def routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda route: (route.name, route.route))
