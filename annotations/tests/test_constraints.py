"""The database itself refuses impossible data, whatever code writes it."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from annotations.models import Claim, Evidence
from annotations.tests.conftest import add_evidence, make_source

pytestmark = pytest.mark.django_db


def _raw_claim(article, editor, start: int, end: int) -> None:
    Claim.objects.create(article=article, start=start, end=end, quote="x", statement="s", created_by=editor)


@pytest.mark.parametrize(("start", "end"), [(10, 10), (10, 5)])
def test_span_must_have_start_before_end(article, editor, start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_claim(article, editor, start, end)


def test_negative_start_is_refused_by_the_database(article, editor, claim):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Claim._meta.db_table} SET start = -1 WHERE id = %s", [claim.pk])


def test_unknown_status_is_refused_by_the_database(claim):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="maybe")


def test_evidence_is_unique_per_claim_and_source(claim, fact_checker):
    source = make_source()
    add_evidence(claim, fact_checker, source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, source=source, stance="refutes", added_by=fact_checker)
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_source_with_evidence_cannot_be_deleted(claim, fact_checker):
    evidence = add_evidence(claim, fact_checker)
    with pytest.raises(ProtectedError):
        evidence.source.delete()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_article_with_claims_cannot_be_deleted(article, claim):
    with pytest.raises(ProtectedError):
        article.delete()
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_claim_with_evidence_cannot_be_deleted(claim, fact_checker):
    add_evidence(claim, fact_checker)
    with pytest.raises(ProtectedError):
        claim.delete()


def test_database_foreign_key_refuses_deleting_a_cited_source_behind_the_orm(claim, fact_checker):
    evidence = add_evidence(claim, fact_checker)
    table = evidence.source._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [evidence.source_id])
            # Django's foreign keys are deferred: check them now, not at commit.
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                connection.check_constraints()


def test_history_rows_cannot_be_changed(claim):
    event = claim.events.get()
    event.comment = "rewritten"
    with pytest.raises(Exception, match="never changed"):
        event.save()
    with pytest.raises(Exception, match="never changed"):
        claim.events.update(comment="rewritten")
