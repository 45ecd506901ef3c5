"""The newsroom's domain: articles, the claims in them, sources, evidence and history.

State changes of a claim are model methods. Each one checks the actor's permission,
locks the row, compares the version the actor saw, writes its ClaimEvent in the same
transaction and refuses instead of overwriting.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from annotations import searching
from annotations.lib import anchoring, documents, fingerprints, links, snippets

User = settings.AUTH_USER_MODEL


class WorkflowError(Exception):
    """A refused action; the message is written for the editor."""


class PermissionRefused(WorkflowError):
    pass


class VersionConflict(WorkflowError):
    """Somebody else changed the claim since the form was loaded."""

    def __init__(self, claim: Claim, since_version: int) -> None:
        super().__init__(
            gettext(
                "Somebody changed this claim while you were working on it. "
                "Nothing was saved: review the changes below and try again."
            )
        )
        self.claim = claim
        self.since_version = since_version

    @property
    def changes(self) -> models.QuerySet[ClaimEvent]:
        """What happened to the claim after the version the actor saw."""
        return self.claim.events.filter(version__gt=self.since_version).select_related("actor")


def local_minute(moment: Any) -> str:
    """A time to the minute in the newsroom's time zone, as the pages and the admin's rows show it."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require(user: Any, perm: str, message: str) -> None:
    if not (user and user.is_active and user.has_perm(perm)):
        raise PermissionRefused(message)


# The one read rule of the app: reading articles, claims, sources, their history and the
# names in it needs a role. Every role grants this permission; a user in no group (or in a
# group without it) reads nothing. The middleware, the QuerySets' visible_to and the exports
# all ask here.
READ_PERMISSION = "annotations.view_claim"


def can_read(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(READ_PERMISSION))


# --- Articles -----------------------------------------------------------------------


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class ArticleLanguage(models.TextChoices):
    """The languages a newsroom's articles come in; BCP 47 codes, as exports write them."""

    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    ITALIAN = "it", _("Italian")
    SPANISH = "es", _("Spanish")
    DUTCH = "nl", _("Dutch")
    POLISH = "pl", _("Polish")
    CZECH = "cs", _("Czech")
    DANISH = "da", _("Danish")
    TURKISH = "tr", _("Turkish")
    RUSSIAN = "ru", _("Russian")
    UKRAINIAN = "uk", _("Ukrainian")
    ARABIC = "ar", _("Arabic")
    OTHER = "und", _("Other language")

    @classmethod
    def of(cls, code: str) -> str:
        """The choice for a code found in a file ("de-AT", "EN"): its language, "und" when not listed."""
        primary = code.strip().split("-")[0].split("_")[0].lower()
        return primary if primary in cls.values else cls.OTHER.value


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ArticleQuerySet(models.QuerySet["Article"]):
    def visible_to(self, user: Any) -> ArticleQuerySet:
        """The articles this user may read: all of them with a role, none without (see can_read)."""
        return self if can_read(user) else self.none()

    def with_claim_counts(self) -> ArticleQuerySet:
        """Annotate counts of the claims that stand (not withdrawn), in all and per status: one query.

        Each count is a subquery on the claims of one article, so the database counts only for the
        articles it returns (a page of the list), not for all of them before the page is cut.
        """

        def standing(**conditions: Any) -> Coalesce:
            claims = Claim.objects.filter(STANDING, article=OuterRef("pk"), **conditions).order_by().values("article")
            return Coalesce(Subquery(claims.annotate(n=Count("id")).values("n")), 0)

        counts = {f"count_{status}": standing(status=status) for status in ClaimStatus.values}
        return self.annotate(claim_count=standing(), **counts)

    def with_open_claims(self) -> ArticleQuerySet:
        return self.filter(claims__status__in=OPEN_STATUSES, claims__withdrawn_at__isnull=True).distinct()

    def with_body(self, body: str) -> Article | None:
        """The article that has exactly this (normalised) body, if one does."""
        return self.filter(content_hash=body_hash(body)).first()

    def matching(self, document: documents.ParsedDocument) -> Article | None:
        """The article a newly arrived text is probably a version of: the same URL, or the same
        source and title (agencies send "2. Fassung" under the same headline). Newest first.

        Only titles somebody wrote count: two titles made from first words say no more than the
        texts do, and those are compared as near duplicates (near_duplicates).
        """
        title = "" if document.title_generated else snippets.shorten(document.title, 300).strip()
        same = Q(url=document.url.strip()) if document.url.strip() else Q()
        if document.source.strip() and title:
            same |= Q(source__iexact=document.source.strip(), title__iexact=title, title_generated=False)
        if not same:
            return None
        return self.filter(same).order_by("-created_at", "-id").first()

    def search(self, text: str | searching.Prepared, *, ranked: bool = False) -> ArticleQuerySet:
        """Articles matching the search box text (German full text; `annotations.searching`), title over body.

        ranked: the best of the newest matches, annotated with `search_rank`.
        """
        return searching.search(self, text, title="title", fields=["title", "body"], ranked=ranked)

    def with_headline(self, text: str | searching.Prepared) -> ArticleQuerySet:
        """With `search_headline`: the body's passages around the hits of the search box text."""
        return searching.with_headline(self, text, "body")

    def near_duplicates(self, body: str, *, limit: int = 3) -> list[NearDuplicate]:
        """Articles whose text is almost this one (a few words changed), most similar first.

        Bounded work whatever the archive's size: the articles that share a key with the text
        (annotations.lib.fingerprints; an index lookup) are candidates, and only the
        NEAR_DUPLICATE_CANDIDATES sharing the most keys are compared word run by word run.
        """
        keys = fingerprints.keys(body)
        if not keys:
            return []
        shared = (
            ArticleFingerprint.objects.filter(key__in=keys)
            .values_list("article_id")
            .annotate(n=Count("id"))
            .order_by("-n", "-article_id")[:NEAR_DUPLICATE_CANDIDATES]
        )
        candidates = (
            self.filter(pk__in=[article_id for article_id, _ in shared])
            .exclude(content_hash=body_hash(body))
            # The words compared are the first fingerprints.MAX_WORDS: no need to read a longer body whole.
            .annotate(head=Substr("body", 1, NEAR_DUPLICATE_HEAD_CHARS))
            .defer("body")
        )
        mine = fingerprints.shingles(body)
        found = []
        for article in candidates:
            similarity = fingerprints.similarity(mine, fingerprints.shingles(article.head))
            if similarity >= fingerprints.NEAR_DUPLICATE:
                found.append(NearDuplicate(article, similarity))
        found.sort(key=lambda near: (-near.similarity, -near.article.pk))
        return found[:limit]

    def import_document(self, document: documents.ParsedDocument, *, by: Any) -> tuple[Article, bool]:
        """Store a parsed file as an article in its own transaction: (article, True), or the
        article that already has exactly this body: (existing, False). `by=None` is the system
        (the import command without --user)."""
        if by is not None:
            _require(by, "annotations.add_article", gettext("You may not add articles."))
        digest = body_hash(document.body)
        existing = self.filter(content_hash=digest).first()
        if existing is not None:
            return existing, False
        url = document.url if len(document.url) <= 2000 else ""
        try:
            if url:
                URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            url = ""  # a broken URL in a file's metadata is not worth refusing the article for
        article = Article(
            title=snippets.shorten(document.title or documents.make_title(document.body), 300),
            title_generated=document.title_generated or not document.title,
            body=document.body,
            language=ArticleLanguage.of(document.language) if document.language else ArticleLanguage.GERMAN,
            source=snippets.shorten(document.source, 200),
            author=snippets.shorten(document.author, 200),
            url=url,
            published_on=document.published.date if document.published else None,
            published_precision=document.published.precision if document.published else "",
            original_filename=document.name[-255:],
            created_by=by,
            updated_by=by,
        )
        try:
            with transaction.atomic():
                article.save()
                article.store_fingerprint()
        except IntegrityError:
            # Somebody stored the same text a moment ago (two uploads at once): that one counts.
            existing = self.filter(content_hash=digest).first()
            if existing is None:
                raise
            return existing, False
        return article, True


# How many articles sharing keys with a new text are compared with it, and how much of each.
NEAR_DUPLICATE_CANDIDATES = 10
NEAR_DUPLICATE_HEAD_CHARS = 300_000


