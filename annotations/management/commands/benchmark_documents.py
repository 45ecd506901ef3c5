"""Measure how long reading hostile files takes, and how much memory: Word files and web pages.

Each file is built here (our own text), then read by `annotations.lib.documents.parse_file` with the
import limits of the settings, in a child process of its own, so each figure is that file's alone:
seconds, and the growth of the resident memory's peak (Linux: /proc/self/clear_refs and VmHWM).

    manage.py benchmark_documents [--only docx|html] [--repeat 1]
"""

from __future__ import annotations

import io
import multiprocessing
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from annotations import importing
from annotations.lib import documents

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(body: Iterator[bytes]) -> bytes:
    """A minimal Word file whose document.xml body is written from chunks (so it may be huge)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as stream:
            stream.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'.encode())
            for chunk in body:
                stream.write(chunk)
            stream.write(b"</w:body></w:document>")
    return out.getvalue()


def paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def repeated(chunk: bytes, total: int) -> Iterator[bytes]:
    for _ in range(total // len(chunk)):
        yield chunk


def html_page(blocks: Iterator[str]) -> bytes:
    head = '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Pegelstände</title></head><body>'
    return (
        head + "<article><h1>Pegelstände an der Mühlenau</h1>" + "".join(blocks) + "</article></body></html>"
    ).encode()


def _sentence(n: int) -> str:
    return f"Messstelle {n}: Der Pegel der Mühlenau stieg um {n % 97}\u00a0cm, sagte die Behörde."


CASES: dict[str, Callable[[], bytes]] = {
    "docx-malformed-xml": lambda: docx(iter([paragraph("Kaputt")[:-6]])),
    # 100 MB of document.xml in a few hundred KB (the report's: 136 KB).
    "docx-bomb-100MB": lambda: docx(repeated(paragraph("Wasser " * 140) * 1000, 100 * 1024 * 1024)),
    # 50 MB of paragraphs in about 200 KB (the report's: 187 KB).
    "docx-paragraphs-50MB": lambda: docx(
        repeated(b"".join(paragraph(_sentence(n)) for n in range(20)), 50 * 1024 * 1024)
    ),
    # Compressed like real text (under the ratio limit), but more text than an article may have.
    "docx-text-over-limit": lambda: docx(iter([b"".join(paragraph(_sentence(n)) for n in range(80_000))])),
    "docx-article-3MB-text": lambda: docx(iter([b"".join(paragraph(_sentence(n)) for n in range(40_000))])),
    "html-paragraphs-20000": lambda: html_page(f"<p>{_sentence(n)}</p>" for n in range(20_000)),
    "html-paragraphs-40000": lambda: html_page(f"<p>{_sentence(n)}</p>" for n in range(40_000)),
    # The report's: 100,000 paragraphs in 4.5 MB.
    "html-paragraphs-100000": lambda: html_page(f"<p>Absatz {n} über den Pegel.</p>" for n in range(100_000)),
    "html-divs-100000": lambda: html_page(f"<div>Absatz {n} über den Pegel.</div>" for n in range(100_000)),
    "html-line-breaks-150000": lambda: html_page(f"Zeile {n} zum Pegel.<br>" for n in range(150_000)),
    # Just under the element limit (5,000 by default), in each shape: the slowest files that are read.
    "html-limit-paragraphs": lambda: html_page(f"<p>{_sentence(n)}</p>" for n in range(4_990)),
    "html-limit-divs": lambda: html_page(f"<div>{_sentence(n)}</div>" for n in range(4_990)),
    "html-limit-list-items": lambda: html_page(["<ul>", *(f"<li>{_sentence(n)}</li>" for n in range(4_980)), "</ul>"]),
    "html-limit-line-breaks": lambda: html_page(f"{_sentence(n)}<br>" for n in range(4_990)),
    "html-limit-table-cells": lambda: html_page(
        ["<table>", *(f"<tr><td>{_sentence(n)}</td></tr>" for n in range(2_490)), "</table>"]
    ),
    "html-limit-nested-divs": lambda: html_page(iter(["<div>Ebene " * 4_990 + "</div>" * 4_990])),
    "html-one-paragraph-4MB": lambda: html_page(iter(["<p>" + " ".join(_sentence(n) for n in range(50_000)) + "</p>"])),
    "html-svg-paths-100000": lambda: html_page(
        iter(["<p>" + _sentence(1) + "</p><svg>" + '<path d="M0 0L1 1"/>' * 100_000 + "</svg>"])
    ),
    "html-article-2000-paragraphs": lambda: html_page(f"<p>{_sentence(n)}</p>" for n in range(2_000)),
}


def _status_kib(field: str, pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _measure(name: str, data: bytes, limits: documents.Limits, pipe: Any) -> None:
    """In the child: reset the peak, read the file, send back seconds, peak growth and the outcome."""
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident size
    before = _status_kib("VmRSS")
    pipe.send(before)
    start = time.perf_counter()
    try:
        document = documents.parse_file(name, data, limits)
        outcome = f"imported, {len(document.body):,} characters"
    except documents.Refused as refusal:
        outcome = f"refused: {refusal.code}"
    except Exception as error:  # what a worker would answer 500 for
        outcome = f"CRASH: {type(error).__name__}: {str(error)[:80]}"
    seconds = time.perf_counter() - start
    pipe.send((seconds, (_status_kib("VmHWM") - before) / 1024, outcome))


class Command(BaseCommand):
    help = "Time and peak memory of reading hostile .docx and .html files (each in its own process)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", choices=["docx", "html"], help="only the Word files or only the web pages")
        parser.add_argument("--repeat", type=int, default=1, help="read each file this many times (best time)")
        parser.add_argument("--timeout", type=float, default=60, help="stop reading one file after this many seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        limits = importing.limits()
        # Warm the imports in the parent, so the children (forked) measure the reading, not the loading.
        documents.parse_file("warm.html", html_page(iter(["<p>Warm.</p>"])), limits)
        context = multiprocessing.get_context("fork")
        self.stdout.write(f"{'file':30} {'size':>10} {'seconds':>8} {'peak MiB':>9}  outcome")
        for case, build in CASES.items():
            if options["only"] and not case.startswith(options["only"]):
                continue
            data = build()
            name = case + (".docx" if case.startswith("docx") else ".html")
            runs = []
            for _ in range(max(1, options["repeat"])):
                receiver, sender = context.Pipe(duplex=False)
                child = context.Process(target=_measure, args=(name, data, limits, sender))
                child.start()
                before = receiver.recv()
                if receiver.poll(options["timeout"]):
                    runs.append(receiver.recv())
                else:  # what a worker timeout would cut off: report the memory reached so far
                    peak = (_status_kib("VmHWM", child.pid) - before) / 1024
                    child.kill()
                    runs.append((options["timeout"], peak, f"STOPPED after {options['timeout']:.0f} s"))
                child.join()
            seconds, peak, outcome = min(runs)
            size = f"{len(data) / 1024:,.0f} KB"
            self.stdout.write(f"{case:30} {size:>10} {seconds:8.2f} {peak:9.1f}  {outcome}")
