"""Editors upload or paste articles; each file is imported, found as a duplicate or refused."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Article

NBSP = "\u00a0"
pytestmark = pytest.mark.django_db

URL = "/articles/new/"
RIVER = f"Die Elbe führt „deutlich weniger Wasser“ als im Vorjahr – der Pegel liegt bei 1,2{NBSP}Metern."
SCHOOL = "Die Grundschule in Weißenfels bekommt eine neue Turnhalle. Der Bau beginnt im Frühjahr."
CHOIR = "Der Kirchenchor von Bad Düben feiert sein 150-jähriges Bestehen mit einem großen Konzert."


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def results_of(response) -> list[tuple[str, str]]:
    """(file name, outcome) per row of the results page."""
    html = response.content.decode()
    rows = re.findall(r'data-result="(\w+)">\s*<td class="file-name">([^<]*)</td>', html)
    return [(name, outcome) for outcome, name in rows]


def post(client, **data):
    return client.post(URL, data, follow=True)


def test_the_upload_page_has_the_form_hooks(client, editor):
    client.force_login(editor)
    html = client.get(reverse("annotations:article-new")).content.decode()
    assert "data-upload-form" in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    assert 'name="title"' in html and 'name="text"' in html


def test_several_files_of_each_format_are_imported(client, editor):
    client.force_login(editor)
    html_page = (
        "<html lang='de'><head><title>Chor</title><script>var x='SKRIPT';</script><style>p{color:red}</style></head>"
        f"<body><article><p>{CHOIR}</p></article></body></html>"
    )
    files = [
        upload("elbe.txt", RIVER.encode("utf-8")),
        upload("schule.docx", docx_bytes("Quelle: MZ", SCHOOL)),
        upload("chor.html", html_page.encode("utf-8")),
        upload("notiz.md", "Datum: 2021\n\n# Notiz\n\nDer Markt öffnet früher.".encode()),
    ]
    response = post(client, files=files)
    assert response.status_code == 200
    assert results_of(response) == [
        ("elbe.txt", "imported"),
        ("schule.docx", "imported"),
        ("chor.html", "imported"),
        ("notiz.md", "imported"),
    ]
    bodies = dict(Article.objects.values_list("original_filename", "body"))
    assert bodies == {
        "elbe.txt": RIVER,
        "schule.docx": SCHOOL,
        "chor.html": CHOIR,
        "notiz.md": "# Notiz\n\nDer Markt öffnet früher.",
    }
    school = Article.objects.get(original_filename="schule.docx")
    assert (school.source, school.created_by) == ("MZ", editor)
    assert Article.objects.get(original_filename="notiz.md").published_iso == "2021"


def test_windows_1252_upload_arrives_as_the_author_wrote_it(client, editor):
    client.force_login(editor)
    text = "„Grüße aus Gießen“ – schrieb die Oberbürgermeisterin."
    post(client, files=[upload("gruss.txt", text.encode("cp1252"))])
    assert Article.objects.get().body == text


def test_utf16_upload_is_decoded(client, editor):
    client.force_login(editor)
    post(client, files=[upload("utf16.txt", RIVER.encode("utf-16"))])
    assert Article.objects.get().body == RIVER


def test_inline_date_header_gives_month_precision(client, editor):
    client.force_login(editor)
    text = f" date 2022-03 {SCHOOL}"
    response = post(client, files=[upload("agentur.txt", text.encode())])
    article = Article.objects.get()
    assert article.body == SCHOOL
    assert article.published_precision == "month"
    assert article.published_iso == "2022-03"
    assert article.published_display == "März 2022"
    assert article.title == "Die Grundschule in Weißenfels bekommt eine neue Turnhalle"
    assert "1 Artikel importiert" in response.content.decode()


def test_pasted_text_with_and_without_title(client, editor):
    client.force_login(editor)
    post(client, title="Elbe mit wenig Wasser", text=f"\r\n{RIVER}\r\n\r\n")
    post(client, text=f"Quelle: epd\n{SCHOOL}")
    river, school = Article.objects.order_by("id")
    assert (river.title, river.body) == ("Elbe mit wenig Wasser", RIVER)
    assert (school.title, school.source, school.body) == (
        "Die Grundschule in Weißenfels bekommt eine neue Turnhalle",
        "epd",
        SCHOOL,
    )


def test_the_same_text_again_is_a_duplicate_with_a_link(client, editor, chief_editor):
    client.force_login(editor)
    post(client, files=[upload("elbe.txt", RIVER.encode())])
    existing = Article.objects.get()
    client.force_login(chief_editor)
    # Same text after normalisation: other encoding, CRLF, BOM and blank lines.
    response = post(client, files=[upload("elbe-kopie.txt", b"\xef\xbb\xbf\r\n" + RIVER.encode() + b"\r\n")])
    assert Article.objects.count() == 1
    assert results_of(response) == [("elbe-kopie.txt", "duplicate")]
    html = response.content.decode()
    assert f'href="/articles/{existing.pk}/"' in html
    assert "Derselbe Text ist bereits als Artikel" in html


def test_duplicates_within_one_upload(client, editor):
    client.force_login(editor)
    response = post(client, files=[upload("a.txt", CHOIR.encode()), upload("b.txt", CHOIR.encode("cp1252"))])
    assert results_of(response) == [("a.txt", "imported"), ("b.txt", "duplicate")]
    assert Article.objects.count() == 1


def test_one_bad_file_does_not_block_the_others(client, editor):
    client.force_login(editor)
    files = [
        upload("eins.txt", RIVER.encode()),
        upload("bericht.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary"),
        upload("muell.txt", bytes(range(256)) * 8),
        upload("leer.txt", b""),
        upload("zwei.txt", SCHOOL.encode()),
    ]
    response = post(client, files=files)
    assert results_of(response) == [
        ("eins.txt", "imported"),
        ("bericht.pdf", "refused"),
        ("muell.txt", "refused"),
        ("leer.txt", "refused"),
        ("zwei.txt", "imported"),
    ]
    assert sorted(Article.objects.values_list("original_filename", flat=True)) == ["eins.txt", "zwei.txt"]
    html = response.content.decode()
    assert "Der Dateityp „.pdf“ wird nicht unterstützt." in html
    assert "Die Datei ist leer" in html
    assert "2 Artikel importiert" in html and "3 Dateien abgelehnt" in html


def test_damaged_utf8_and_a_late_nul_are_refused_with_their_place_and_store_nothing(client, editor):
    client.force_login(editor)
    damaged = (RIVER + "\n" + SCHOOL).encode().replace("Frühjahr".encode(), b"Fr\xfchjahr")
    full = (RIVER + "\n" + CHOIR).encode()
    cut = full[: full.index("ß".encode()) + 1]  # inside the "ß" of "großen"
    nul = (RIVER + "\n" + SCHOOL * 100 + "\n" + "Nach\x00trag").encode()
    response = post(client, files=[upload("kaputt.txt", damaged), upload("halb.txt", cut), upload("nul.txt", nul)])
    assert results_of(response) == [("kaputt.txt", "refused"), ("halb.txt", "refused"), ("nul.txt", "refused")]
    html = response.content.decode()
    column = len("Die Grundschule in Weißenfels bekommt eine neue Turnhalle. Der Bau beginnt im Fr") + 1
    offset = damaged.index(b"\xfc")
    assert f"in Zeile 2, Zeichen {column} (Byte {offset}) beschädigt" in html
    assert f"endet mitten in einem Zeichen (Zeile 2, Byte {len(cut) - 1})" in html
    assert "in Zeile 3, Zeichen 5 ein NUL-Zeichen" in html
    assert not Article.objects.exists()


def test_damaged_and_bomb_docx_are_refused_in_german_and_the_other_files_imported(client, editor):
    client.force_login(editor)
    good = docx_bytes(SCHOOL)
    parts = zipfile.ZipFile(io.BytesIO(good))
    entries = {info.filename: parts.read(info) for info in parts.infolist()}
    entries["word/document.xml"] = entries["word/document.xml"].replace(b"</w:body>", b"</w:bod>")
    malformed = zip_bytes(entries)
    entries["word/document.xml"] = b"<w:document>" + b"<w:p><w:r><w:t>Wasser</w:t></w:r></w:p>" * 400_000
    bomb = zip_bytes(entries)
    files = [upload("kaputt.docx", malformed), upload("bombe.docx", bomb), upload("schule.docx", good)]
    response = post(client, files=files)
    assert results_of(response) == [("kaputt.docx", "refused"), ("bombe.docx", "refused"), ("schule.docx", "imported")]
    html = response.content.decode()
    assert "Die Word-Datei kann nicht gelesen werden" in html
    assert "Die Word-Datei ist stärker als 100 zu 1 komprimiert" in html
    assert list(Article.objects.values_list("body", flat=True)) == [SCHOOL]


def test_a_web_page_with_too_many_elements_is_refused_in_german(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_HTML_ELEMENTS = 30
    client.force_login(editor)
    page = "<html><body><article>" + "".join(f"<p>{RIVER} ({n})</p>" for n in range(40)) + "</article></body></html>"
    response = post(client, files=[upload("lang.html", page.encode())])
    assert results_of(response) == [("lang.html", "refused")]
    assert "Die Webseite hat 43 Elemente; gelesen werden höchstens 30" in response.content.decode()
    assert not Article.objects.exists()


def test_zip_upload_imports_entries_and_ignores_traversal(client, editor):
    client.force_login(editor)
    archive = zip_bytes(
        {
            "paket/elbe.txt": RIVER.encode(),
            "paket/schule.docx": docx_bytes(SCHOOL),
            "../ausbruch.txt": CHOIR.encode(),
            "/etc/absolut.txt": "Absolut böse.".encode(),
        }
    )
    response = post(client, files=[upload("paket.zip", archive)])
    assert results_of(response) == [
        ("paket.zip/paket/elbe.txt", "imported"),
        ("paket.zip/paket/schule.docx", "imported"),
        ("paket.zip/../ausbruch.txt", "ignored"),
        ("paket.zip//etc/absolut.txt", "ignored"),
    ]
    assert set(Article.objects.values_list("body", flat=True)) == {RIVER, SCHOOL}


def test_zip_bomb_is_refused_and_nothing_is_stored(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_ZIP_RATIO = 50
    client.force_login(editor)
    archive = zip_bytes({"bombe.txt": b"Bombe " * 200_000})
    response = post(client, files=[upload("bombe.zip", archive)])
    assert results_of(response) == [("bombe.zip", "refused")]
    assert "wie es Zip-Bomben sind" in response.content.decode()
    assert not Article.objects.exists()


def test_zip_with_too_many_entries_or_too_much_content_is_refused(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_ZIP_ENTRIES = 2
    settings.NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES = 10_000
    client.force_login(editor)
    many = zip_bytes({f"m{n}.txt": f"Meldung {n} über Füchse.".encode() for n in range(3)})
    big = zip_bytes({"a.txt": ("Schöne Grüße " * 500).encode(), "b.txt": ("Viele Grüße " * 500).encode()})
    response = post(client, files=[upload("viele.zip", many), upload("gross.zip", big)])
    assert results_of(response) == [("viele.zip", "refused"), ("gross.zip", "refused")]
    html = response.content.decode()
    assert "enthält 3 Dateien; erlaubt sind höchstens 2" in html
    assert "Das Zip-Archiv ist entpackt" in html
    assert not Article.objects.exists()


def test_file_over_the_size_limit_is_refused_unread(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 100
    client.force_login(editor)
    response = post(client, files=[upload("lang.txt", ("ä" * 200).encode()), upload("kurz.txt", b"Kurz.")])
    assert results_of(response) == [("lang.txt", "refused"), ("kurz.txt", "imported")]
    assert "Die Datei ist zu groß" in response.content.decode()


def test_pasted_text_over_the_file_limit_is_refused_and_kept(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 100
    client.force_login(editor)
    text = "Übermäßig langer Text. " * 10
    response = client.post(URL, {"text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Der Text ist zu groß" in html and "Übermäßig langer Text." in html
    assert not Article.objects.exists()


def test_request_over_the_upload_limit_gets_413_and_stores_nothing(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = 2000
    client.force_login(editor)
    response = client.post(URL, {"files": [upload("a.txt", RIVER.encode() * 30), upload("b.txt", SCHOOL.encode())]})
    assert response.status_code == 413
    assert "Upload zu groß" in response.content.decode()
    assert not Article.objects.exists()


def test_too_many_files_is_a_form_error_and_stores_nothing(client, editor, settings):
    settings.NEWSROOM_IMPORT_MAX_FILES = 2
    client.force_login(editor)
    files = [upload(f"m{n}.txt", f"Meldung {n} über Störche.".encode()) for n in range(3)]
    response = client.post(URL, {"files": files, "source": "dpa"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Es können höchstens 2 Dateien auf einmal hochgeladen werden; Sie haben 3 gewählt." in html
    assert 'value="dpa"' in html  # what the editor typed is still there
    assert not Article.objects.exists()


def test_empty_form_and_blank_paste_give_german_errors(client, editor):
    client.force_login(editor)
    html = client.post(URL, {"text": " \n "}).content.decode()
    assert "Wählen Sie eine oder mehrere Dateien oder fügen Sie einen Artikeltext ein." in html
    html = client.post(URL, {"title": "Nur ein Titel"}).content.decode()
    assert "Fügen Sie den Artikeltext zu diesem Titel ein." in html
    assert 'value="Nur ein Titel"' in html
    assert not Article.objects.exists()


def test_source_of_the_upload_fills_articles_without_one(client, editor):
    client.force_login(editor)
    post(
        client, source="AFP", files=[upload("a.txt", RIVER.encode()), upload("b.txt", f"Quelle: dpa\n{CHOIR}".encode())]
    )
    assert dict(Article.objects.values_list("body", "source")) == {RIVER: "AFP", CHOIR: "dpa"}


def test_outsider_may_not_upload(client, outsider):
    client.force_login(outsider)
    refused = client.get(URL)
    assert refused.status_code == 403
    assert "Sie haben noch keine Rolle" in refused.content.decode()  # the read rule refuses first
    assert client.post(URL, {"files": [upload("a.txt", RIVER.encode())]}).status_code == 403
    assert not Article.objects.exists()


def test_results_page_is_private_to_the_session(client, editor, fact_checker):
    client.force_login(editor)
    response = client.post(URL, {"files": [upload("a.txt", RIVER.encode())]})
    results_url = response["Location"]
    assert client.get(results_url).status_code == 200
    client.force_login(fact_checker)
    assert client.get(results_url).status_code == 404
