"""The back office. Actions call the same model methods as the pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from annotations import exporting, importing
from annotations.lib import documents, formats, links, snippets
from annotations.models import (
    FINISHED_STATUSES,
    AnchorState,
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    PendingVersion,
    Source,
    SourceChange,
    VersionConflict,
    WorkflowError,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record that only the app's model methods write: readable here, never added, changed or deleted."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Long texts in the lists are cut to this many characters (whole words; the whole text on hover),
# so a changelist fits a laptop's screen beside the admin's sidebars.
LIST_TEXT_LENGTH = 70


def _cut(text: str, length: int = LIST_TEXT_LENGTH) -> str:
    short = snippets.shorten(text, length)
    return format_html('<span title="{}">{}</span>', text, short) if short != text else short


def event_details(event: ClaimEvent) -> str:
    """What the history entry records, in the words of the claim page, not its stored JSON."""
    text = event.describe()
    source = f"{text.source} ({text.stance})" if text.source and text.stance else text.source
    lines = [line for line in (text.change, source, *text.edits) if line]
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) or "–"


class ClaimInline(ReadOnlyInline):
    model = Claim
    fields = ["statement", "quote", "status", "assignee", "created_by", "created_at"]
    readonly_fields = fields
    ordering = ["start", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Claim]:
        return super().get_queryset(request).select_related("assignee", "created_by")


class RevisionInline(ReadOnlyInline):
    model = ArticleRevision
    fields = ["number", "replaced_at", "replaced_by", "comment"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ArticleRevision]:
        return super().get_queryset(request).select_related("replaced_by")


class ArticleAdminForm(forms.ModelForm):
    """The article with its body correctable, through Article.correct like the correction page."""

    correction_comment = forms.CharField(
        label=_("What was corrected?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when you change the body: the previous text is kept as a revision and the claims re-anchored."
        ),
    )
    # The text version the form was loaded with: a correction saved meanwhile is not overwritten.
    text_version_seen = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        fields = [
            "title",
            "body",
            "language",
            "source",
            "author",
            "url",
            "published_on",
            "published_precision",
            "original_filename",
            "created_by",
            "updated_by",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["text_version_seen"].initial = self.instance.text_version

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if self.instance.pk:
            return body  # a correction: Article.checked_correction normalises it in clean()
        # A new article is stored as an import stores it (NFC, \n line ends, no control characters),
        # so its offsets and its duplicate check mean the same as for every other article.
        body = documents.normalise(body)
        if not body:
            raise forms.ValidationError(_("The text is empty. An article needs its text."), code="empty")
        return body

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk and "body" in self.changed_data and "body" in cleaned:
            stored = Article.objects.get(pk=self.instance.pk)
            try:
                cleaned["body"] = stored.checked_correction(cleaned["body"], cleaned.get("text_version_seen"))
            except WorkflowError as error:
                self.add_error("body", str(error))
        return cleaned


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["short_title", "source", "published", "language", "created_by", "created_at"]
    list_filter = ["title_generated", "source", "language", "published_precision", "created_at"]
    search_fields = ["title", "source", "author", "url"]
    list_select_related = ["created_by"]
    autocomplete_fields = ["created_by", "updated_by"]
    readonly_fields = ["title_generated", "content_hash", "text_version", "created_at", "updated_at"]
    date_hierarchy = "created_at"
    inlines = [ClaimInline, RevisionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_generated",
                    "body",
                    "correction_comment",
                    "text_version_seen",
                    "text_version",
                    "language",
                ]
            },
        ),
        (_("Metadata"), {"fields": ["source", "author", "url", "published_on", "published_precision"]}),
        (
            _("Provenance"),
            {"fields": ["original_filename", "content_hash", "created_by", "created_at", "updated_by", "updated_at"]},
        ),
    ]

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, article: Article) -> str:
        if article.title_generated:
            return format_html('{} <span class="generated-title">{}</span>', _cut(article.title), _("title generated"))
        return _cut(article.title)

    @admin.display(description=_("published"), ordering="published_on")
    def published(self, article: Article) -> str:
        # As the app shows it ("März 2022"), at the precision the source gave.
        return article.published_display

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        if "title" in form.changed_data:
            obj.title_generated = False  # an administrator chose it
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            obj.store_fingerprint()
            return
        # The metadata as edited; the body only through the correction, which re-anchors the claims.
        metadata = [name for name in form.changed_data if name in {f.name for f in Article._meta.concrete_fields}]
        metadata = [name for name in metadata if name != "body"]
        if "title" in metadata:
            metadata.append("title_generated")
        if metadata:
            obj.save(update_fields=[*metadata, "updated_by", "updated_at"])
        if "body" in form.changed_data:
            new_body = obj.body
            obj.body = Article.objects.values_list("body", flat=True).get(pk=obj.pk)
            try:
                correction = obj.correct(
                    new_body,
                    by=request.user,
                    comment=form.cleaned_data.get("correction_comment", ""),
                    expected_version=form.cleaned_data.get("text_version_seen"),
                )
            except WorkflowError as error:
                self.message_user(
                    request, gettext("The text was not changed: %(reason)s") % {"reason": error}, messages.ERROR
                )
            else:
                self.message_user(request, importing.correction_summary(correction.counts), messages.SUCCESS)


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "replaced_by", "replaced_at"]
    list_filter = ["replaced_at"]
    search_fields = ["article__title", "body"]
    list_select_related = ["article", "replaced_by"]
    autocomplete_fields = ["article", "replaced_by"]
    readonly_fields = ["article", "body", "content_hash", "replaced_by", "replaced_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["source", "stance", "excerpt", "note", "added_by", "added_at"]
    readonly_fields = ["source", "stance", "excerpt", "note", "added_by", "added_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Evidence is added on the claim page, where the history records it.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        return super().get_queryset(request).select_related("source", "added_by")


class ClaimEventInline(ReadOnlyInline):
    model = ClaimEvent
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "comment", "details"]
    readonly_fields = fields
    show_change_link = False
    ordering = ["created_at", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClaimEvent]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("details"))
    def details(self, event: ClaimEvent) -> str:
        return event_details(event)


def _run_on_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    claims: QuerySet[Claim],
    act: Any,
    done: Any,
) -> None:
    """Call a model method for each claim; report successes and each refusal with its reason."""
    succeeded = 0
    for claim in claims:
        try:
            act(claim)
        except WorkflowError as error:
            modeladmin.message_user(request, f"{claim.pk}: {error}", messages.WARNING)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, done(succeeded), messages.SUCCESS)


class SavesThroughModelMethods(admin.ModelAdmin):
    """A change form whose save_model calls a model method that may refuse (a version moved on
    between the form's check and the save, a claim withdrawn meanwhile): the refusal becomes
    an error message on the change page instead of a server error, and nothing is saved."""

    def refused(self, request: HttpRequest, error: WorkflowError) -> None:
        self.message_user(request, str(error), messages.ERROR)
        request.refused_by_model = True  # type: ignore[attr-defined]

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        if getattr(request, "refused_by_model", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)


class ClaimAdminForm(forms.ModelForm):
    # The version the change form showed: a change made meanwhile is refused, not overwritten.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = ["statement", "claimant", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        claim = self.instance
        if claim.pk is None:
            return
        self.fields["seen_version"].initial = claim.version
        if claim.status in FINISHED_STATUSES:
            warning = _("The check is finished: a change of this field sends the claim back to review.")
            for name in ("statement", "claimant"):
                if name in self.fields:
                    self.fields[name].help_text = warning

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None:
            current = Claim.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current != seen:
                raise forms.ValidationError(str(VersionConflict(claim=self.instance, since_version=seen)))
        return cleaned


class WithdrawnFilter(admin.SimpleListFilter):
    title = _("withdrawn")
    parameter_name = "withdrawn"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", _("Standing claims")), ("yes", _("Withdrawn claims"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> QuerySet[Claim]:
        if self.value() == "yes":
            return queryset.withdrawn()
        if self.value() == "no":
            return queryset.current()
        return queryset


@admin.register(Claim)
class ClaimAdmin(SavesThroughModelMethods):
    form = ClaimAdminForm
    # Status, withdrawal and place in the text share a column: ten columns did not fit a laptop's screen.
    list_display = ["short_statement", "state", "article_title", "claimant", "assignee", "created_by", "created_at"]
    list_filter = ["status", WithdrawnFilter, "anchor_state", "created_at", "assignee"]
    search_fields = ["statement", "quote", "claimant", "article__title"]
    list_select_related = ["article", "assignee", "created_by"]
    autocomplete_fields = ["article", "assignee", "created_by"]
    date_hierarchy = "created_at"
    # Status and span change only through the workflow, so the history stays complete.
    readonly_fields = [
        "status",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "version",
        "anchor_state",
        "verified_by",
        "verified_at",
        "withdrawn_at",
        "withdrawn_by",
        "reopen_requested_at",
        "reopen_requested_by",
        "created_at",
        "updated_at",
    ]
    fields = [
        "article",
        "statement",
        "claimant",
        "note",
        "seen_version",
        "assignee",
        "status",
        "start",
        "end",
        "quote",
        "prefix",
        "suffix",
        "anchor_state",
        "version",
        "created_by",
        "created_at",
        "verified_by",
        "verified_at",
        "withdrawn_at",
        "withdrawn_by",
        "reopen_requested_at",
        "reopen_requested_by",
        "updated_at",
    ]
    inlines = [EvidenceInline, ClaimEventInline]
    actions = ["start_review", "take_claims", "export_csv"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.is_withdrawn:
            # A withdrawn claim changes nowhere until a chief editor restores it.
            return [*self.readonly_fields, "article", "statement", "claimant", "note", "assignee", "created_by"]
        if obj is not None:
            return [*self.readonly_fields, "article", "assignee", "created_by"]
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Claims are made by selecting words in the article, which sets and checks the offsets.
        return False

    def save_model(self, request: HttpRequest, obj: Claim, form: Any, change: bool) -> None:
        # Through the model method, as on the claim and article pages: a new version, an "edited"
        # event, and a finished claim whose checked words change goes back to review.
        data = form.cleaned_data
        if "statement" not in data:
            return  # a withdrawn claim: every field is read-only
        try:
            obj.edit(
                by=request.user,
                statement=data["statement"],
                claimant=data["claimant"],
                note=data["note"],
                expected_version=data.get("seen_version"),
            )
        except WorkflowError as error:
            self.refused(request, error)

    @admin.display(description=_("claim"), ordering="statement")
    def short_statement(self, claim: Claim) -> str:
        return _cut(claim.statement)

    @admin.display(description=_("article"), ordering="article__title")
    def article_title(self, claim: Claim) -> str:
        return _cut(claim.article.title, 50)

    @admin.display(description=_("status"), ordering="status")
    def state(self, claim: Claim) -> str:
        lines = [claim.get_status_display()]
        if claim.is_withdrawn:
            lines.append(gettext("withdrawn"))
        if claim.anchor_state != AnchorState.EXACT:
            lines.append(claim.get_anchor_state_display())
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))

    # Deleting: only a claim nobody worked on, through Claim.discard (a plain delete fails on its history).
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return obj.can_be_deleted_by(request.user)
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[list[str], dict[str, int], set, list]:
        """What the confirmation page lists: each claim, or for each one that may not go, why not."""
        refusals = []
        for claim in objs:
            try:
                claim._check_delete(request.user)
            except WorkflowError as error:
                refusals.append(f"#{claim.pk} {snippets.quoted(str(claim))}: {error}")
        if refusals:
            return [], {}, set(), refusals
        claims = list(objs)
        return (
            [f"#{claim.pk} {snippets.quoted(str(claim))}" for claim in claims],
            {str(Claim._meta.verbose_name_plural): len(claims)},
            set(),
            [],
        )

    def delete_model(self, request: HttpRequest, obj: Claim) -> None:
        obj.discard(by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        for claim in queryset:
            try:
                claim.discard(by=request.user)
            except WorkflowError as error:
                self.message_user(request, f"#{claim.pk}: {error}", messages.WARNING)

    @admin.action(description=_("Start review of the selected claims"))
    def start_review(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        _run_on_each(
            self,
            request,
            queryset,
            lambda claim: claim.change_status(ClaimStatus.IN_REVIEW, by=request.user),
            lambda n: (
                ngettext("Review started for %(count)d claim.", "Review started for %(count)d claims.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Assign the selected claims to me"))
    def take_claims(self, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
        _run_on_each(
            self,
            request,
            queryset,
            lambda claim: claim.assign(request.user, by=request.user),
            lambda n: (
                ngettext("%(count)d claim assigned to you.", "%(count)d claims assigned to you.", n) % {"count": n}
            ),
        )

    # issue 6: the same CSV as /claims/export.csv, for the claims ticked in the changelist.
    def has_export_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("annotations.export_claims")

    @admin.action(description=_("Export the selected claims as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Claim]) -> StreamingHttpResponse | None:
        try:
            dialect = formats.get_dialect(request.POST.get("dialect"))
        except ValueError:
            # The same words as /claims/export.csv; None sends the admin back to the list.
            self.message_user(
                request, gettext("Unknown CSV format. Use dialect=excel for Excel or leave it out."), messages.ERROR
            )
            return None
        # Like every export, withdrawn claims are left out, ticked or not.
        left_out = queryset.withdrawn().count()
        if left_out:
            self.message_user(
                request,
                ngettext(
                    "%(count)d withdrawn claim was left out of the export.",
                    "%(count)d withdrawn claims were left out of the export.",
                    left_out,
                )
                % {"count": left_out},
                messages.WARNING,
            )
        chunks = exporting.csv_chunks(queryset.current().order_by(), dialect)
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8; header=present")
        return exporting.as_attachment(response, dialect.name)


class SourceChangeInline(ReadOnlyInline):
    model = SourceChange
    fields = ["created_at", "actor", "field", "old_value", "new_value"]
    readonly_fields = fields
    show_change_link = False
    ordering = ["created_at", "id"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SourceChange]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Source)
class SourceAdmin(SavesThroughModelMethods):
    list_display = ["short_title", "publisher", "kind", "published_on", "short_url"]
    list_filter = ["kind", "publisher"]
    search_fields = ["url", "title", "publisher"]
    list_select_related = ["created_by"]
    autocomplete_fields = ["created_by"]
    readonly_fields = ["created_at"]
    inlines = [SourceChangeInline]

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, source: Source) -> str:
        return _cut(str(source), 60)

    @admin.display(description=_("URL"), ordering="url")
    def short_url(self, source: Source) -> str:
        return _cut(source.url, 60)

    def get_inlines(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.inlines if obj is not None else []  # a new source has no changes yet

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Who added a source is a fact, not something to edit afterwards.
        return [*self.readonly_fields, "created_by"] if obj is not None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Source, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the model method: every changed field recorded, a URL under a verdict refused.
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in SourceChange.TRACKED}
        try:
            Source.objects.get(pk=obj.pk).change(by=request.user, **values)
        except WorkflowError as error:
            self.refused(request, error)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    # Read-only: evidence is added and removed on the claim page, which records both in the history;
    # its excerpt and stance are the record a verdict rests on, so they are not edited afterwards.
    list_display = ["claim", "source", "stance", "added_by", "added_at"]
    list_filter = ["stance", "added_at"]
    search_fields = ["claim__statement", "source__url", "source__title", "excerpt"]
    list_select_related = ["claim", "source", "added_by"]
    autocomplete_fields = ["claim", "source", "added_by"]
    readonly_fields = ["claim", "source", "stance", "added_by", "added_at"]


@admin.register(SourceChange)
class SourceChangeAdmin(ReadOnlyAdmin):
    list_display = ["source", "field", "old_value", "new_value", "actor", "created_at"]
    list_filter = ["field", "created_at"]
    search_fields = ["source__url", "source__title", "old_value", "new_value"]
    list_select_related = ["source", "actor"]


@admin.register(ClaimEvent)
class ClaimEventAdmin(ReadOnlyAdmin):
    list_display = ["claim", "kind", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["kind", "to_status", "created_at"]
    search_fields = ["claim__statement", "comment"]
    list_select_related = ["claim", "actor"]
    autocomplete_fields = ["claim", "actor"]
    date_hierarchy = "created_at"
    fields = ["claim", "kind", "from_status", "to_status", "comment", "details", "version", "actor", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("details"))
    def details(self, event: ClaimEvent) -> str:
        return event_details(event)


# --- issue 5: more workflow actions, and sources normalised in the back office too -----


@admin.action(description=_("Remove the assignee of the selected claims"))
def release_claims(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    _run_on_each(
        modeladmin,
        request,
        queryset,
        lambda claim: claim.assign(None, by=request.user),
        lambda n: (
            ngettext("%(count)d claim has no assignee now.", "%(count)d claims have no assignee now.", n) % {"count": n}
        ),
    )


@admin.action(description=_("Send the selected claims back to “unverified”"))
def send_back_to_unverified(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Claim]) -> None:
    _run_on_each(
        modeladmin,
        request,
        queryset,
        lambda claim: claim.change_status(ClaimStatus.UNVERIFIED, by=request.user),
        lambda n: (
            ngettext("%(count)d claim is unverified again.", "%(count)d claims are unverified again.", n) % {"count": n}
        ),
    )


ClaimAdmin.actions = [*ClaimAdmin.actions, release_claims, send_back_to_unverified]


class SourceAdminForm(forms.ModelForm):
    # Plain text fields: normalise_url decides what is a web address (and no guessed scheme).
    url = forms.CharField(label=_("URL"), max_length=2000, widget=forms.URLInput)
    archived_url = forms.CharField(label=_("archived URL"), max_length=2000, required=False, widget=forms.URLInput)

    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "kind", "published_on", "archived_url", "notes", "created_by"]

    def clean_url(self) -> str:
        try:
            url = links.normalise_url(self.cleaned_data["url"])
        except links.InvalidURL:
            raise forms.ValidationError(_("Enter a web address that starts with http:// or https://.")) from None
        # The unique check runs on the raw field: repeat it for the normalised address.
        if Source.objects.filter(url=url).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A source with this address exists already."))
        if self.instance.pk is not None:
            try:
                # The instance in the form still has the stored address: the model's rule decides.
                Source.objects.get(pk=self.instance.pk).check_url_change(url)
            except WorkflowError as error:
                raise forms.ValidationError(str(error)) from None
        return url

    def clean_archived_url(self) -> str:
        value = self.cleaned_data["archived_url"].strip()
        if not value:
            return ""
        try:
            return links.normalise_url(value)
        except links.InvalidURL:
            raise forms.ValidationError(_("Enter a web address that starts with http:// or https://.")) from None


SourceAdmin.form = SourceAdminForm


@admin.register(PendingVersion)
class PendingVersionAdmin(admin.ModelAdmin):
    """Texts that arrived for an existing article and wait for an editor's decision."""

    list_display = ["article", "original_filename", "uploaded_by", "uploaded_at"]
    list_select_related = ["article", "uploaded_by"]
    search_fields = ["article__title", "title", "original_filename"]
    readonly_fields = [
        "article",
        "body",
        "title",
        "source",
        "author",
        "url",
        "original_filename",
        "uploaded_by",
        "uploaded_at",
    ]
    actions = ["accept_versions"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Accept as the articles' new versions"), permissions=["view"])
    def accept_versions(self, request: HttpRequest, queryset: QuerySet[PendingVersion]) -> None:
        for pending in queryset.select_related("article"):
            try:
                correction = pending.accept(by=request.user)
            except WorkflowError as error:
                self.message_user(request, f"{pending.article}: {error}", messages.WARNING)
            else:
                summary = importing.correction_summary(correction.counts)
                self.message_user(request, f"{correction.article}: {summary}", messages.SUCCESS)
