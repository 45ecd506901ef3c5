"""Importing files as articles: the database side of `annotations.lib.documents`.

Shared by the upload page and `manage.py import_articles`. Each file is stored in its own
transaction, so one bad file never blocks or half-stores the others; refusals carry a message
in the editor's language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from annotations.lib import documents, snippets
from annotations.models import Article, NearDuplicate, PendingVersion, WorkflowError


class Outcome:
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    NEW_VERSION = "new_version"  # matches an article: offered as its new version
    UPDATED = "updated"  # matched an article and became its new version (the import command's --new-versions)
    REFUSED = "refused"
    IGNORED = "ignored"


class Versions:
    """What to do with a text that matches an existing article (same URL, or same source and title)."""

    OFFER = "offer"  # keep it for an editor to accept as the new version (the upload page)
    APPLY = "apply"  # make it the new version at once
    SEPARATE = "separate"  # import it as an article of its own, as if nothing matched


@dataclass
class ImportResult:
    """What happened to one file; plain data, so a results page can keep it in the session."""

    name: str
    outcome: str
    article_id: int | None = None
    title: str = ""
    message: str = ""
    pending_id: int | None = None
    # The title was made from the text's first words: the results page asks for a better one.
    title_generated: bool = False
    # The stored article whose text is almost this one, and how much of it is the same (0 to 1).
    near_duplicate_id: int | None = None
    similarity: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def limits() -> documents.Limits:
    return documents.Limits(
        max_file_bytes=settings.NEWSROOM_IMPORT_MAX_FILE_BYTES,
        max_zip_uncompressed_bytes=settings.NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES,
        max_zip_ratio=settings.NEWSROOM_IMPORT_MAX_ZIP_RATIO,
        max_zip_entries=settings.NEWSROOM_IMPORT_MAX_ZIP_ENTRIES,
        max_html_elements=settings.NEWSROOM_IMPORT_MAX_HTML_ELEMENTS,
    )


# Refusals whose size and limit are counts, not bytes.
_COUNTS = frozenset({"zip_entries", "zip_ratio", "docx_zip_entries", "docx_zip_ratio", "html_elements"})


def refusal_message(refusal: documents.Refused) -> str:
    """The reason for the editor, with what to do about it."""
    params = dict(refusal.params)
    for key in ("size", "limit"):
        if isinstance(params.get(key), int) and refusal.code not in _COUNTS:
            params[key] = filesizeformat(params[key])
    messages = {
        "unsupported": gettext(
            "The file type “%(suffix)s” is not supported. Upload .txt, .md, .html, .htm, .docx or .zip files."
        ),
        "encoding": gettext(
            "The text encoding was not recognised (UTF-8, UTF-16 with BOM or Windows-1252). "
            "Save the file as UTF-8 and upload it again."
        ),
        "utf8": gettext(
            "The file is UTF-8 but damaged at line %(line)s, character %(column)s (byte %(offset)s): that byte "
            "belongs to no character. Nothing was imported. Check the place, save the file as UTF-8 and upload it "
            "again."
        ),
        "utf8_truncated": gettext(
            "The file ends in the middle of a character (line %(line)s, byte %(offset)s): it was probably cut off "
            "when it was copied. Nothing was imported. Upload the complete file."
        ),
        "nul": gettext(
            "The file contains a NUL character at line %(line)s, character %(column)s, which is no text. "
            "Nothing was imported. Remove the character and upload the file again."
        ),
        "binary": gettext("The file is not a text file. Upload .txt, .md, .html, .htm, .docx or .zip files."),
        "empty": gettext("The file is empty: it contains no article text."),
        "too_large": gettext("The file is too large (%(size)s); the limit is %(limit)s."),
        "html": gettext("No article text was found in the web page."),
        "html_elements": gettext(
            "The web page has %(count)s elements; at most %(limit)s are read, far more than an article needs. "
            "Save only the article (the browser’s reader view, or its text as a .txt file) and upload it again."
        ),
        "docx": gettext("The Word file cannot be read; is it a .docx file (Word 2007 or newer)?"),
        "docx_too_large": gettext(
            "The Word file holds more text than an article may have (at most %(limit)s); it was not read to the end."
        ),
        "docx_zip_entries": gettext("The Word file consists of %(count)s parts; at most %(limit)s are allowed."),
        "docx_zip_size": gettext("The Word file unpacks to %(size)s; at most %(limit)s are allowed."),
        "docx_zip_ratio": gettext(
            "The Word file is compressed more than %(limit)s to 1, as zip bombs are; it was not unpacked."
        ),
        "zip": gettext("The zip archive is damaged and cannot be read."),
        "zip_entries": gettext("The zip archive has %(count)s files; at most %(limit)s are allowed."),
        "zip_size": gettext("The zip archive unpacks to %(size)s; at most %(limit)s are allowed."),
        "zip_ratio": gettext(
            "The zip archive is compressed more than %(limit)s to 1, as zip bombs are; it was not unpacked."
        ),
        "nested_zip": gettext("Zip archives inside zip archives are not unpacked."),
        "encrypted": gettext("The file in the zip archive is encrypted."),
        "unsafe_path": gettext("Ignored: the path leaves the archive (absolute path or “..”)."),
    }
    return messages.get(refusal.code, gettext("The file cannot be imported.")) % params


def import_document(
    document: documents.ParsedDocument, *, by: Any, source: str = "", versions: str = Versions.OFFER
) -> ImportResult:
    """Store one parsed text as an article, or say why not.

    A text whose URL, or source and title, match an article is that article's new version: offered
    (OFFER), applied (APPLY) or ignored (SEPARATE). A text that is almost an article's (a few words
    changed) is offered as its new version on the upload page; elsewhere it is imported with a note,
    because a similarity is a guess and a new version rewrites the article's text.
    """
    document = documents.with_defaults(document, source=source)
    near: NearDuplicate | None = None
    try:
        if Article.objects.with_body(document.body) is None:
            match = Article.objects.matching(document) if versions != Versions.SEPARATE else None
            if match is not None:
                return _new_version(document, match, by=by, versions=versions)
            near = next(iter(Article.objects.near_duplicates(document.body, limit=1)), None)
            if near is not None and versions == Versions.OFFER:
                return _new_version(document, near.article, by=by, versions=versions, near=near)
        article, created = Article.objects.import_document(document, by=by)
    except WorkflowError as error:
        return ImportResult(document.name, Outcome.REFUSED, message=str(error))
    if created:
        result = ImportResult(
            document.name, Outcome.IMPORTED, article.pk, article.title, title_generated=article.title_generated
        )
        if near is not None:
            result.near_duplicate_id, result.similarity = near.article.pk, near.similarity
            result.message = near_duplicate_message(near)
        return result
    return ImportResult(
        document.name,
        Outcome.DUPLICATE,
        article.pk,
        article.title,
        gettext("The same text is already stored as article “%(title)s”.") % {"title": article.title},
    )


def near_duplicate_message(near: NearDuplicate) -> str:
    return gettext("Almost the same text as article #%(id)s “%(title)s” (%(percent)s of its wording).") % {
        "id": near.article.pk,
        "title": near.article.title,
        "percent": f"{near.similarity:.0%}",
    }


def _new_version(
    document: documents.ParsedDocument,
    article: Article,
    *,
    by: Any,
    versions: str,
    near: NearDuplicate | None = None,
) -> ImportResult:
    if versions == Versions.APPLY:
        correction = article.correct(
            document.body,
            by=by,
            comment=gettext("New version from the import of %(name)s.") % {"name": document.name or "?"},
        )
        return ImportResult(
            document.name, Outcome.UPDATED, article.pk, article.title, correction_summary(correction.counts)
        )
    if by is None or not by.has_perm("annotations.add_article"):
        raise WorkflowError(gettext("You may not add articles."))
    pending = PendingVersion.objects.create(
        article=article,
        body=document.body,
        # A title made from the first words is made again if the text becomes an article of its own.
        title="" if document.title_generated else snippets.shorten(document.title, 300),
        source=snippets.shorten(document.source, 200),
        author=snippets.shorten(document.author, 200),
        url=document.url if len(document.url) <= 2000 else "",
        original_filename=document.name[-255:],
        uploaded_by=by,
    )
    if near is not None:
        message = near_duplicate_message(near) + " " + gettext("A new version of it, or an article of its own?")
    else:
        message = gettext(
            "This looks like a new version of article “%(title)s” (same address, or same source and title)."
        ) % {"title": article.title}
    return ImportResult(
        document.name,
        Outcome.NEW_VERSION,
        article.pk,
        article.title,
        message,
        pending_id=pending.pk,
        near_duplicate_id=near.article.pk if near else None,
        similarity=near.similarity if near else None,
    )


def correction_summary(counts: Counter[str]) -> str:
    """What a correction did to the claims, in one sentence."""
    return gettext("Claims: %(moved)d moved with their words, %(flagged)d to review, %(orphaned)d without a place.") % {
        "moved": counts["moved"],
        "flagged": counts["flagged"],
        "orphaned": counts["orphaned"],
    }


def import_file(
    name: str, data: bytes, *, by: Any, source: str = "", versions: str = Versions.OFFER
) -> Iterator[ImportResult]:
    """Import one file (an archive: each of its files), one transaction per article."""
    for result in documents.iter_documents(name, data, limits()):
        if result.document is not None:
            yield import_document(result.document, by=by, source=source, versions=versions)
        elif result.ignored is not None:
            yield ImportResult(result.name, Outcome.IGNORED, message=refusal_message(result.ignored))
        else:
            assert result.refused is not None
            yield ImportResult(result.name, Outcome.REFUSED, message=refusal_message(result.refused))


def refuse_too_large(name: str, size: int) -> ImportResult:
    """A file over the limit is refused before it is read."""
    refusal = documents.Refused("too_large", size=size, limit=settings.NEWSROOM_IMPORT_MAX_FILE_BYTES)
    if documents.suffix_of(name) in documents.ZIP_SUFFIXES:
        refusal = documents.Refused("too_large", size=size, limit=settings.NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES)
    return ImportResult(name, Outcome.REFUSED, message=refusal_message(refusal))


def max_read_bytes(name: str) -> int:
    """How large a file may be before we read it: archives hold many articles."""
    if documents.suffix_of(name) in documents.ZIP_SUFFIXES:
        return settings.NEWSROOM_IMPORT_MAX_ZIP_UNCOMPRESSED_BYTES
    return settings.NEWSROOM_IMPORT_MAX_FILE_BYTES
