"""The desk in Chromium: the title step and the near-duplicate warning on the upload results, German
whatever the browser's language and the switch remembered, the queue's layout, the overview's chart
without JavaScript, the export's columns and refusal page, logging out, and the back office at 1366 px."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Article, ArticleRevision, ClaimStatus, UserPreferences
from annotations.roles import CHIEF_EDITOR, FACT_CHECKER
from annotations.tests.conftest import PASSWORD, add_evidence, log_in, make_article, make_claim, make_user

pytestmark = pytest.mark.browser

WIRE = (
    "Hollerbach (dpa) - Die Gemeindewerke von Hollerbach wollen bis zum Jahr 2031 alle Straßenlaternen im "
    "Ortskern auf sparsame Leuchtdioden umstellen und rechnen mit rund 40 Prozent weniger Stromverbrauch, "
    "wie eine Sprecherin am Mittwoch mitteilte.\n\n"
    "Die Umrüstung soll etwa 2,1 Millionen Euro kosten. Der Gemeinderat muss dem Plan noch zustimmen."
)


def paste(page, live_server, text: str) -> None:
    page.goto(f"{live_server.url}/articles/new/")
    page.fill("form[data-upload-form] textarea[name=text]", text)
    page.click("form[data-upload-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/articles/uploads/**")


def test_the_editor_sets_a_generated_title_on_the_results_page(page, live_server, editor, tmp_path):
    log_in(page, live_server, editor)
    paste(page, live_server, WIRE)
    article = Article.objects.get()
    row = page.locator(f"#result-{article.pk}")
    expect(row.locator("[data-title-generated]")).to_be_visible()
    form = row.locator(f"form[data-title-form='{article.pk}']")
    field = form.locator("input[type=text]")
    expect(field).to_have_value(article.title)
    assert article.title.startswith("Die Gemeindewerke") and len(article.title) <= 80
    page.screenshot(path=tmp_path / "desk-title-step.png", full_page=True)
    field.fill("Hollerbach stellt Laternen auf LED um")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("ist gespeichert")
    expect(page.locator(f"#result-{article.pk} .result-title")).to_have_text("Hollerbach stellt Laternen auf LED um")
    expect(page.locator(f"#result-{article.pk} [data-title-generated]")).to_have_count(0)
    article.refresh_from_db()
    assert (article.title, article.title_generated) == ("Hollerbach stellt Laternen auf LED um", False)


def test_a_near_duplicate_is_shown_with_a_warning_and_taken_as_the_new_version(page, live_server, editor, tmp_path):
    log_in(page, live_server, editor)
    paste(page, live_server, WIRE)
    first = Article.objects.get()
    paste(page, live_server, WIRE.replace("sparsame", "sparsamere"))
    row = page.locator(f"[data-near-duplicate='{first.pk}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Fast derselbe Text")
    expect(row).to_contain_text(f"#{first.pk}")
    expect(row.locator("[data-accept-version]")).to_have_text("Als neue Fassung übernehmen")
    page.screenshot(path=tmp_path / "desk-near-duplicate.png", full_page=True)
    assert Article.objects.count() == 1
    row.locator("[data-accept-version]").click()
    page.wait_for_url(f"{live_server.url}/articles/{first.pk}/revisions/")
    first.refresh_from_db()
    assert first.text_version == 2 and "sparsamere" in first.body
    assert ArticleRevision.objects.filter(article=first).count() == 1


def test_an_english_browser_gets_german_and_the_switch_is_remembered_at_the_next_login(browser, live_server, editor):
    english = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = english.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text("Anmelden")
    log_in(page, live_server, editor)
    expect(page.locator("h1")).to_have_text("Übersicht")
    page.click(".language-switch button[value=en]")
    expect(page.locator("h1")).to_have_text("Overview")
    page.click("form.logout button")
    expect(page.locator(".messages")).to_contain_text("You are logged out.")
    english.close()
    assert UserPreferences.objects.language_of(editor) == "en"
    # Another browser, set to German this time, and no cookie: the person's choice comes back at login.
    german = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = german.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("Anmelden")
    log_in(page, live_server, editor)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Overview")
    german.close()


def test_logging_out_confirms_it_on_the_login_page(page, live_server, editor):
    log_in(page, live_server, editor)
    page.click("form.logout button")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.locator(".messages")).to_contain_text("Sie sind abgemeldet.")


def test_the_queue_keeps_badges_beside_the_statement_and_names_whole(page, live_server, editor, tmp_path):
    checker = make_user("dila", FACT_CHECKER, first_name="Dilara", last_name="Dokumentarin")
    title = "Stadtrat von Hollerbach beschließt nach monatelanger Debatte die Verlängerung der Straßenbahnlinie 4 " * 2
    article = make_article(by=editor, title=title.strip())
    claim = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="Rekordhaushalt")
    add_evidence(claim, checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=checker)
    claim.change_status(ClaimStatus.UNVERIFIABLE, by=checker, comment="Keine Daten")
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/")
    row = page.locator(f"tr[data-claim-row='{claim.pk}']")
    badge = row.locator(".col-status .badge").first.bounding_box()
    statement = row.locator(".col-claim a").first.bounding_box()
    assert badge["x"] + badge["width"] <= statement["x"], (badge, statement)
    name = row.locator(".col-person .person")
    expect(name).to_have_text("Dilara Dokumentarin")
    # No word broken across lines ("Dokumentari / n"): every word of the name lies on one line.
    lines_per_word = name.evaluate(
        """node => {
            const text = node.firstChild, range = document.createRange(), lines = [];
            for (const match of text.data.matchAll(/\\S+/g)) {
                range.setStart(text, match.index);
                range.setEnd(text, match.index + match[0].length);
                lines.push(new Set([...range.getClientRects()].map(rect => Math.round(rect.top))).size);
            }
            return lines;
        }"""
    )
    assert lines_per_word == [1, 1]
    one_line = row.locator(".col-dates time").first.bounding_box()["height"]
    link = row.locator(".col-article a")
    expect(link).to_have_attribute("title", title.strip())
    assert link.bounding_box()["height"] <= 2.6 * one_line  # at most two lines of the long title
    page.screenshot(path=tmp_path / "desk-queue.png", full_page=True)


def test_the_overview_s_chart_is_readable_without_javascript(browser, live_server, editor, fact_checker, claim):
    add_evidence(claim, fact_checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, editor)
    chart = page.locator("[data-week-chart] svg.chart")
    expect(chart).to_be_visible()
    expect(chart.locator("g.chart-row")).to_have_count(12)
    bar = chart.locator("rect.chart-bar.status-verified")
    expect(bar).to_have_count(1)
    assert bar.bounding_box()["width"] > 100
    # The status colour comes from the style sheet, not from an attribute in the page.
    assert bar.evaluate("node => getComputedStyle(node).fill") == "rgb(47, 125, 50)"
    expect(chart.locator("g.chart-row").last).to_contain_text("✓ 1")
    context.close()


def test_the_chief_editor_downloads_the_csv_with_the_evidence_columns(page, live_server, chief_editor, editor, claim):
    checker = make_user("fritzi", FACT_CHECKER)
    add_evidence(claim, checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=checker)
    claim.change_status(ClaimStatus.VERIFIED, by=checker, comment="Haushaltsplan S. 12")
    log_in(page, live_server, chief_editor)
    page.goto(f"{live_server.url}/claims/")
    with page.expect_download() as download_info:
        page.click("[data-export-csv-excel]")
    download = download_info.value
    assert download.suggested_filename.endswith("-excel.csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0]["verdict_comment"] == "Haushaltsplan S. 12"
    assert rows[0]["source_titles"] == "Haushaltsplan 2027" and rows[0]["source_stances"] == "supports"
    assert rows[0]["claim_id"] == str(claim.pk)  # the old columns as before


def test_an_editor_opening_the_export_gets_a_page_in_the_app_s_layout(page, live_server, editor):
    log_in(page, live_server, editor)
    page.goto(f"{live_server.url}/claims/export.csv")
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.locator("[data-export-refused]")).to_contain_text("Sie dürfen keine Behauptungen exportieren")


@pytest.mark.parametrize("model", ["claim", "article", "claimevent", "source", "evidence"])
def test_the_back_office_lists_fit_a_laptop_screen(browser, live_server, superuser, editor, fact_checker, model):
    title = "Der Gemeinderat von Hollerbach beschließt nach langer Debatte den Haushalt des kommenden Jahres"
    article = make_article(by=editor, title=title, source="Hollerbacher Anzeiger mit sehr langem Namen")
    claim = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement=title)
    add_evidence(claim, fact_checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", superuser.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/annotations/{model}/")
    results = page.locator("#changelist-form .results")
    expect(results).to_be_visible()
    overflow = results.evaluate("node => node.scrollWidth - node.clientWidth")
    assert overflow <= 1, f"the {model} list runs {overflow} px past the screen"
    context.close()


def test_the_header_stays_one_line_at_1280_px_for_a_chief_editor_with_a_long_name(browser, live_server, tmp_path):
    # The widest header: every link (a chief editor on the staff sees the back office) and a long name.
    chief = make_user(
        "cvd-lang", CHIEF_EDITOR, is_staff=True, first_name="Maximiliane", last_name="Oberhuber-Schwarzenbach"
    )
    for language, width in (("de", 1280), ("en", 1280), ("de", 1920)):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, live_server, chief)
        if language == "en":
            page.locator(".language-switch button[value=en]").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
        header = page.locator("header.site-header")
        # One line is about 52 px high; a second line makes it 67 px or more.
        height = header.bounding_box()["height"]
        tops = page.evaluate(
            "() => [...document.querySelectorAll('.site-nav a')].map((a) => a.getBoundingClientRect().top)"
        )
        page.screenshot(path=tmp_path / f"header-{language}-{width}.png")
        assert height < 60, f"{language} at {width} px: the header is {height} px high"
        assert len(tops) == 6 and len(set(tops)) == 1, tops
        who = header.locator(".who")
        expect(who).to_have_attribute("title", "Maximiliane Oberhuber-Schwarzenbach")
        context.close()
