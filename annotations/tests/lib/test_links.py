"""Source URLs, without a database: only web addresses, and one spelling per page."""

import pytest

from annotations.lib.links import InvalidURL, normalise_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.ORG/Seite", "https://www.example.org/Seite"),
        ("https://www.example.org:443/a", "https://www.example.org/a"),
        ("http://www.example.org:80/a", "http://www.example.org/a"),
        ("http://www.example.org:8080/a", "http://www.example.org:8080/a"),
        ("https://www.example.org/a#abschnitt-2", "https://www.example.org/a"),
        ("https://www.example.org/a?utm_source=nl&utm_medium=mail&id=7", "https://www.example.org/a?id=7"),
        ("https://www.example.org/a?fbclid=xyz&gclid=1&msclkid=2&seite=3", "https://www.example.org/a?seite=3"),
        ("https://www.example.org/a?UTM_Campaign=x", "https://www.example.org/a"),
        ("https://www.example.org/a?b=2&a=1", "https://www.example.org/a?b=2&a=1"),
        ("https://www.example.org", "https://www.example.org/"),
        ("  https://www.example.org/a  ", "https://www.example.org/a"),
        ("https://user:secret@www.example.org/a", "https://www.example.org/a"),
        ("https://de.wikipedia.org/wiki/Straßenbahn", "https://de.wikipedia.org/wiki/Stra%C3%9Fenbahn"),
        ("https://münchen.example/rathaus", "https://xn--mnchen-3ya.example/rathaus"),
    ],
)
def test_normalised_form(url, expected):
    assert normalise_url(url) == expected


def test_spellings_of_one_page_become_one_url():
    spellings = [
        "https://www.example.org/haushalt?utm_source=twitter",
        "https://WWW.EXAMPLE.ORG/haushalt#tabelle",
        "https://www.example.org:443/haushalt?fbclid=abc",
    ]
    assert {normalise_url(url) for url in spellings} == {"https://www.example.org/haushalt"}


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "DATA:image/svg+xml;base64,PHN2Zz4=",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://ftp.example.org/a",
        "mailto:redaktion@example.org",
        "//www.example.org/a",
        "www.example.org/a",
        "https://",
        "",
        "https://www.example.org:99999/a",
    ],
)
def test_anything_but_http_and_https_is_refused(url):
    with pytest.raises(InvalidURL):
        normalise_url(url)
