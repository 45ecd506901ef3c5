"""How well "already checked?" finds the same claim in other words: the paraphrase set through the database.

    manage.py evaluate_similar_claims [--show-misses]

Stores each case's claim (and its near misses: another number, year or place) in an article of its own,
asks with the paraphrase, and prints how often the true match comes first and how often in the top
three, and how often a near miss ranks above it. Everything it stores is rolled back; on a database
filled by generate_load_data the million claims there compete as well.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from annotations.lib.paraphrases import CASES
from annotations.models import Article, Claim


class Command(BaseCommand):
    help = "Print how often the paraphrase set's true match is first and in the top three."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show-misses", action="store_true", help="Print the cases not ranked first.")

    def handle(self, *args: Any, show_misses: bool, **options: Any) -> None:
        with transaction.atomic():
            self._evaluate(show_misses)
            transaction.set_rollback(True)

    def _evaluate(self, show_misses: bool) -> None:
        # Allowed to add claims without a group; rolled back with everything else.
        user = get_user_model().objects.create(username="evaluate-similar-claims", is_superuser=True)
        stored = [_store(case.stored, user) for case in CASES]
        near = [[_store(text, user) for text in case.near] for case in CASES]
        first = top_three = near_above = near_total = 0
        for index, case in enumerate(CASES):
            found = Claim.objects.similar_to(case.query, limit=10)
            ids = [item.claim.pk for item in found]
            position = ids.index(stored[index].pk) if stored[index].pk in ids else None
            first += position == 0
            top_three += position is not None and position < 3
            for claim in near[index]:
                near_total += 1
                if claim.pk in ids and (position is None or ids.index(claim.pk) < position):
                    near_above += 1
            if show_misses and position != 0:
                best = found[0].claim.statement if found else "–"
                self.stdout.write(f"  #{index} at {position}: {case.query!r}; first: {best!r}")
        total = len(CASES)
        self.stdout.write(
            f"{total} paraphrase pairs: true match first {first}/{total} ({first / total:.0%}), "
            f"in the top three {top_three}/{total} ({top_three / total:.0%}); "
            f"near misses ranked above the true match: {near_above}/{near_total}"
        )


def _store(text: str, user: Any) -> Claim:
    body = f"Vorspann. {text}. Nachsatz."
    article = Article.objects.create(title=text[:80], body=body, created_by=user)
    start = body.index(text)
    return Claim.objects.create_from_selection(
        article=article, start=start, end=start + len(text), quote=text, statement=text, by=user
    )
