"""Source URLs: refuse what is not a web page, and normalise so the same page is one source.

Pure Python, no Django: the model manager and the forms call `normalise_url`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = {"http": 80, "https": 443}

# Parameters that say where a click came from, not which page it is.
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
TRACKING_PARAMETERS = {
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "mc_cid",
    "mc_eid",
    "igshid",
    "_ga",
    "_gl",
    "ref_src",
    "wt_mc",
    "wt.mc_id",
    "ocid",
}

_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class InvalidURL(ValueError):
    """Not an http(s) address; the message is English, the caller translates its own."""


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The canonical form of an http(s) URL, or InvalidURL.

    Host lower-case (IDN as punycode), default port dropped, no fragment, no user info,
    no tracking parameters; the remaining query parameters keep their order, because some
    sites give them meaning. The path keeps its case.
    """
    text = url.strip()
    if not text:
        raise InvalidURL("empty")
    if _CONTROL.search(text):
        # Browsers drop tabs and new lines inside a URL, so "java\nscript:" would still run.
        raise InvalidURL("control characters or spaces")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise InvalidURL(str(error)) from error
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise InvalidURL(f"scheme {scheme or 'missing'}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise InvalidURL("no host")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise InvalidURL("host") from error
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, ALLOWED_SCHEMES[scheme]) else f"{host}:{port}"
    # Percent-encode what is not ASCII ("Bürger" and "B%C3%BCrger" are one page); keep existing escapes.
    path = quote(parts.path, safe="/:@!$&'()*+,;=-._~%") or "/"
    query = urlencode(
        [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(name)],
        doseq=True,
    )
    return urlunsplit((scheme, netloc, path, query, ""))
