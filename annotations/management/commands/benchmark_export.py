"""Time the CSV export of the verified claims over HTTP against a raw COPY of the same rows; print the figures."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.urls import reverse

from annotations import exporting
from annotations.filters import ClaimFilter
from annotations.models import Claim
from annotations.roles import CHIEF_EDITOR


def _status_kib(field: str) -> int | None:
    """A field of /proc/self/status in KiB (VmRSS, VmHWM); None where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS; False where Linux does not offer it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class Command(BaseCommand):
    help = (
        "Benchmark /claims/export.csv (PostgreSQL): stream the verified claims through Django's test client, "
        "then COPY the same rows unformatted; print rows/s of both, their ratio and the peak RSS growth."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dialect", default="rfc4180", choices=["rfc4180", "excel"])

    def handle(self, *args: Any, dialect: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark compares with COPY: run it against PostgreSQL (DATABASE_URL).")
        claims = ClaimFilter({"status": ["verified"]}, queryset=Claim.objects.all()).qs
        rows = claims.count()
        if not rows:
            raise CommandError("No verified claims: fill the database with generate_load_data first.")
        self.stdout.write(f"verified claims: {rows}")

        sql, params = exporting.raw_copy_sql(claims)
        _consume(exporting.copy_out(sql, params, "FORMAT text"))  # warm the cache, so neither run pays for it

        client = Client(HTTP_HOST=_host())
        client.force_login(_benchmark_user())
        url = reverse("annotations:claim-export-csv") + f"?status=verified&dialect={dialect}"
        rss_before = _status_kib("VmRSS")
        peak_resettable = _reset_peak()
        maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"export answered {response.status_code}")
        first_byte, size, chunks = None, 0, 0
        for chunk in response.streaming_content:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            chunks += 1
        # No response.close(): the test client closes a streamed response when it is exhausted.
        export_seconds = time.perf_counter() - started
        if peak_resettable and rss_before is not None:
            growth_mib = ((_status_kib("VmHWM") or 0) - rss_before) / 1024
            how = "peak RSS (VmHWM, reset through /proc/self/clear_refs before the run) minus RSS before"
        else:
            growth_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - maxrss_before) / 1024
            how = "growth of ru_maxrss (resource module; 0 if the peak was reached earlier)"

        started = time.perf_counter()
        raw_size = _consume(exporting.copy_out(sql, params, "FORMAT text"))
        raw_seconds = time.perf_counter() - started

        export_rate, raw_rate = rows / export_seconds, rows / raw_seconds
        self.stdout.write(
            f"HTTP export: {rows} rows, {size / 2**20:.1f} MiB in {chunks} chunks, {export_seconds:.2f} s "
            f"= {export_rate:,.0f} rows/s; first bytes after {1000 * (first_byte or 0):.1f} ms"
        )
        self.stdout.write(
            f"raw COPY:    {rows} rows, {raw_size / 2**20:.1f} MiB, {raw_seconds:.2f} s = {raw_rate:,.0f} rows/s"
        )
        self.stdout.write(f"ratio export/raw: {export_rate / raw_rate:.2f} (goal: at least 0.5)")
        self.stdout.write(f"peak memory growth: {growth_mib:.1f} MiB (goal: under 50 MB); measured as {how}")


def _consume(chunks: Iterable[Any]) -> int:
    return sum(len(chunk) for chunk in chunks)


def _host() -> str:
    hosts = [host for host in settings.ALLOWED_HOSTS if host != "*" and not host.startswith(".")]
    return hosts[0] if hosts else "localhost"


def _benchmark_user() -> Any:
    user, created = get_user_model().objects.get_or_create(username="benchmark-cvd")
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=CHIEF_EDITOR))
    return user
