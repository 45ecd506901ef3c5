"""manage.py benchmark_reanchor prints its figures; on the corpus nothing is misplaced."""

from __future__ import annotations

import io
import re

from django.core.management import call_command


def test_the_benchmark_prints_timings_outcomes_and_the_corpus_tally():
    out = io.StringIO()
    call_command("benchmark_reanchor", "--length", "6000", "--claims", "40", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert len(re.findall(r"re-anchoring 40 claims in an article of 6,\d{3} code points", text)) == 3
    assert text.count("0 placed on changed words without review (must be 0)") == 3
    assert re.search(r"corpus: \d+ corrections, \d+ claims: .* 0 misplaced", text)