class Article(models.Model):
    title = models.CharField(_("title"), max_length=300)
    # A text without a title gets one from its first words at import (documents.make_title): lists
    # mark it, so editors know nobody chose it, until somebody sets the title.
    title_generated = models.BooleanField(
        _("title generated"),
        default=False,
        help_text=_("Made from the first words of the text at import; nobody has set the title yet."),
    )
    body = models.TextField(
        _("body"),
        help_text=_("The normalised plain text; every claim's offsets point into it."),
    )
    language = models.CharField(
        _("language"), max_length=12, choices=ArticleLanguage.choices, default=ArticleLanguage.GERMAN
    )
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("Publication or agency, e.g. dpa."))
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    published_on = models.DateField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("For a month or year precision, the first day of that month or year."),
    )
    published_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, blank=True
    )
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True, editable=False)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # Counts the bodies: 1 as imported, one more with each correction. Pages send it back with
    # their forms, so a form made for an earlier text is re-anchored or refused, never applied blindly.
    text_version = models.PositiveIntegerField(_("text version"), default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["source"]),
            models.Index(fields=["published_on"]),
            # Newest first: the article list and the dashboard's recent articles.
            models.Index(fields=["created_at", "id"], name="article_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_on__isnull=True, published_precision="")
                | Q(published_on__isnull=False, published_precision__in=DatePrecision.values),
                name="article_date_has_precision",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.content_hash = body_hash(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("annotations:article-detail", args=[self.pk])

    def set_title(self, title: str, *, by: Any) -> None:
        """An editor's title, replacing one made at import (or any other)."""
        _require(by, "annotations.change_article", gettext("You may not change articles."))
        title = " ".join(title.split())
        if not title:
            raise WorkflowError(gettext("The title is empty. Write a title; nothing was changed."))
        if len(title) > self._meta.get_field("title").max_length:
            raise WorkflowError(gettext("The title is too long (at most 300 characters). Nothing was changed."))
        self.title, self.title_generated, self.updated_by = title, False, by
        self.save(update_fields=["title", "title_generated", "updated_by", "updated_at"])

    def store_fingerprint(self) -> None:
        """Replace the keys that find this article's near duplicates: after an import or a new body."""
        ArticleFingerprint.objects.filter(article=self).delete()
        ArticleFingerprint.objects.bulk_create(
            ArticleFingerprint(article=self, key=key) for key in fingerprints.keys(self.body)
        )

    def clean(self) -> None:
        """The same text twice is one article: say which, instead of failing on the unique hash."""
        super().clean()
        twin = Article.objects.filter(content_hash=body_hash(self.body)).exclude(pk=self.pk).only("title").first()
        if twin is not None:
            message = _("An article with exactly this text exists already: “%(title)s” (no. %(id)s).")
            raise ValidationError({"body": message % {"title": twin.title, "id": twin.pk}})

    @property
    def published_iso(self) -> str:
        """The published date at its precision: 2022, 2022-03 or 2022-03-24."""
        if not self.published_on:
            return ""
        iso = self.published_on.isoformat()
        return {"year": iso[:4], "month": iso[:7]}.get(self.published_precision, iso)

    # -- corrections ------------------------------------------------------------------

    def correct(self, body: str, *, by: Any, comment: str = "", expected_version: int | None = None) -> Correction:
        """Replace the body, keep the old one as a revision and re-anchor every claim, all at once.

        The one way an article's text changes (the correction page, the admin, a new version from
        an upload or the import command). The body is normalised like an import. Claims move with
        their words where that is certain, are flagged where their words changed a little, and are
        orphaned where their words are gone or their key content changed; a finished claim whose
        words changed in any way goes back to review. `expected_version` is the text version the
        editor started from: a correction made meanwhile is not overwritten.
        """
        _require(by, "annotations.change_article", gettext("You may not correct articles."))
        comment = comment.strip()
        with transaction.atomic():
            locked = Article.objects.select_for_update().get(pk=self.pk)
            body = locked.checked_correction(body, expected_version)
            revision = ArticleRevision.objects.create(
                article=locked,
                number=locked.text_version,
                body=locked.body,
                content_hash=locked.content_hash,
                replaced_by=by,
                comment=comment,
            )
            old_body = locked.body
            locked.body = body
            locked.text_version += 1
            locked.updated_by = by
            locked.save()
            locked.store_fingerprint()
            claims = list(
                Claim.objects.filter(article=locked).exclude(anchor_state=AnchorState.ORPHANED).select_for_update()
            )
            outcomes = anchoring.locate(old_body, body, [claim.anchoring_fields() for claim in claims])
            correction = Correction(locked, revision)
            shifted: list[Claim] = []
            moves: list[ClaimEvent] = []
            for claim, outcome in zip(claims, outcomes, strict=True):
                kind = claim._follow_correction(outcome, body, revision, locked.text_version, by, moves)
                correction.counts[kind] += 1
                if kind in ("moved", "context"):
                    shifted.append(claim)
            _save_shifted(shifted)
            ClaimEvent.objects.bulk_create(moves, batch_size=500)
        for name in ("body", "text_version", "content_hash", "updated_by", "updated_at"):
            setattr(self, name, getattr(locked, name))
        return correction

    def live_stamp(self, user: Any) -> str:
        """A short text that changes whenever this user's page of the article would; see views.live.

        The live article page asks for it every few seconds instead of reading the claims: two
        small indexed queries while nothing happens. It is made of the claims this user may read
        (the one read rule, Claim.objects.visible_to): their count, the sum of their versions, the
        newest id and the latest change; and of the newest change of a source they cite, which
        their cards show (Source.change leaves the claims' versions alone). Every change of a claim
        bumps its version; a new claim has a larger id and adds to the count; a withdrawn, restored
        or deleted one changes the count; so any one change alters the stamp. Corrections change
        `text_version`, which the page compares on its own. (One query that annotates all of this
        costs more: compiling its expressions took longer than running two plain ones.)
        """
        claims = (
            Claim.objects.visible_to(user)
            .for_article(self)
            .aggregate(count=Count("pk"), versions=Sum("version"), newest=Max("pk"), changed=Max("updated_at"))
        )
        sources = SourceChange.objects.for_claims_of(self).aggregate(newest=Max("pk"))
        changed = claims["changed"].isoformat() if claims["changed"] else ""
        return f"{claims['count']}.{claims['versions']}.{claims['newest']}.{changed}/{sources['newest']}"

    def checked_correction(self, body: str, expected_version: int | None = None) -> str:
        """The corrected body, normalised like an import; WorkflowError if it cannot replace this one.

        Article.correct asks on the locked row; the admin's form asks first, for its error messages.
        """
        body = documents.normalise(body)
        if not body:
            raise WorkflowError(gettext("The text is empty. An article needs its text; nothing was changed."))
        limit = settings.NEWSROOM_IMPORT_MAX_FILE_BYTES
        if len(body.encode("utf-8")) > limit:
            raise WorkflowError(
                gettext("The text is too long (more than %(limit)s). Nothing was changed.")
                % {"limit": filesizeformat(limit)}
            )
        if expected_version is not None and self.text_version != expected_version:
            raise TextConflict(self, expected_version)
        if body == self.body:
            raise WorkflowError(gettext("The text is unchanged; there is nothing to correct."))
        if Article.objects.filter(content_hash=body_hash(body)).exclude(pk=self.pk).exists():
            raise WorkflowError(gettext("Another article has exactly this text. Nothing was changed."))
        return body

    def body_at(self, version: int) -> str | None:
        """The body as it was in that text version; None if there is no such version."""
        if version == self.text_version:
            return self.body
        return self.revisions.filter(number=version).values_list("body", flat=True).first()

    @property
    def published_display(self) -> str:
        """The published date for people, in the active language: "März 2022"."""
        if not self.published_on:
            return ""
        if self.published_precision == DatePrecision.YEAR:
            return str(self.published_on.year)
        if self.published_precision == DatePrecision.MONTH:
            return date_format(self.published_on, "F Y")
        return date_format(self.published_on, "DATE_FORMAT")


def _save_shifted(claims: list[Claim]) -> None:
    """Save claims whose words moved unchanged: many, so one UPDATE per shift, not one per claim.

    Between two edits every claim moves by the same amount; only claims near an edit have new
    context (prefix, suffix) and are written one by one.
    """
    now = timezone.now()
    by_shift: dict[tuple[int, str], list[int]] = {}
    for claim in claims:
        if claim.context_changed:
            Claim.objects.filter(pk=claim.pk).update(
                start=claim.start,
                end=claim.end,
                prefix=claim.prefix,
                suffix=claim.suffix,
                anchor_state=claim.anchor_state,
                updated_at=now,
            )
        else:
            by_shift.setdefault((claim.shift, claim.anchor_state), []).append(claim.pk)
    for (shift, state), ids in by_shift.items():
        Claim.objects.filter(pk__in=ids).update(
            start=F("start") + shift, end=F("end") + shift, anchor_state=state, updated_at=now
        )


class ArticleFingerprint(models.Model):
    """One of an article's keys for finding its near duplicates (annotations.lib.fingerprints.keys).

    Written by Article.store_fingerprint whenever an article arrives or its body changes; a new
    text's keys looked up here name the few articles worth comparing it with.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="fingerprints", verbose_name=_("article")
    )
    key = models.BigIntegerField(_("key"))

    class Meta:
        verbose_name = _("near-duplicate key")
        verbose_name_plural = _("near-duplicate keys")
        default_permissions: tuple[str, ...] = ()
        indexes = [models.Index(fields=["key"], name="article_fingerprint_key")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.key}"


@dataclass(frozen=True)
class NearDuplicate:
    """An article whose text is almost a new one's, and the share of word runs they have in common."""

    article: Article
    similarity: float


class ArticleRevision(models.Model):
    """An earlier body of an article: text version `number`, replaced by a correction."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("article"))
    number = models.PositiveIntegerField(_("text version"), default=1)
    body = models.TextField(_("earlier body"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    replaced_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("replaced by")
    )
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True, help_text=_("What the correction changed, and why."))

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article} ({local_minute(self.replaced_at)})"


class PendingVersion(models.Model):
    """A text that arrived for an article it matches (the same URL, or the same source and title):
    kept until an editor accepts it as the article's new version or imports it as an article of its own."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pending_versions", verbose_name=_("article")
    )
    body = models.TextField(_("body"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("new version waiting")
        verbose_name_plural = _("new versions waiting")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article} ({local_minute(self.uploaded_at)})"

    def accept(self, *, by: Any) -> Correction:
        """Make this text the article's current version, through the one correction method."""
        name = self.original_filename or gettext("pasted text")
        with transaction.atomic():
            correction = self.article.correct(
                self.body, by=by, comment=gettext("New version from the upload of %(name)s.") % {"name": name}
            )
            self.delete()
        return correction

    def import_separately(self, *, by: Any) -> tuple[Article, bool]:
        """Store the text as an article of its own after all."""
        document = documents.ParsedDocument(
            name=self.original_filename,
            body=self.body,
            title=self.title,
            source=self.source,
            author=self.author,
            url=self.url,
        )
        with transaction.atomic():
            result = Article.objects.import_document(document, by=by)
            self.delete()
        return result


class TextConflict(WorkflowError):
    """Somebody corrected the article after the editor loaded the text."""

    def __init__(self, article: Article, since_version: int) -> None:
        latest = article.revisions.select_related("replaced_by").order_by("-number").first()
        who = (
            (latest.replaced_by.get_full_name() or latest.replaced_by.get_username())
            if latest and latest.replaced_by
            else "?"
        )
        super().__init__(
            gettext(
                "%(who)s corrected the text while you were working on it (now version %(version)s). "
                "Nothing was saved: your text is kept below; compare it with the current one and save again."
            )
            % {"who": who, "version": article.text_version}
        )
        self.article = article
        self.since_version = since_version


@dataclass
class Correction:
    """What one correction did: the revision it made and how many claims moved, were flagged, orphaned."""

    article: Article
    revision: ArticleRevision
    counts: Counter[str] = field(default_factory=Counter)


# --- Claims -------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    UNVERIFIED = "unverified", pgettext_lazy("claim status", "Unverified")
    IN_REVIEW = "in_review", pgettext_lazy("claim status", "In review")
    VERIFIED = "verified", pgettext_lazy("claim status", "Verified")
    DISPUTED = "disputed", pgettext_lazy("claim status", "Disputed")
    UNVERIFIABLE = "unverifiable", pgettext_lazy("claim status", "Unverifiable")


OPEN_STATUSES = (ClaimStatus.UNVERIFIED, ClaimStatus.IN_REVIEW)
FINISHED_STATUSES = (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIABLE)

# What Claim.edit may change, in the order the history lists it, and the part of it a
# verdict rests on: a finished claim whose checked words change goes back to review.
EDIT_FIELDS = ("statement", "claimant", "note", "quote", "start", "end")
CHECKED_FIELDS = {"statement", "claimant", "quote", "start", "end"}

# The workflow of DESIGN.md, without reopening (a separate action with its own permission).
TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.UNVERIFIED: {ClaimStatus.IN_REVIEW},
    ClaimStatus.IN_REVIEW: {
        ClaimStatus.UNVERIFIED,
        ClaimStatus.VERIFIED,
        ClaimStatus.DISPUTED,
        ClaimStatus.UNVERIFIABLE,
    },
    ClaimStatus.VERIFIED: set(),
    ClaimStatus.DISPUTED: set(),
    ClaimStatus.UNVERIFIABLE: set(),
}


REOPEN_LABEL = pgettext_lazy("status form", "Reopen (back to “In review”)")


@dataclass(frozen=True)
class StatusOption:
    """A step of the workflow as a status form offers it: possible now, or why not."""

    value: str
    label: str
    reason: str = ""  # why this user cannot take the step now; empty when they can
    needs_comment: bool = False  # possible only with a comment (unverifiable, reopening)

    @property
    def available(self) -> bool:
        return not self.reason


# A claim that has not been withdrawn; the lists show only these unless asked.
STANDING = Q(withdrawn_at__isnull=True)


class AnchorState(models.TextChoices):
    EXACT = "exact", _("Exact")
    MOVED = "moved", _("Moved")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    ORPHANED = "orphaned", _("Orphaned")


# What a correction leaves for somebody to look at.
FLAGGED_STATES = (AnchorState.NEEDS_REVIEW, AnchorState.ORPHANED)


class ClaimQuerySet(models.QuerySet["Claim"]):
    def visible_to(self, user: Any, *, withdrawn: bool = False) -> ClaimQuerySet:
        """The claims this user may read (none without a role, see can_read); withdrawn ones only when asked.

        Every page, fragment, embedded JSON and export starts here, so a withdrawn claim is
        left out everywhere unless a filter asks for it.
        """
        if not can_read(user):
            return self.none()
        return self if withdrawn else self.current()

    def current(self) -> ClaimQuerySet:
        """The claims that stand: not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self) -> ClaimQuerySet:
        return self.filter(withdrawn_at__isnull=False)

    def reopen_requested(self) -> ClaimQuerySet:
        """Finished claims somebody asked a chief editor to reopen, not answered yet."""
        return self.filter(reopen_requested_at__isnull=False)

    def verified(self) -> ClaimQuerySet:
        return self.filter(status=ClaimStatus.VERIFIED)

    def open(self) -> ClaimQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def finished(self) -> ClaimQuerySet:
        return self.filter(status__in=FINISHED_STATUSES)

    def with_status(self, *statuses: str) -> ClaimQuerySet:
        return self.filter(status__in=statuses)

    def for_article(self, article: Article | int) -> ClaimQuerySet:
        return self.filter(article=article)

    def assigned_to(self, user: Any) -> ClaimQuerySet:
        return self.filter(assignee=user)

    def unassigned(self) -> ClaimQuerySet:
        return self.filter(assignee__isnull=True)

    def with_related(self) -> ClaimQuerySet:
        # Lists show the article's title, never its body: don't carry every body along with each row.
        return self.select_related("article", "created_by", "assignee", "verified_by").defer("article__body")

    def with_evidence_count(self) -> ClaimQuerySet:
        """Annotate `evidence_count`. A subquery, not a join with COUNT: a page computes it for its own rows,
        and counting the rows of a filtered list (the paginator) leaves it out instead of grouping them all."""
        per_claim = Evidence.objects.filter(claim=OuterRef("pk")).order_by().values("claim")
        count = Subquery(per_claim.annotate(n=Count("pk")).values("n")[:1], output_field=models.IntegerField())
        return self.annotate(evidence_count=Coalesce(count, 0))

    def flagged(self) -> ClaimQuerySet:
        """Claims a correction of their article left to look at: words changed, or no place any more."""
        return self.filter(anchor_state__in=FLAGGED_STATES)

    def in_place(self) -> ClaimQuerySet:
        """Claims on their words in the current text (exactly, or moved with them)."""
        return self.exclude(anchor_state__in=FLAGGED_STATES)

    def finished_since(self, moment: datetime.datetime) -> ClaimQuerySet:
        return self.finished().filter(verified_at__gte=moment)

    def finished_per_week(self, weeks: int, today: datetime.date) -> list[tuple[datetime.date, dict[str, int]]]:
        """For each of the last `weeks` weeks (Monday to Sunday, newsroom time; this one last), the claims
        finished in it per finished status, by when they were finished. One query over an index.

        The weeks' boundaries are computed here, in the newsroom's time zone, and each row is put in its
        week by comparing its time with them: no time zone conversion per row, and count(*) over the
        index that holds when and with which verdict (claim_standing_checked), without reading the table.
        """
        first = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
        mondays = [first + datetime.timedelta(weeks=number) for number in range(weeks)]
        starts = [timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min)) for monday in mondays]
        tally: dict[datetime.date, dict[str, int]] = {monday: dict.fromkeys(FINISHED_STATUSES, 0) for monday in mondays}
        # Newest week first: the first boundary a time reaches names its week.
        week = Case(
            *(When(verified_at__gte=start, then=Value(number)) for number, start in reversed(list(enumerate(starts)))),
            default=Value(-1),
            output_field=models.IntegerField(),
        )
        rows = (
            self.finished_since(starts[0])
            .annotate(week=week)
            .order_by()
            .values_list("week", "status")
            .annotate(n=Count("*"))
        )
        for number, status, count in rows:
            if 0 <= number < weeks:
                tally[mondays[number]][status] += count
        return list(tally.items())

    def oldest_open_first(self) -> ClaimQuerySet:
        return self.open().order_by("created_at", "id")

    def search(self, text: str | searching.Prepared, *, ranked: bool = False) -> ClaimQuerySet:
        """Claims whose statement, quote or claimant match the search box text; see ArticleQuerySet.search."""
        return searching.search(self, text, title="statement", fields=["statement", "quote", "claimant"], ranked=ranked)

    def with_headline(self, text: str | searching.Prepared) -> ClaimQuerySet:
        """With `search_headline`: the quote with the hits of the search box text marked."""
        return searching.with_headline(self, text, "quote")

    def similar_to(
        self, text: str, *, limit: int = 5, exclude_article: int | None = None, exclude_claim: int | None = None
    ) -> list[searching.SimilarClaim]:
        """ "Already checked?": these claims that say what text says, best first, with their differences."""
        return searching.similar_claims(
            self, text, limit=limit, exclude_article=exclude_article, exclude_claim=exclude_claim
        )

    def counts_by_status(self) -> dict[str, int]:
        # count(*), not count(id): an index holding the status answers without reading the table.
        rows = self.order_by().values_list("status").annotate(n=Count("*"))
        counts = dict.fromkeys(ClaimStatus.values, 0)
        counts.update(dict(rows))
        return counts

    def counts_by_status_up_to(self, cap: int) -> dict[str, int] | None:
        """counts_by_status() when at most `cap` claims are selected, None when more.

        Reads the status of at most cap + 1 rows: for a selection no index counts (a text search that
        matches 40,000 claims), counting exactly would read every matching row of the table.
        """
        statuses = list(self.order_by().values_list("status", flat=True)[: cap + 1])
        if len(statuses) > cap:
            return None
        counts = dict.fromkeys(ClaimStatus.values, 0)
        counts.update(Counter(statuses))
        return counts


def claim_stamp(version: int, newest_source_change: int | None) -> str:
    """What the live page compares to know that a claim's card changed: the claim's version and the
    newest change of a source it cites since it was linked (SourceChange.objects.for_claims_of)."""
    return f"{version}.{newest_source_change or 0}"


class ClaimManager(models.Manager.from_queryset(ClaimQuerySet)):  # type: ignore[misc]
    def create_from_selection(
        self,
        *,
        article: Article,
        start: int,
        end: int,
        quote: str,
        statement: str,
        by: Any,
        claimant: str = "",
        note: str = "",
        text_version: int | None = None,
    ) -> Claim:
        """Create a claim for the exact words at start:end; refuse a quote that does not match.

        `text_version` is the version of the text the editor selected in. If the article was
        corrected since, the selection is re-anchored to the current text where that is certain
        (the claim's `moved_to_current_text` is then set) and refused otherwise.
        """
        _require(by, "annotations.add_claim", gettext("You may not create claims."))
        with transaction.atomic():
            # Locked against a correction arriving between the check and the insert.
            current = Article.objects.select_for_update().get(pk=article.pk)
            moved = False
            if text_version is not None and text_version != current.text_version:
                start, end, quote = _selection_in_current_text(current, text_version, start, end, quote)
                moved = True
            span = _selected_span(current.body, start, end, quote)
            claim = self.create(
                article=current,
                **span.as_fields(),
                statement=statement,
                claimant=claimant,
                note=note,
                created_by=by,
            )
            claim._record(ClaimEvent.Kind.CREATED, by, to_status=claim.status)
        claim.moved_to_current_text = moved
        return claim


def _selected_span(body: str, start: int, end: int, quote: str) -> anchoring.Span:
    """The selection as a span of the body, or a WorkflowError saying what to do."""
    try:
        span = anchoring.checked_span(body, start, end, quote)
    except anchoring.QuoteMismatch as error:
        raise WorkflowError(
            gettext(
                "The selected passage no longer matches the article text. "
                "Reload the article and select the passage again."
            )
        ) from error
    except ValueError as error:
        raise WorkflowError(gettext("The selected passage lies outside the article text.")) from error
    if anchoring.splits_grapheme(body, start) or anchoring.splits_grapheme(body, end):
        raise WorkflowError(gettext("The selection cuts a character in two (an emoji or an accent). Select again."))
    return span


def _selection_in_current_text(
    article: Article, version: int, start: int, end: int, quote: str
) -> tuple[int, int, str]:
    """A selection made in an earlier text version, moved to the current text if that is certain."""
    old_body = article.body_at(version)
    if old_body is None or old_body[start:end] != quote or not 0 <= start < end <= len(old_body):
        raise WorkflowError(
            gettext("The selected passage does not match the article text. Reload the article and select it again.")
        )
    claim = {"id": 0, "start": start, "end": end, "quote": quote}
    (anchor,) = anchoring.reanchor(old_body, article.body, [claim])
    if anchor is None or anchor.needs_review:
        raise WorkflowError(
            gettext(
                "The article was corrected while you were selecting, and the words you selected changed. "
                "Nothing was saved: select the passage again in the current text."
            )
        )
    return anchor.start, anchor.end, article.body[anchor.start : anchor.end]


class Claim(models.Model):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims", verbose_name=_("article"))
    start = models.PositiveIntegerField(_("start"), help_text=_("Code point offset, inclusive."))
    end = models.PositiveIntegerField(_("end"), help_text=_("Code point offset, exclusive."))
    quote = models.TextField(_("quote"), help_text=_("The exact words of the article."))
    prefix = models.CharField(_("text before"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(_("text after"), max_length=anchoring.CONTEXT_LENGTH, blank=True)
    statement = models.TextField(_("claim"), help_text=_("The claim in the editor's words."))
    claimant = models.CharField(_("claimant"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.UNVERIFIED)
    assignee = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
        verbose_name=_("assignee"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    anchor_state = models.CharField(
        _("anchoring"), max_length=16, choices=AnchorState.choices, default=AnchorState.EXACT
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="created_claims", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    # Who brought the claim to its current finished status, and when; empty while open.
    verified_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    # A withdrawn claim keeps its row and its history; it is left out of the article's highlights,
    # the queue, the counts and the exports unless asked for, and a chief editor can restore it.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    # Somebody who may not reopen a finished claim asks a chief editor to: open while these are set (the
    # history has the reason). Answered by reopening or declining; cleared whenever the claim leaves the
    # finished statuses, so an old request never comes back with a later verdict.
    reopen_requested_at = models.DateTimeField(_("reopening asked for at"), null=True, blank=True, editable=False)
    reopen_requested_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("reopening asked for by"),
    )

    objects = ClaimManager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["article_id", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0) & Q(end__gt=F("start")), name="claim_span_valid"),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
        ]
        # The queue and the dashboard read standing claims newest or oldest first, all or of one status:
        # each of those is an index scan that stops after a page, however many claims there are.
        indexes = [
            models.Index(fields=["created_at", "id"], condition=STANDING, name="claim_standing_created"),
            models.Index(fields=["status", "created_at", "id"], condition=STANDING, name="claim_standing_status"),
            models.Index(fields=["updated_at", "id"], condition=STANDING, name="claim_standing_changed"),
            models.Index(
                fields=["status", "updated_at", "id"], condition=STANDING, name="claim_standing_status_changed"
            ),
            models.Index(
                fields=["created_at", "id"], condition=STANDING & Q(status__in=OPEN_STATUSES), name="claim_open_created"
            ),
            # Whose claims, by status: "my queue", and the queue's counts for "assigned to me / nobody".
            models.Index(fields=["assignee", "status"], condition=STANDING, name="claim_standing_assignee"),
            models.Index(fields=["article", "start"]),
            # Finished claims by when they were finished: the overview's "today" and its weekly chart.
            # With the verdict in the index, the chart counts its weeks without reading the table.
            models.Index(
                fields=["verified_at", "status"],
                condition=STANDING & Q(verified_at__isnull=False),
                name="claim_standing_checked",
            ),
            # The claims a correction left to look at, newest change first: few, however many claims there are.
            models.Index(
                fields=["updated_at", "id"],
                condition=STANDING & Q(anchor_state__in=FLAGGED_STATES),
                name="claim_standing_flagged",
            ),
            # The chief editor's overview: the requests to reopen, oldest first.
            models.Index(
                fields=["reopen_requested_at", "id"],
                condition=STANDING & Q(reopen_requested_at__isnull=False),
                name="claim_reopen_requested",
            ),
        ]
        permissions = [
            ("change_claim_status", _("Can change the verification status of claims")),
            ("reopen_claim", _("Can reopen finished claims")),
            ("assign_claim", _("Can assign claims to anyone")),
            ("export_claims", _("Can export claims")),
            ("withdraw_claim", _("Can withdraw any claim")),
            ("restore_claim", _("Can restore withdrawn claims")),
        ]

    def __str__(self) -> str:
        return snippets.shorten(self.statement, 80)

    def get_absolute_url(self) -> str:
        return reverse("annotations:claim-detail", args=[self.pk])

    # -- history -------------------------------------------------------------------

    def _record(self, kind: str, actor: Any, **fields: Any) -> ClaimEvent:
        return ClaimEvent.objects.create(claim=self, kind=kind, actor=actor, version=self.version, **fields)

    def _locked(self, expected_version: int | None, *, withdrawn_ok: bool = False) -> Claim:
        """The row, locked for this transaction; refuse if it moved past the version seen.

        Every change of a claim passes here, so a withdrawn claim is refused in one place
        (the page, the card, the queue's bulk actions, the admin and its actions alike).
        """
        locked = Claim.objects.select_for_update().get(pk=self.pk)
        if expected_version is not None and locked.version != expected_version:
            raise VersionConflict(
                claim=locked,
                since_version=expected_version,
            )
        if locked.withdrawn_at is not None and not withdrawn_ok:
            raise WorkflowError(gettext("The claim is withdrawn. A chief editor can restore it; then try again."))
        return locked

    def _bump(self, locked: Claim, **changes: Any) -> None:
        """Write the changes and the next version, only if the row still has the version read.

        The row lock already serialises writers on PostgreSQL; the version condition in the
        UPDATE keeps that promise on a database without row locks too.
        """
        changes["updated_at"] = timezone.now()
        if "status" in changes and changes["status"] not in FINISHED_STATUSES:
            # Reopened, edited or re-anchored back to review: a request to reopen is answered.
            changes.update(reopen_requested_at=None, reopen_requested_by=None)
        written = Claim.objects.filter(pk=locked.pk, version=locked.version).update(version=F("version") + 1, **changes)
        if written != 1:
            raise VersionConflict(
                claim=locked,
                since_version=locked.version,
            )
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.version += 1
        self.refresh_from_db()

    # -- workflow ------------------------------------------------------------------

    def allowed_statuses(self) -> list[str]:
        """The statuses the workflow allows next, in workflow order (reopening is separate)."""
        return [value for value in ClaimStatus.values if value in TRANSITIONS[self.status]]

    def change_status(
        self,
        to: str,
        *,
        by: Any,
        comment: str = "",
        expected_version: int | None = None,
        text_version: int | None = None,
    ) -> ClaimEvent:
        """Move the claim along the workflow, or raise WorkflowError and change nothing.

        `text_version` is the article text the page showed: if a correction since then changed
        the claim's words, the verdict was about other words and is refused.
        """
        comment = comment.strip()
        if to not in ClaimStatus.values:
            raise WorkflowError(gettext("Unknown status."))
        # Who may act is checked before the version: somebody without the right gets the refusal, not a conflict.
        self._check_actor(to, by)
        if text_version is not None and self.words_changed_since(text_version):
            raise WorkflowError(
                gettext(
                    "The article was corrected after you loaded the page, and the words of this claim changed. "
                    "Nothing was saved: read the claim in the current text and decide again."
                )
            )
        with transaction.atomic():
            locked = self._locked(expected_version)
            locked.check_status_change(to, by=by, comment=comment)
            if locked.status in FINISHED_STATUSES:
                return self._reopen(locked, by=by, comment=comment)
            changes: dict[str, Any] = {"status": to}
            if to in FINISHED_STATUSES:
                changes.update(verified_by=by, verified_at=timezone.now())
            if to == ClaimStatus.IN_REVIEW and locked.assignee_id is None:
                changes["assignee"] = by
            previous = locked.status
            self._bump(locked, **changes)
            return self._record(ClaimEvent.Kind.STATUS, by, from_status=previous, to_status=to, comment=comment)

    def check_status_change(self, to: str, *, by: Any, comment: str | None = None) -> None:
        """Raise the reason why `by` cannot set the claim to `to` now; return if they can.

        The one place that decides: change_status asks it about the locked row, and the status
        forms and the article page's card ask it so that they offer only what can succeed and say
        why the rest cannot. `comment=None` is a comment not written yet: a comment the step needs
        is then a condition of the offer (StatusOption.needs_comment), not a reason against it.
        """
        if to not in ClaimStatus.values:
            raise WorkflowError(gettext("Unknown status."))
        self._check_actor(to, by)
        if self.withdrawn_at is not None:
            raise WorkflowError(gettext("The claim is withdrawn. A chief editor can restore it; then try again."))
        if self.status in FINISHED_STATUSES and to == ClaimStatus.IN_REVIEW:
            _require(by, "annotations.reopen_claim", gettext("Only a chief editor may reopen a finished claim."))
            if comment is not None and not comment.strip():
                raise WorkflowError(gettext("Say in the comment why the claim is reopened."))
            return
        _require(by, "annotations.change_claim_status", gettext("You may not change the status of claims."))
        if to not in TRANSITIONS[self.status]:
            if to == self.status:
                raise WorkflowError(gettext("The claim is already “%(status)s”.") % {"status": ClaimStatus(to).label})
            if self.status in FINISHED_STATUSES:
                raise WorkflowError(
                    gettext("The claim is finished (“%(from)s”). Reopen it first, with a comment.")
                    % {"from": ClaimStatus(self.status).label}
                )
            raise WorkflowError(
                gettext("A claim cannot go from “%(from)s” to “%(to)s”.")
                % {"from": ClaimStatus(self.status).label, "to": ClaimStatus(to).label}
            )
        if to == ClaimStatus.VERIFIED and not self._has_evidence(Stance.SUPPORTS):
            raise WorkflowError(gettext("A claim can only be verified with at least one supporting source."))
        if to == ClaimStatus.DISPUTED and not self._has_evidence(Stance.REFUTES):
            raise WorkflowError(gettext("A claim can only be disputed with at least one refuting source."))
        if to == ClaimStatus.UNVERIFIABLE and comment is not None and not comment.strip():
            raise WorkflowError(gettext("Say in the comment why the claim cannot be verified."))

    def status_options(self, user: Any) -> list[StatusOption]:
        """The workflow's next steps for this user now, each with the reason it cannot be taken, if so.

        Empty for somebody who takes no such steps at all: an editor, or a fact-checker before a
        finished claim (only a chief editor reopens). Uses prefetched evidence when there is some.
        """
        finished = self.status in FINISHED_STATUSES
        perm = "annotations.reopen_claim" if finished else "annotations.change_claim_status"
        if not (user and user.is_active and user.has_perm(perm)):
            return []
        options = []
        for value in [ClaimStatus.IN_REVIEW.value] if finished else self.allowed_statuses():
            try:
                self.check_status_change(value, by=user)
            except WorkflowError as error:
                reason = str(error)
            else:
                reason = ""
            label = str(REOPEN_LABEL if finished else ClaimStatus(value).label)
            needs_comment = finished or value == ClaimStatus.UNVERIFIABLE
            options.append(StatusOption(value, label, reason, needs_comment=needs_comment))
        return options

    def _has_evidence(self, stance: str) -> bool:
        # .all() reads prefetched evidence (the article page's cards) and asks the database otherwise.
        return any(evidence.stance == stance for evidence in self.evidence.all())

    def _check_actor(self, to: str, by: Any) -> None:
        """Who may take a step at all: four eyes first (for the creator it is the reason whatever their
        role), then the permission to change statuses or to reopen."""
        four_eyes = getattr(settings, "NEWSROOM_FOUR_EYES", True)
        # created_by never changes after creation, so an unlocked instance is good enough here.
        mine = by is not None and self.created_by_id == by.pk
        if four_eyes and to in (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED) and mine:
            raise PermissionRefused(
                gettext("Four eyes: a claim you created must be verified or disputed by somebody else.")
            )
        if not (
            by
            and by.is_active
            and (by.has_perm("annotations.change_claim_status") or by.has_perm("annotations.reopen_claim"))
        ):
            raise PermissionRefused(gettext("You may not change the status of claims."))

    def _reopen(self, locked: Claim, *, by: Any, comment: str) -> ClaimEvent:
        """Write the reopening; check_status_change has decided that it may happen."""
        previous = locked.status
        self._bump(locked, status=ClaimStatus.IN_REVIEW, verified_by=None, verified_at=None)
        return self._record(
            ClaimEvent.Kind.REOPENED, by, from_status=previous, to_status=ClaimStatus.IN_REVIEW, comment=comment
        )

    def reopen(self, *, by: Any, comment: str, expected_version: int | None = None) -> ClaimEvent:
        """Send a finished claim back to review; needs the permission and a comment."""
        _require(by, "annotations.reopen_claim", gettext("Only a chief editor may reopen a finished claim."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            # Decide on the locked row: the instance in memory may be older than the database.
            if locked.status not in FINISHED_STATUSES:
                raise WorkflowError(gettext("Only a finished claim can be reopened."))
            locked.check_status_change(ClaimStatus.IN_REVIEW, by=by, comment=comment)
            return self._reopen(locked, by=by, comment=comment.strip())

    # -- asking a chief editor to reopen -------------------------------------------------

    def reopen_request_refusal(self, user: Any) -> str:
        """Why this user may not ask for the claim to be reopened, "" if they may. For the pages: asks
        the database nothing; request_reopen() decides on the locked row."""
        try:
            self._check_reopen_request(self, user)
        except WorkflowError as error:
            return str(error)
        return ""

    @staticmethod
    def _check_reopen_request(claim: Claim, user: Any) -> None:
        if not (
            user
            and user.is_active
            and (user.has_perm("annotations.change_claim") or user.has_perm("annotations.change_claim_status"))
        ):
            raise PermissionRefused(gettext("You may not ask for claims to be reopened."))
        if user.has_perm("annotations.reopen_claim"):
            raise WorkflowError(gettext("You may reopen the claim yourself."))
        if claim.withdrawn_at is not None:
            raise WorkflowError(gettext("The claim is withdrawn. A chief editor can restore it; then try again."))
        if claim.status not in FINISHED_STATUSES:
            raise WorkflowError(gettext("Only a finished claim can be reopened."))
        if claim.reopen_requested_at is not None:
            raise WorkflowError(gettext("Reopening this claim has been asked for already."))

    def request_reopen(self, *, by: Any, reason: str, expected_version: int | None = None) -> ClaimEvent:
        """Ask a chief editor to reopen a finished claim, saying why; the overview shows the request."""
        reason = reason.strip()
        with transaction.atomic():
            locked = self._locked(expected_version)
            self._check_reopen_request(locked, by)
            if not reason:
                raise WorkflowError(gettext("Say why the claim should be reopened."))
            self._bump(locked, reopen_requested_at=timezone.now(), reopen_requested_by=by)
            return self._record(ClaimEvent.Kind.REOPEN_REQUESTED, by, comment=reason)

    def decline_reopen(self, *, by: Any, reason: str, expected_version: int | None = None) -> ClaimEvent:
        """Answer a request to reopen with no: the verdict stands, the reason goes to the history."""
        _require(by, "annotations.reopen_claim", gettext("Only a chief editor may reopen a finished claim."))
        reason = reason.strip()
        with transaction.atomic():
            locked = self._locked(expected_version)
            if locked.reopen_requested_at is None:
                raise WorkflowError(gettext("Nobody has asked for this claim to be reopened."))
            if not reason:
                raise WorkflowError(gettext("Say why the claim stays as it is."))
            self._bump(locked, reopen_requested_at=None, reopen_requested_by=None)
            return self._record(ClaimEvent.Kind.REOPEN_DECLINED, by, comment=reason)

    def edit(
        self,
        *,
        by: Any,
        statement: str,
        claimant: str,
        note: str | None = None,
        span: anchoring.Span | None = None,
        expected_version: int | None = None,
    ) -> ClaimEvent | None:
        """Change the editor's wording (and the words in the article, given a checked span).

        The history keeps the old and new text. The words a second person checked are the
        words that are exported: if the statement, the claimant or the span of a finished
        claim changes, it goes back to review, its checker cleared. Every path that changes
        these (the claim page, the article page's card, the admin) comes through here.
        """
        _require(by, "annotations.change_claim", gettext("You may not edit claims."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            changes: dict[str, Any] = {"statement": statement, "claimant": claimant}
            if note is not None:
                changes["note"] = note
            if span is not None:
                changes.update(span.as_fields())
            before = {name: getattr(locked, name) for name in changes}
            changed = {name: value for name, value in changes.items() if before[name] != value}
            if not changed:
                return None
            # The context around the quote follows from the span; the history keeps what was chosen.
            data = {name: {"from": before[name], "to": value} for name, value in changed.items() if name in EDIT_FIELDS}
            # The same rule as a correction of the article's text: new checked words, a new check.
            status = locked._review_again(changed) if changed.keys() & CHECKED_FIELDS else {}
            self._bump(locked, **changed)
            return self._record(ClaimEvent.Kind.EDITED, by, data=data, **status)

    def assign(self, assignee: Any, *, by: Any, expected_version: int | None = None) -> ClaimEvent | None:
        """A chief editor assigns anyone who checks claims; a fact-checker may only take a free claim."""
        taking = assignee is not None and assignee.pk == by.pk
        if taking:
            _require(by, "annotations.change_claim_status", gettext("You may not take claims for review."))
        else:
            _require(by, "annotations.assign_claim", gettext("Only a chief editor may assign claims to others."))
        if assignee is not None and not (assignee.is_active and assignee.has_perm("annotations.change_claim_status")):
            raise WorkflowError(
                gettext("%(name)s does not check claims and cannot be assigned.")
                % {"name": assignee.get_full_name() or assignee.get_username()}
            )
        with transaction.atomic():
            locked = self._locked(expected_version)
            if locked.assignee_id == (assignee.pk if assignee else None):
                return None
            if taking and locked.assignee_id is not None and not by.has_perm("annotations.assign_claim"):
                raise WorkflowError(
                    gettext("%(name)s is already working on this claim; ask a chief editor to reassign it.")
                    % {"name": locked.assignee.get_full_name() or locked.assignee.get_username()}
                )
            previous = locked.assignee
            self._bump(locked, assignee=assignee)
            return self._record(
                ClaimEvent.Kind.ASSIGNED,
                by,
                data={
                    "from": previous.get_username() if previous else None,
                    "to": assignee.get_username() if assignee else None,
                },
            )

    def add_evidence(
        self,
        source: Source,
        *,
        stance: str,
        by: Any,
        excerpt: str = "",
        note: str = "",
        expected_version: int | None = None,
    ) -> Evidence:
        _require(by, "annotations.add_evidence", gettext("You may not add sources to claims."))
        if stance not in Stance.values:
            raise WorkflowError(gettext("Say whether the source supports, refutes or gives context to the claim."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            if locked.status in FINISHED_STATUSES:
                # The sources of a finished claim are the record of its verdict.
                raise WorkflowError(gettext("The claim is finished; reopen it before you change its sources."))
            if locked.evidence.filter(source=source).exists():
                raise WorkflowError(gettext("This source is already linked to the claim."))
            evidence = Evidence.objects.create(
                claim=locked, source=source, stance=stance, excerpt=excerpt, note=note, added_by=by
            )
            self._bump(locked)
            self._record(
                ClaimEvent.Kind.EVIDENCE_ADDED,
                by,
                data={"source_id": source.pk, "url": source.url, "title": source.title, "stance": stance},
            )
        return evidence

    def remove_evidence(self, evidence: Evidence, *, by: Any, expected_version: int | None = None) -> ClaimEvent:
        _require(by, "annotations.delete_evidence", gettext("You may not remove sources from claims."))
        if evidence.claim_id != self.pk:
            raise WorkflowError(gettext("This source is not linked to the claim."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            if locked.status in FINISHED_STATUSES:
                raise WorkflowError(gettext("The claim is finished; reopen it before you change its sources."))
            # Read it again under the lock: somebody may have removed it a moment ago.
            current = Evidence.objects.select_related("source").filter(pk=evidence.pk, claim=locked).first()
            if current is None:
                raise WorkflowError(gettext("This source is not linked to the claim."))
            data = {
                "source_id": current.source_id,
                "url": current.source.url,
                "title": current.source.title,
                "stance": current.stance,
            }
            current.delete()
            self._bump(locked)
            return self._record(ClaimEvent.Kind.EVIDENCE_REMOVED, by, data=data)

    # -- withdrawing instead of deleting ------------------------------------------------

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def withdraw_refusal(self, user: Any) -> str:
        """Why this user may not withdraw the claim, "" if they may. For the pages: asks the
        database nothing (permissions are cached per user); withdraw() decides on the locked row."""
        if self.is_withdrawn:
            return gettext("The claim is withdrawn already.")
        try:
            self._check_withdraw(self, user)
        except WorkflowError as error:
            return str(error)
        return ""

    def can_be_withdrawn_by(self, user: Any) -> bool:
        return not self.withdraw_refusal(user)

    @staticmethod
    def _check_withdraw(claim: Claim, user: Any) -> None:
        # The creator may take back an open claim they marked by mistake; once a second person
        # has checked it, or for anybody else's claim, it is the chief editor's decision (who
        # also reopens and restores), because the verdict is shared work.
        if user and user.is_active and user.has_perm("annotations.withdraw_claim"):
            return
        if not (user and user.is_active and user.has_perm("annotations.change_claim")):
            raise PermissionRefused(gettext("You may not withdraw claims."))
        if claim.anchor_state == AnchorState.ORPHANED and claim.status in OPEN_STATUSES:
            # A correction took its words away: whoever tidies up after the correction may let it go.
            return
        if claim.created_by_id != user.pk:
            raise PermissionRefused(gettext("Only its creator or a chief editor may withdraw a claim."))
        if claim.status not in OPEN_STATUSES:
            raise PermissionRefused(
                gettext("The claim is finished (“%(status)s”); only a chief editor may withdraw it.")
                % {"status": ClaimStatus(claim.status).label}
            )

    def withdraw(self, *, by: Any, reason: str, expected_version: int | None = None) -> ClaimEvent:
        """Take the claim off the record: hidden by default everywhere, its history kept, restorable."""
        reason = reason.strip()
        if not reason:
            raise WorkflowError(gettext("Say why the claim is withdrawn."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            self._check_withdraw(locked, by)
            self._bump(locked, withdrawn_at=timezone.now(), withdrawn_by=by)
            return self._record(ClaimEvent.Kind.WITHDRAWN, by, comment=reason)

    def restore(self, *, by: Any, comment: str = "", expected_version: int | None = None) -> ClaimEvent:
        """Put a withdrawn claim back, with the status it had."""
        _require(by, "annotations.restore_claim", gettext("Only a chief editor may restore a withdrawn claim."))
        with transaction.atomic():
            locked = self._locked(expected_version, withdrawn_ok=True)
            if locked.withdrawn_at is None:
                raise WorkflowError(gettext("The claim is not withdrawn."))
            self._bump(locked, withdrawn_at=None, withdrawn_by=None)
            return self._record(ClaimEvent.Kind.RESTORED, by, comment=comment.strip())

    # -- deleting: the admin only, and only before any work --------------------------------

    def can_be_deleted_by(self, user: Any) -> bool:
        try:
            self._check_delete(user)
        except WorkflowError:
            return False
        return True

    def _check_delete(self, user: Any) -> None:
        _require(
            user,
            "annotations.delete_claim",
            gettext("Only an administrator may delete a claim. Withdraw it instead."),
        )
        if self.evidence.exists():
            raise WorkflowError(gettext("A claim with sources cannot be deleted. Withdraw it instead."))
        if self.events.exclude(kind=ClaimEvent.Kind.CREATED).exists():
            raise WorkflowError(
                gettext("The claim has a history beyond its creation and cannot be deleted. Withdraw it instead.")
            )

    # -- anchoring: following corrections of the article --------------------------------

    def anchoring_fields(self) -> dict[str, Any]:
        """The claim as `anchoring.reanchor` takes it."""
        return {
            "id": self.pk,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }

    def _follow_correction(
        self,
        outcome: anchoring.Outcome,
        body: str,
        revision: ArticleRevision,
        text_version: int,
        by: Any,
        moves: list[ClaimEvent],
    ) -> str:
        """Apply one re-anchoring result to this claim, row locked by Article.correct.

        Returns "unchanged", "context" (only the text around it changed), "moved" (same words,
        new offsets; the caller saves these and their history entries, added to `moves`, in bulk),
        "flagged" or "orphaned" (saved here, with a new version, so a form loaded before is refused).
        """
        anchor = outcome.anchor
        before = {"start": self.start, "end": self.end, "quote": self.quote}
        data: dict[str, Any] = {
            "revision": revision.number,
            "text_version": text_version,
            "reason": outcome.reason,
            "from": before,
        }
        if anchor is not None and not anchor.needs_review:
            span = anchoring.span_at(body, anchor.start, anchor.end)
            if (span.start, span.end, span.prefix, span.suffix) == (self.start, self.end, self.prefix, self.suffix):
                return "unchanged"
            shifted = (span.start, span.end) != (self.start, self.end)
            # For _save_shifted: claims that only moved share one UPDATE per distance moved.
            self.shift = span.start - self.start
            self.context_changed = (span.prefix, span.suffix) != (self.prefix, self.suffix)
            self.start, self.end, self.prefix, self.suffix = span.start, span.end, span.prefix, span.suffix
            self.updated_at = timezone.now()
            if not shifted:
                return "context"
            if self.anchor_state == AnchorState.EXACT:
                self.anchor_state = AnchorState.MOVED
            data.update(state=self.anchor_state, to={"start": span.start, "end": span.end, "quote": span.quote})
            moves.append(
                ClaimEvent(claim=self, kind=ClaimEvent.Kind.REANCHORED, actor=by, version=self.version, data=data)
            )
            return "moved"
        changes: dict[str, Any]
        if anchor is None:
            changes = {"anchor_state": AnchorState.ORPHANED}
            data.update(state=AnchorState.ORPHANED, to=None)
        else:
            span = anchoring.span_at(body, anchor.start, anchor.end)
            changes = {"anchor_state": AnchorState.NEEDS_REVIEW, **span.as_fields()}
            data.update(state=AnchorState.NEEDS_REVIEW, to={"start": span.start, "end": span.end, "quote": span.quote})
        words_changed = anchor is None or changes["quote"] != self.quote
        status = self._review_again(changes) if words_changed else {}
        self._bump(self, **changes)
        self._record(ClaimEvent.Kind.REANCHORED, by, data=data, **status)
        return "orphaned" if anchor is None else "flagged"

    def _review_again(self, changes: dict[str, Any]) -> dict[str, str]:
        """The words a second person checked changed: a finished claim goes back to review.

        Adds the status change to `changes`; returns the from/to for the history entry.
        """
        if self.status not in FINISHED_STATUSES:
            return {}
        changes.update(status=ClaimStatus.IN_REVIEW, verified_by=None, verified_at=None)
        return {"from_status": self.status, "to_status": ClaimStatus.IN_REVIEW}

    def confirm_anchor(self, *, by: Any, expected_version: int | None = None) -> ClaimEvent:
        """An editor confirms the passage a correction moved the claim to."""
        _require(by, "annotations.change_claim", gettext("You may not change claims."))
        with transaction.atomic():
            locked = self._locked(expected_version)
            if locked.anchor_state != AnchorState.NEEDS_REVIEW:
                raise WorkflowError(gettext("Only a claim whose place needs review can be confirmed."))
            self._bump(locked, anchor_state=AnchorState.EXACT)
            return self._record(
                ClaimEvent.Kind.REANCHORED, by, data={"action": "confirmed", "to": {"quote": locked.quote}}
            )

    def reattach(
        self,
        *,
        start: int,
        end: int,
        quote: str,
        by: Any,
        expected_version: int | None = None,
        text_version: int | None = None,
    ) -> ClaimEvent:
        """Attach the claim to the words an editor selected in the current text."""
        _require(by, "annotations.change_claim", gettext("You may not change claims."))
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=self.article_id)
            if text_version is not None and text_version != article.text_version:
                raise WorkflowError(
                    gettext(
                        "The article was corrected while you were selecting. Nothing was saved: "
                        "select the words again in the current text."
                    )
                )
            span = _selected_span(article.body, start, end, quote)
            locked = self._locked(expected_version)
            changes: dict[str, Any] = {"anchor_state": AnchorState.EXACT, **span.as_fields()}
            status = locked._review_again(changes) if span.quote != locked.quote else {}
            data = {
                "action": "reattached",
                "text_version": article.text_version,
                "from": {"start": locked.start, "end": locked.end, "quote": locked.quote},
                "to": {"start": span.start, "end": span.end, "quote": span.quote},
            }
            self._bump(locked, **changes)
            return self._record(ClaimEvent.Kind.REANCHORED, by, data=data, **status)

    def words_changed_since(self, text_version: int) -> bool:
        """Whether a correction after that text version changed or lost this claim's words."""
        for event in self.events.filter(kind=ClaimEvent.Kind.REANCHORED):
            data = event.data or {}
            after = data.get("text_version")
            if isinstance(after, int) and after > text_version:
                to = data.get("to")
                if to is None or to.get("quote") != (data.get("from") or {}).get("quote"):
                    return True
        return False

    def discard(self, *, by: Any) -> None:
        """Delete a claim nobody has worked on (no history beyond its creation, no sources).

        Its history is PROTECTed, so a plain delete() of any claim fails; this is the one way,
        and it removes only the creation entry, which records nothing anybody checked.
        """
        with transaction.atomic():
            locked = Claim.objects.select_for_update().get(pk=self.pk)
            locked._check_delete(by)
            ClaimEvent.objects.filter(claim=locked, kind=ClaimEvent.Kind.CREATED)._delete_creation()
            locked.delete()


# --- Counting claims ----------------------------------------------------------------


def _fold_tally(model: type[models.Model], keys: str, having: str = "") -> None:
    """Replace a tally's delta rows by their sums per `keys` (the tallies' triggers only ever add rows)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, one snapshot: exactly the rows it deletes are summed (others may be adding more).
            cursor.execute(
                f"WITH gone AS (DELETE FROM {table} RETURNING {keys}, delta) "
                f"INSERT INTO {table} ({keys}, delta) "
                f"SELECT {keys}, sum(delta) FROM gone GROUP BY {keys} {having}"
            )
            return
        # SQLite: the transaction holds the database's write lock, nobody adds rows meanwhile.
        cursor.execute(f"SELECT max(id) FROM {table}")
        (last,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {table} ({keys}, delta) SELECT {keys}, sum(delta) "
            f"FROM {table} WHERE id <= %s GROUP BY {keys} {having}",
            [last],
        )
        cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last])


class ClaimTallyQuerySet(models.QuerySet["ClaimTally"]):
    # Sums are read on every dashboard and queue; past this many rows they are folded together first.
    FOLD_ABOVE = 1000

    def counts_for(self, user: Any) -> dict[str, int]:
        """What Claim.objects.visible_to(user).counts_by_status() returns, without counting the claims."""
        return self.counts_by_status() if can_read(user) else dict.fromkeys(ClaimStatus.values, 0)

    def counts_by_status(self) -> dict[str, int]:
        """The standing (not withdrawn) claims per status: what Claim.objects.current().counts_by_status()
        returns, read from a table of a few hundred rows instead of counting a million claims."""
        counts = dict.fromkeys(ClaimStatus.values, 0)
        rows = 0
        for status, withdrawn, total, entries in (
            self.order_by().values_list("status", "withdrawn").annotate(total=Sum("delta"), entries=Count("id"))
        ):
            rows += entries
            if not withdrawn:
                counts[status] = total
        if rows > self.FOLD_ABOVE:
            self.fold()
        return counts

    def fold(self) -> None:
        """Replace the rows by their sums, one row per status and withdrawn or not."""
        _fold_tally(ClaimTally, "status, withdrawn")

    def recount(self) -> None:
        """Count the claims again from scratch: after a bulk load that went past the triggers."""
        table = connection.ops.quote_name(ClaimTally._meta.db_table)
        claims = connection.ops.quote_name(Claim._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {claims} IN SHARE MODE")  # no claim changes while we count
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} (status, withdrawn, delta) "
                f"SELECT status, withdrawn_at IS NOT NULL, count(*) FROM {claims} GROUP BY 1, 2"
            )


class ClaimTally(models.Model):
    """How many claims there are per status, as rows of changes that add up.

    The database writes them itself: triggers on the claim table (migration 0006) add a row for
    every claim inserted, deleted, moved to another status, withdrawn or restored, whichever path
    did it (page, admin, bulk action, command or plain SQL). Appending rather than updating one
    counter per status means no writer ever waits for another; reading sums a few hundred rows.
    """

    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    withdrawn = models.BooleanField()
    delta = models.BigIntegerField()

    objects = ClaimTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim tally")
        verbose_name_plural = _("claim tallies")
        default_permissions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.status}{' (withdrawn)' if self.withdrawn else ''}: {self.delta:+d}"


class FinishedTallyQuerySet(models.QuerySet["FinishedTally"]):
    # Rows a chart reads before they are folded together first (a folded window holds at most 2,016 hours
    # times three verdicts).
    FOLD_ABOVE = 12_000

    def per_week_for(self, user: Any, weeks: int, today: datetime.date) -> list[tuple[datetime.date, dict[str, int]]]:
        """What Claim.objects.visible_to(user).finished_per_week(weeks, today) returns, from the tally:
        a few thousand rows instead of every claim finished in those weeks (80,000 at a million claims).

        The tally counts by hour (UTC): weeks that do not begin on a whole hour of UTC (a time zone
        half an hour off) are counted from the claims instead.
        """
        if not can_read(user):
            return Claim.objects.none().finished_per_week(weeks, today)
        first = today - datetime.timedelta(days=today.weekday(), weeks=weeks - 1)
        mondays = [first + datetime.timedelta(weeks=number) for number in range(weeks)]
        starts = [timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min)) for monday in mondays]
        seconds = [int(start.timestamp()) for start in starts]
        if any(second % 3600 for second in seconds):
            return Claim.objects.current().finished_per_week(weeks, today)
        hours = [second // 3600 for second in seconds]
        week = Case(
            *(When(hour__gte=hour, then=Value(number)) for number, hour in reversed(list(enumerate(hours)))),
            default=Value(-1),
            output_field=models.IntegerField(),
        )
        rows = (
            self.filter(hour__gte=hours[0])
            .annotate(week=week)
            .order_by()
            .values_list("week", "status")
            .annotate(total=Sum("delta"), entries=Count("id"))
        )
        tally: dict[datetime.date, dict[str, int]] = {monday: dict.fromkeys(FINISHED_STATUSES, 0) for monday in mondays}
        entries = 0
        for number, status, total, count in rows:
            entries += count
            if 0 <= number < weeks and status in FINISHED_STATUSES:
                tally[mondays[number]][status] += total
        if entries > self.FOLD_ABOVE:
            self.fold()
        return list(tally.items())

    def fold(self) -> None:
        """Replace the rows by their sums, one row per hour and verdict (none where they add up to nothing)."""
        _fold_tally(FinishedTally, "hour, status", having="HAVING sum(delta) <> 0")

    def recount(self) -> None:
        """Count the finished claims again from scratch: after a bulk load that went past the triggers."""
        table = connection.ops.quote_name(FinishedTally._meta.db_table)
        claims = connection.ops.quote_name(Claim._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"LOCK TABLE {claims} IN SHARE MODE")  # no claim changes while we count
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(FINISHED_TALLY_COUNT_SQL[connection.vendor == "postgresql"])


# The hour (since 1970, UTC) in which a claim was finished, in each database's SQL, and the recount.
FINISHED_HOUR_SQL = {
    True: "floor(extract(epoch FROM verified_at) / 3600)::bigint",
    False: "CAST(strftime('%s', verified_at) AS INTEGER) / 3600",
}
FINISHED_TALLY_COUNT_SQL = {
    postgresql: (
        "INSERT INTO annotations_finishedtally (hour, status, delta) "
        f"SELECT {FINISHED_HOUR_SQL[postgresql]}, status, count(*) FROM annotations_claim "
        "WHERE withdrawn_at IS NULL AND verified_at IS NOT NULL "
        "AND status IN ('verified', 'disputed', 'unverifiable') GROUP BY 1, 2"
    )
    for postgresql in (True, False)
}


class FinishedTally(models.Model):
    """How many claims were finished per hour and verdict, as rows of changes that add up: the overview's
    weekly chart reads it instead of counting the claims finished in twelve weeks.

    Like ClaimTally, the database writes it itself: triggers on the claim table (migration 0017) add a row
    for every standing finished claim inserted, deleted, finished, reopened, withdrawn, restored or given
    another time of its verdict, whichever path did it. A claim counts while it is not withdrawn, has a
    finished status and the time it was finished (verified_at).
    """

    hour = models.BigIntegerField(help_text="Hours since 1970-01-01 00:00 UTC of verified_at.")
    status = models.CharField(max_length=16, choices=ClaimStatus.choices)
    delta = models.BigIntegerField()

    objects = FinishedTallyQuerySet.as_manager()

    class Meta:
        verbose_name = _("tally of finished claims")
        verbose_name_plural = _("tallies of finished claims")
        default_permissions: tuple[str, ...] = ()
        indexes = [models.Index(fields=["hour", "status", "delta"], name="finishedtally_hour")]

    def __str__(self) -> str:
        return f"{self.status} in hour {self.hour}: {self.delta:+d}"


# --- Sources and evidence -----------------------------------------------------------


class SourceKind(models.TextChoices):
    OFFICIAL = "official", _("Official")
    PRESS_RELEASE = "press_release", _("Press release")
    AGENCY = "agency", _("News agency")
    MEDIA = "media", _("Media")
    DOCUMENT = "document", _("Document")
    DATASET = "dataset", _("Dataset")
    INTERVIEW = "interview", _("Interview")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


class SourceQuerySet(models.QuerySet["Source"]):
    def visible_to(self, user: Any) -> SourceQuerySet:
        """The sources this user may read: all of them with a role, none without (see can_read)."""
        return self if can_read(user) else self.none()

    def search(self, text: str) -> SourceQuerySet:
        """Sources whose URL, title or publisher contain the text."""
        # No stored text holds NUL (forms refuse it), and PostgreSQL refuses it in a parameter.
        text = text.replace("\x00", "").strip()
        if not text:
            return self.none()
        return self.filter(Q(url__icontains=text) | Q(title__icontains=text) | Q(publisher__icontains=text))

    def with_citing_claims(self) -> SourceQuerySet:
        """Each source with its evidence and their standing claims: three queries however many rows."""
        return self.annotate(
            claim_count=Count("evidence", filter=Q(evidence__claim__withdrawn_at__isnull=True))
        ).prefetch_related(
            models.Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(claim__withdrawn_at__isnull=True)
                .select_related("claim", "claim__article")
                .order_by("claim_id"),
            )
        )


class SourceManager(models.Manager.from_queryset(SourceQuerySet)):  # type: ignore[misc]
    def for_url(self, url: str, defaults: dict[str, Any] | None = None) -> tuple[Source, bool]:
        """The one source for this page, created with the defaults if new; InvalidURL for non-web URLs.

        The same page reached through different spellings (tracking parameters, fragment,
        upper-case host, default port) is one source.
        """
        return self.get_or_create(url=links.normalise_url(url), defaults=defaults or {})


class Source(models.Model):
    url = models.URLField(_("URL"), max_length=2000, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SourceKind.choices, default=SourceKind.OTHER)
    published_on = models.DateField(_("published"), null=True, blank=True)
    archived_url = models.URLField(_("archived URL"), max_length=2000, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = SourceManager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["publisher", "title", "id"]

    def __str__(self) -> str:
        return self.title or self.url

    def get_absolute_url(self) -> str:
        return reverse("annotations:source-list") + f"#source-{self.pk}"

    def backs_finished_claims(self) -> bool:
        # Withdrawn claims count: restored, their verdict rests on this source again.
        return self.evidence.filter(claim__status__in=FINISHED_STATUSES).exists()

    def check_url_change(self, url: str) -> None:
        """Refuse a new address for a source that backs a verdict: the checker read the page at the old one."""
        if url != self.url and self.pk is not None and self.backs_finished_claims():
            raise WorkflowError(
                gettext(
                    "The address of this source cannot be changed: finished checks rest on it. "
                    "Add the new address as a source of its own."
                )
            )

    def change(self, *, by: Any, **values: Any) -> list[SourceChange]:
        """Change the source's fields and record each change (who, when, old and new value).

        The one way a source changes after it was created (its admin page included), so the
        claims it backs can show what happened to it since they were checked.
        """
        _require(by, "annotations.change_source", gettext("You may not change sources."))
        unknown = set(values) - set(SourceChange.TRACKED)
        if unknown:
            raise ValueError(f"not a field of a source that can be changed: {sorted(unknown)}")
        if "url" in values:
            try:
                values["url"] = links.normalise_url(values["url"])
            except links.InvalidURL:
                raise WorkflowError(gettext("Enter a web address that starts with http:// or https://.")) from None
        with transaction.atomic():
            locked = Source.objects.select_for_update().get(pk=self.pk)
            changed = {name: value for name, value in values.items() if getattr(locked, name) != value}
            if not changed:
                return []
            if "url" in changed:
                locked.check_url_change(changed["url"])
                if Source.objects.filter(url=changed["url"]).exclude(pk=locked.pk).exists():
                    raise WorkflowError(gettext("A source with this address exists already."))
            now = timezone.now()
            records = SourceChange.objects.bulk_create(
                SourceChange(
                    source=locked,
                    field=name,
                    old_value=SourceChange.as_text(getattr(locked, name)),
                    new_value=SourceChange.as_text(value),
                    actor=by,
                    created_at=now,
                )
                for name, value in changed.items()
            )
            Source.objects.filter(pk=locked.pk).update(**changed)
        for name, value in changed.items():
            setattr(self, name, value)
        return records


class Stance(models.TextChoices):
    # Verbs, not the statuses' words: a source that "refutes" must not read like the verdict "Disputed"
    # ("widerspricht", not "Widerlegt").
    SUPPORTS = "supports", pgettext_lazy("stance", "supports")
    REFUTES = "refutes", pgettext_lazy("stance", "contradicts")
    CONTEXT = "context", pgettext_lazy("stance", "context")


class Evidence(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("claim"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("source"))
    stance = models.CharField(_("stance"), max_length=8, choices=Stance.choices)
    excerpt = models.TextField(_("excerpt"), blank=True, help_text=_("The passage of the source that matters."))
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = pgettext_lazy("plural", "evidence")
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="evidence_unique_per_claim_and_source"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source}"


class SourceChangeQuerySet(models.QuerySet["SourceChange"]):
    def update(self, **kwargs: Any) -> int:
        raise WorkflowError("The record of a source's changes is never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise WorkflowError("The record of a source's changes is never deleted.")

    def for_claim(self, claim: Claim) -> SourceChangeQuerySet:
        """Changes of the claim's sources made after each was linked to it: what the claim's history shows."""
        # One filter() call, so the evidence row of the claim and of added_at is the same one.
        return self.filter(source__evidence__claim=claim, created_at__gte=F("source__evidence__added_at"))

    def for_claims_of(self, article: Article) -> SourceChangeQuerySet:
        """The same for every standing claim of an article, each row with its claim_id: one query for the page."""
        return self.filter(
            source__evidence__claim__article=article,
            source__evidence__claim__withdrawn_at__isnull=True,
            created_at__gte=F("source__evidence__added_at"),
        ).annotate(claim_id=F("source__evidence__claim_id"))


class SourceChange(models.Model):
    """Append-only: one changed field of a source, written by Source.change, never updated."""

    TRACKED = ("url", "title", "publisher", "kind", "published_on", "archived_url", "notes")

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="changes", verbose_name=_("source"))
    field = models.CharField(_("field"), max_length=40)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    objects = SourceChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("source change")
        verbose_name_plural = _("source changes")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["source", "created_at"])]

    kind = "source_changed"  # for the timeline's CSS class, beside ClaimEvent.kind

    def __str__(self) -> str:
        return f"{self.source_id}: {self.field} ({self.created_at:%Y-%m-%d %H:%M})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise WorkflowError("The record of a source's changes is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise WorkflowError("The record of a source's changes is never deleted.")

    @staticmethod
    def as_text(value: Any) -> str:
        if value is None:
            return ""
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    def describe(self) -> EventText:
        """In the words of a claim's history; needs actor and source loaded (select_related)."""
        try:
            label = capfirst(Source._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            label = self.field
        old, new = self.old_value, self.new_value
        if self.field == "kind":
            old, new = (str(SourceKind(v).label) if v in SourceKind.values else v for v in (old, new))
        actor = self.actor
        return EventText(
            who=actor.get_full_name() or actor.get_username(),
            what=gettext("Source changed"),
            source=self.source.title or self.source.url,
            edits=[f"{label}: {snippets.quoted(old)} → {snippets.quoted(new)}"],
        )


# --- History ------------------------------------------------------------------------


@dataclass(frozen=True)
class EventText:
    """One history entry in words: the claim page's timeline and the article page's card both show these."""

    who: str
    what: str
    change: str = ""  # "Ungeprüft → In Prüfung", "niemand → fritz"
    source: str = ""  # the source added or removed
    stance: str = ""
    edits: list[str] = field(default_factory=list)  # "Behauptung: „alt“ → „neu“"
    comment: str = ""
    reason: str = ""  # why the system did something along with the action: "back to review, because …"


class ClaimEventQuerySet(models.QuerySet["ClaimEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise WorkflowError("The history of a claim is never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise WorkflowError("The history of a claim is never deleted.")

    def newest_id(self) -> int:
        """The id of the newest history entry, 0 if there is none: where "what changed since" starts."""
        return self.aggregate(newest=Max("pk"))["newest"] or 0

    def _delete_creation(self) -> tuple[int, dict[str, int]]:
        """Only for Claim.discard: the creation entries of a claim deleted before any work."""
        return models.QuerySet.delete(self.filter(kind=ClaimEvent.Kind.CREATED))


class ClaimEvent(models.Model):
    """Append-only: written by the claim's methods, never updated."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        REOPENED = "reopened", _("Reopened")
        EDITED = "edited", _("Edited")
        ASSIGNED = "assigned", _("Assigned")
        EVIDENCE_ADDED = "evidence_added", _("Source added")
        EVIDENCE_REMOVED = "evidence_removed", _("Source removed")
        REANCHORED = "reanchored", _("Re-anchored")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RESTORED = "restored", _("Restored")
        REOPEN_REQUESTED = "reopen_requested", _("Reopening asked for")
        REOPEN_DECLINED = "reopen_declined", _("Reopening declined")

    # PROTECT: a claim with history cannot be deleted by accident (a cascade would erase it);
    # Claim.discard removes the creation entry of a claim nobody worked on, and nothing else.
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events", verbose_name=_("claim"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(_("from"), max_length=16, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=ClaimStatus.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    version = models.PositiveIntegerField(_("claim version"), help_text=_("The claim's version after the event."))
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    objects = ClaimEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim history")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({local_minute(self.created_at)})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise WorkflowError("The history of a claim is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise WorkflowError("The history of a claim is never deleted.")

    def describe(self) -> EventText:
        """Who did what, in the active language; needs the actor loaded (select_related) to ask nothing."""
        nobody = gettext("nobody")
        data = self.data or {}
        change = ""
        if self.from_status and self.to_status:
            change = f"{label_of(ClaimStatus, self.from_status)} → {label_of(ClaimStatus, self.to_status)}"
        elif self.kind == self.Kind.ASSIGNED:
            change = f"{data.get('from') or nobody} → {data.get('to') or nobody}"
        source = stance = ""
        if self.kind in (self.Kind.EVIDENCE_ADDED, self.Kind.EVIDENCE_REMOVED):
            source = data.get("title") or data.get("url") or ""
            if data.get("stance"):
                stance = label_of(Stance, data["stance"])
        edits = []
        reason = ""
        if self.kind in (self.Kind.EDITED, self.Kind.REANCHORED) and self.to_status:
            # Whether an editor's new words or a correction of the article: the checked words changed.
            reason = gettext("Back to review: the words that were checked have changed.")
        if self.kind == self.Kind.EDITED:
            # In the order of the form, whatever order the database keeps JSON keys in (jsonb sorts them).
            for name in [*(n for n in EDIT_FIELDS if n in data), *(n for n in data if n not in EDIT_FIELDS)]:
                values = data[name]
                try:
                    label = capfirst(Claim._meta.get_field(name).verbose_name)
                except FieldDoesNotExist:
                    label = name
                edits.append(
                    f"{label}: {snippets.quoted(values.get('from', ''))} → {snippets.quoted(values.get('to', ''))}"
                )
        if self.kind == self.Kind.REANCHORED:
            edits.append(describe_anchoring(data))
        actor = self.actor
        return EventText(
            who=actor.get_full_name() or actor.get_username(),
            what=label_of(self.Kind, self.kind),
            change=change,
            source=source,
            stance=stance,
            edits=edits,
            comment=self.comment,
            reason=reason,
        )


def label_of(choices: type[models.TextChoices], value: str) -> str:
    """The label of a stored value, as get_<field>_display gives it, without building a dict of the
    choices on every call (the article page describes every claim's history: hundreds of calls)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def anchoring_reasons() -> dict[str, str]:
    """Why a correction put a claim where it did, in words (the history and the revisions page)."""
    reason = anchoring.Reason
    return {
        reason.UNCHANGED: gettext("unchanged"),
        reason.SHIFTED: gettext("the same words, moved"),
        reason.FOUND: gettext("the same words, found again nearby"),
        reason.UNSURE_PLACE: gettext("the same words, but the text around them changed"),
        reason.FORMATTING: gettext("spacing or punctuation changed"),
        reason.WORDING: gettext("a typo or a few words changed"),
        reason.DELETED: gettext("the words were deleted"),
        reason.NUMBER: gettext("a number changed"),
        reason.DATE: gettext("a date changed"),
        reason.NEGATION: gettext("a negation came or went"),
        reason.NAME: gettext("a name or noun was replaced"),
        reason.REWRITTEN: gettext("the passage was rewritten"),
        reason.AMBIGUOUS: gettext("more than one place fits"),
        reason.INVALID: gettext("the stored place did not match the text"),
    }


def describe_anchoring(data: dict[str, Any]) -> str:
    """One line for a re-anchoring entry: what happened to the claim's words, and where."""
    # The messages put their own quotation marks around the words: take off a pair the words carry.
    before = snippets.unquoted((data.get("from") or {}).get("quote", ""))
    after = (data.get("to") or {}).get("quote")
    after = None if after is None else snippets.unquoted(after)
    action = data.get("action")
    if action == "confirmed":
        return gettext("Place confirmed: „%(quote)s“") % {"quote": after or ""}
    if action == "reattached":
        return gettext("Re-attached: „%(before)s“ → „%(after)s“") % {"before": before, "after": after or ""}
    version = data.get("text_version", "?")
    why = anchoring_reasons().get(data.get("reason", ""), data.get("reason", ""))
    if after is None:
        return gettext("Text version %(version)s: „%(before)s“ has no place any more (%(why)s).") % {
            "version": version,
            "before": before,
            "why": why,
        }
    return gettext("Text version %(version)s: „%(before)s“ → „%(after)s“ (%(why)s).") % {
        "version": version,
        "before": before,
        "after": after,
        "why": why,
    }


# --- People's own settings ----------------------------------------------------------


class UserPreferencesQuerySet(models.QuerySet["UserPreferences"]):
    def language_of(self, user: Any) -> str:
        """The language this person chose for the pages, "" if they never switched."""
        if not (user and user.is_authenticated):
            return ""
        return self.filter(user=user).values_list("language", flat=True).first() or ""

    def remember_language(self, user: Any, language: str) -> None:
        if language not in dict(settings.LANGUAGES):
            raise ValueError(f"unknown language {language!r}")
        self.update_or_create(user=user, defaults={"language": language})


class UserPreferences(models.Model):
    """What a person chose for themselves: the language of the pages (German until they switch)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preferences", verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)

    objects = UserPreferencesQuerySet.as_manager()

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")
        default_permissions: tuple[str, ...] = ()

    def __str__(self) -> str:
        return str(self.user)
