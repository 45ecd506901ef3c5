"""Load demo users and demo articles with claims in every status. Safe to run again."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from annotations import demo
from annotations.models import Article, Claim, Source, body_hash


class Command(BaseCommand):
    help = "Create demo users (development only) and demo articles with claims, sources and history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Create the demo users even though DEBUG is off (their passwords are public).",
        )

    def handle(self, *args: Any, allow_without_debug: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "Demo users have public passwords: load_demo runs only with DEBUG=1 "
                "(or --allow-without-debug on a throwaway database)."
            )
        with transaction.atomic():
            users = {spec.username: self._user(spec) for spec in demo.DEMO_USERS}
            created = [spec.title for spec in demo.DEMO_ARTICLES if self._article(spec, users)]
        self.stdout.write(
            f"Demo data: {len(created)} new article(s), {Article.objects.count()} in all, "
            f"{Claim.objects.count()} claims."
        )
        self.stdout.write("Demo logins (development only):")
        for spec in demo.DEMO_USERS:
            role = spec.group or "superuser"
            self.stdout.write(f"  {spec.username:<10} / {demo.DEMO_PASSWORD}   ({role})")

    def _user(self, spec: demo.DemoUser) -> Any:
        User = get_user_model()
        user, _ = User.objects.get_or_create(username=spec.username)
        user.first_name, user.last_name = spec.first_name, spec.last_name
        user.email = f"{spec.username}@example.org"
        user.is_superuser = user.is_staff = spec.is_superuser
        if spec.group in ("Chief editor",):
            user.is_staff = True
        if not user.check_password(demo.DEMO_PASSWORD):
            user.set_password(demo.DEMO_PASSWORD)
        user.save()
        if spec.group:
            user.groups.set([Group.objects.get(name=spec.group)])
        return User.objects.get(pk=user.pk)  # fresh, so its permission cache matches the groups

    def _article(self, spec: demo.DemoArticle, users: dict[str, Any]) -> bool:
        if Article.objects.filter(content_hash=body_hash(spec.body)).exists():
            return False
        article = Article.objects.create(
            title=spec.title,
            body=spec.body,
            source=spec.source,
            author=spec.author,
            published_on=_first_day(spec.published),
            published_precision=spec.precision,
            created_by=users["redaktion"],
            updated_by=users["redaktion"],
        )
        article.store_fingerprint()  # so an upload of almost the same text is recognised
        for claim_spec in spec.claims:
            start = spec.body.index(claim_spec.quote)
            claim = Claim.objects.create_from_selection(
                article=article,
                start=start,
                end=start + len(claim_spec.quote),
                quote=claim_spec.quote,
                statement=claim_spec.statement,
                claimant=claim_spec.claimant,
                by=users[claim_spec.created_by],
            )
            checker = users[claim_spec.steps[0][2]] if claim_spec.steps else users["doku"]
            for item in claim_spec.evidence:
                source, _ = Source.objects.for_url(
                    item.url, defaults={"title": item.title, "publisher": item.publisher, "kind": item.kind}
                )
                claim.add_evidence(source, stance=item.stance, excerpt=item.excerpt, by=checker)
            for status, comment, username in claim_spec.steps:
                claim.change_status(status, by=users[username], comment=comment)
        return True


def _first_day(value: str) -> datetime.date:
    parts = [int(part) for part in value.split("-")] + [1, 1]
    return datetime.date(parts[0], parts[1], parts[2])
