"""Import article files, folders and zip archives: `manage.py import_articles PATH...`."""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext
from tqdm import tqdm

from annotations import importing
from annotations.importing import ImportResult, Outcome
from annotations.lib import documents


def _files(paths: list[str]) -> list[Path]:
    """The files named, and every file in the folders named, in a stable order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(sorted(item for item in path.rglob("*") if item.is_file() and not item.name.startswith(".")))
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(gettext("No such file or folder: %(path)s") % {"path": name})
    return found


def _units(path: Path) -> int:
    """How many steps a file is on the progress bar: an archive is one per entry."""
    if documents.suffix_of(path.name) in documents.ZIP_SUFFIXES:
        try:
            with zipfile.ZipFile(path) as archive:
                return max(1, len(archive.infolist()))
        except (zipfile.BadZipFile, OSError):
            return 1
    return 1


class Command(BaseCommand):
    help = "Import .txt, .md, .html, .docx files, folders of them and zip archives as articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files, folders or zip archives.")
        parser.add_argument("--source", default="", help="Source for articles whose file names none, e.g. dpa.")
        parser.add_argument("--user", default="", help="Username recorded as uploader (needs the Editor role).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (for logs).")
        parser.add_argument(
            "--new-versions",
            action="store_true",
            help="A file with the URL, or the source and title, of an existing article becomes that article's "
            "new version: its text is corrected and its claims re-anchored (needs --user). Without this, "
            "such a file is imported as an article of its own.",
        )

    def handle(
        self,
        *args: Any,
        paths: list[str],
        source: str,
        user: str,
        no_progress: bool,
        new_versions: bool,
        **options: Any,
    ) -> None:
        uploader = self._user(user)
        if new_versions and uploader is None:
            raise CommandError(gettext("--new-versions needs --user: corrections are recorded with who made them."))
        versions = importing.Versions.APPLY if new_versions else importing.Versions.SEPARATE
        files = _files(paths)
        counts: Counter[str] = Counter()
        problems: list[ImportResult] = []
        with tqdm(
            total=sum(_units(path) for path in files),
            unit=" files",
            disable=no_progress,
            file=self.stderr._out,
            dynamic_ncols=True,
        ) as bar:
            for result in self._results(files, uploader, source, versions):
                counts[result.outcome] += 1
                # Near duplicates are imported here (nobody is there to decide), but named.
                if result.outcome in (Outcome.REFUSED, Outcome.IGNORED, Outcome.UPDATED) or result.near_duplicate_id:
                    problems.append(result)
                bar.update(1)
        self._summary(counts, problems)
        if counts[Outcome.REFUSED]:
            raise CommandError(gettext("%(count)d file(s) refused.") % {"count": counts[Outcome.REFUSED]}, returncode=1)

    def _user(self, username: str) -> Any:
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(gettext("No user named “%(name)s”.") % {"name": username}) from None

    def _results(self, files: list[Path], uploader: Any, source: str, versions: str) -> Iterator[ImportResult]:
        for path in files:
            size = path.stat().st_size
            if size > importing.max_read_bytes(path.name):
                yield importing.refuse_too_large(str(path), size)
                continue
            yield from importing.import_file(
                str(path), path.read_bytes(), by=uploader, source=source, versions=versions
            )

    def _summary(self, counts: Counter[str], problems: list[ImportResult]) -> None:
        for result in problems:
            self.stdout.write(f"{result.name}: {result.message}")
        self.stdout.write(
            gettext("Imported: %(imported)d, duplicates: %(duplicate)d, refused: %(refused)d, ignored: %(ignored)d")
            % {key: counts[key] for key in (Outcome.IMPORTED, Outcome.DUPLICATE, Outcome.REFUSED, Outcome.IGNORED)}
        )
        if counts[Outcome.UPDATED]:
            self.stdout.write(
                gettext("New versions of existing articles: %(count)d") % {"count": counts[Outcome.UPDATED]}
            )
