"""`manage.py import_articles PATH...`: files, folders and zips, a summary, exit status 1 on refusals."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from annotations.models import Article

pytestmark = pytest.mark.django_db

HARBOUR = "Der Hafen von Wismar meldet „Rekordumschlag“ – 3,1\u00a0Millionen Tonnen im Jahr."
FERRY = "Die Fähre nach Poel fährt ab Mai wieder stündlich. Die Gemeinde begrüßt das."
BRIDGE = "Die Klappbrücke über die Trave wird für 14\u00a0Tage gesperrt."


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def folder_with_articles(root: Path) -> Path:
    folder = root / "meldungen"
    (folder / "unter").mkdir(parents=True)
    (folder / "hafen.txt").write_bytes(HARBOUR.encode("cp1252"))
    (folder / "unter" / "faehre.md").write_text(f"Datum: 2023-04\n\n{FERRY}", encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bruecke.txt", BRIDGE.encode("utf-16"))
        archive.writestr("../raus.txt", b"Ausbruch")
    (folder / "paket.zip").write_bytes(buffer.getvalue())
    return folder


def test_folder_with_files_and_zip_is_imported_with_a_summary(tmp_path, editor):
    folder = folder_with_articles(tmp_path)
    out, err = run(str(folder), "--source", "Ostsee-Zeitung", "--user", editor.username)
    assert "Importiert: 3, Duplikate: 0, abgelehnt: 0, übergangen: 1" in out
    assert "paket.zip/../raus.txt: Übergangen" in out
    assert "100%" in err  # the progress bar
    articles = {article.body: article for article in Article.objects.all()}
    assert set(articles) == {HARBOUR, FERRY, BRIDGE}
    assert {article.source for article in articles.values()} == {"Ostsee-Zeitung"}
    assert {article.created_by for article in articles.values()} == {editor}
    assert articles[FERRY].published_iso == "2023-04"


def test_running_again_finds_duplicates_and_succeeds(tmp_path):
    folder = folder_with_articles(tmp_path)
    run(str(folder))
    out, _ = run(str(folder))
    assert "Importiert: 0, Duplikate: 3, abgelehnt: 0" in out
    assert Article.objects.count() == 3
    assert Article.objects.filter(created_by__isnull=True).count() == 3


def test_refused_files_are_listed_and_the_exit_status_is_1(tmp_path):
    (tmp_path / "gut.txt").write_text(HARBOUR, encoding="utf-8")
    (tmp_path / "bericht.pdf").write_bytes(b"%PDF-1.7 \x00\x01\x02")
    (tmp_path / "leer.txt").write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_articles", str(tmp_path), "--no-progress", stdout=out, stderr=err)
    assert error.value.returncode == 1
    summary = out.getvalue()
    assert "Importiert: 1, Duplikate: 0, abgelehnt: 2" in summary
    assert "bericht.pdf: Der Dateityp „.pdf“ wird nicht unterstützt." in summary
    assert "leer.txt: Die Datei ist leer" in summary
    assert list(Article.objects.values_list("body", flat=True)) == [HARBOUR]


def test_manage_py_exits_with_status_1_when_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "kaputt.docx").write_bytes(b"kein Word")
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "import_articles", "--no-progress", str(tmp_path / "kaputt.docx")]).execute()
    assert exit_info.value.code == 1
    assert "Die Word-Datei kann nicht gelesen werden" in capsys.readouterr().out


def test_manage_py_exits_with_status_0_when_all_are_imported(tmp_path, capsys):
    (tmp_path / "gut.txt").write_text(FERRY, encoding="utf-8")
    ManagementUtility(["manage.py", "import_articles", "--no-progress", str(tmp_path / "gut.txt")]).execute()
    assert "Importiert: 1" in capsys.readouterr().out


def test_unknown_user_or_path_is_an_error(tmp_path):
    (tmp_path / "gut.txt").write_text(FERRY, encoding="utf-8")
    with pytest.raises(CommandError, match="Es gibt keinen Benutzer „niemand“"):
        run(str(tmp_path), "--user", "niemand")
    with pytest.raises(CommandError, match="nicht gefunden"):
        run(str(tmp_path / "fehlt.txt"))
    assert not Article.objects.exists()


def test_user_without_the_editor_role_gets_every_file_refused(tmp_path, outsider):
    (tmp_path / "gut.txt").write_text(FERRY, encoding="utf-8")
    with pytest.raises(CommandError):
        run(str(tmp_path), "--user", outsider.username)
    assert not Article.objects.exists()


def test_file_over_the_limit_is_refused_without_reading(tmp_path, settings):
    settings.NEWSROOM_IMPORT_MAX_FILE_BYTES = 50
    (tmp_path / "lang.txt").write_text(HARBOUR * 3, encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", str(tmp_path / "lang.txt"), "--no-progress", stdout=out)
    assert "lang.txt: Die Datei ist zu groß" in out.getvalue()
    assert not Article.objects.exists()
