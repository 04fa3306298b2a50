"""The seed run's report.html in a real browser: Debian's chromium, driven by selenium.

`.ci/run` installs chromium and chromium-driver (the README's test command does).
"""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
# Chromium's own background traffic is off, so that every request the log shows is the page's.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1600",
)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() or not Path(CHROMEDRIVER).exists():
        pytest.fail("needs Debian's chromium: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(browser, seed_run: Path):
    browser.get((seed_run / "report.html").as_uri())
    browser.find_element(By.ID, "issue-rows")  # the page script ran
    return browser


def flagged_links(seed_run: Path) -> set[tuple[str, ...]]:
    rows = csv.DictReader(io.StringIO((seed_run / "segments.csv").read_text(encoding="utf-8-sig")))
    return {
        (r["pair"], r["system"], r["src_ids"], r["tgt_ids"], kind)
        for r in rows
        for kind in r["flags"].split(";")
        if kind
    }


def shown_issues(page) -> list[tuple[str, ...]]:
    rows = page.find_elements(By.CSS_SELECTOR, "#issue-rows tr.issue")
    keys = ("data-pair", "data-system", "data-src", "data-tgt", "data-kind")
    return [tuple(r.get_attribute(k) for k in keys) for r in rows if r.is_displayed()]


def test_the_page_makes_no_request_beyond_its_file_and_logs_no_error(page) -> None:
    requests = []
    for entry in page.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    assert requests and all(u.startswith(("file://", "data:")) for u in requests), requests
    resources = page.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(u.startswith(("file://", "data:", "blob:")) for u in resources), resources
    errors = [e for e in page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_every_flagged_link_is_in_the_issue_list(page, seed_run: Path) -> None:
    Select(page.find_element(By.ID, "page-size")).select_by_value("0")
    expected = flagged_links(seed_run)
    shown = shown_issues(page)
    assert expected and set(shown) == expected
    assert len(shown) == len(expected)


def test_filtering_by_one_kind_hides_the_others(page, seed_run: Path) -> None:
    expected = flagged_links(seed_run)
    Select(page.find_element(By.ID, "page-size")).select_by_value("0")
    kinds = Select(page.find_element(By.ID, "filter-kind"))
    assert {o.get_attribute("value") for o in kinds.options} - {""} == {k[4] for k in expected}
    kinds.select_by_value("dropped")
    shown = shown_issues(page)
    assert set(shown) == {k for k in expected if k[4] == "dropped"}
    assert len({k[4] for k in expected}) > 1 and shown
    kinds.select_by_value("")
    assert len(shown_issues(page)) == len(expected)


def test_an_issue_opens_its_link_in_the_side_by_side_view(page) -> None:
    first = page.find_element(By.CSS_SELECTOR, "#issue-rows tr.issue")
    link = first.get_attribute("data-link")
    first.find_element(By.CSS_SELECTOR, "a.view").click()
    row = page.find_element(By.ID, f"link-{link}")
    assert "focus" in row.get_attribute("class").split()
    cells = row.find_elements(By.TAG_NAME, "td")
    gaps = [c for c in cells if "gap" in c.get_attribute("class").split()]
    if first.get_attribute("data-kind") in ("dropped", "added"):
        assert len(gaps) == 1  # the missing side is shown as a gap


def test_charts_are_drawn_and_a_screenshot_is_not_blank(page, tmp_path: Path) -> None:
    assert len(page.find_elements(By.CSS_SELECTOR, "#charts svg")) >= 3
    shot = tmp_path / "report.png"
    page.save_screenshot(str(shot))
    image = Image.open(shot).convert("L")
    assert image.size[0] >= 1000
    assert ImageStat.Stat(image).stddev[0] > 10
    assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50


@pytest.fixture(scope="module")
def compare_page(browser, tmp_path_factory: pytest.TempPathFactory):
    from test_regression_story import RENDERING, compare, config, degraded, run

    folder = tmp_path_factory.mktemp("compare-page")
    outs = []
    for name, target in (("good", RENDERING), ("bad", degraded(folder))):
        code, output = run(config(folder, name, {"vendor": target}), folder / name)
        outs.append(folder / name)
    code, output = compare(outs[0], outs[1], folder / "cmp")
    assert code == 1, output
    browser.get((folder / "cmp" / "report.html").as_uri())
    browser.find_element(By.ID, "unit-rows")
    return browser


def test_the_comparison_page_shows_the_failures_and_new_flags_first(compare_page) -> None:
    failures = compare_page.find_elements(By.CSS_SELECTOR, "#failures li.fail")
    assert any("number_mismatch" in f.text for f in failures)
    rows = compare_page.find_elements(By.CSS_SELECTOR, "#unit-rows tr.unit")
    statuses = [r.get_attribute("data-status") for r in rows]
    assert statuses and "unchanged" not in statuses  # unchanged units are hidden at first
    assert statuses == sorted(statuses, key=("flags gained", "changed").index)
    Select(compare_page.find_element(By.ID, "filter-status")).select_by_value("")
    everything = compare_page.find_elements(By.CSS_SELECTOR, "#unit-rows tr.unit")
    assert len(everything) > len(rows)
    errors = [e for e in compare_page.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="shop.json" source-language="en" target-language="id" datatype="plaintext">
  <body>
   <trans-unit id="cart.title">
    <source>Your cart</source><target>Keranjang Anda</target></trans-unit>
   <trans-unit id="cart.total">
    <source>Total: 25 items</source><target>Total: 52 barang</target></trans-unit>
   <trans-unit id="cart.empty"><source>Your cart is empty.</source><target></target></trans-unit>
   <trans-unit id="cart.pay"><source>Pay now</source><target>Bayar sekarang</target></trans-unit>
  </body>
 </file>
</xliff>
"""


def test_a_vendor_file_without_reference_shows_unit_ids_and_logs_nothing(browser, tmp_path) -> None:
    from click.testing import CliRunner

    from mt_eval.cli import cli

    delivery = tmp_path / "shop.id.xlf"
    delivery.write_text(XLIFF, encoding="utf-8")
    out = tmp_path / "out"
    args = ["run", "--target", str(delivery), "--out", str(out), "--no-cache", "--no-comet"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    browser.get((out / "report.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#issue-rows tr.issue")
    shown = {
        (r.get_attribute("data-kind"), r.find_elements(By.TAG_NAME, "td")[5].text) for r in rows
    }
    assert ("dropped", "unit cart.empty 3 \u2192 \u2013") in shown
    assert any(kind == "number_mismatch" and "cart.total" in ids for kind, ids in shown)
    # no BLEU or chrF without a reference: the charts show what was scored, silently
    assert browser.find_elements(By.CSS_SELECTOR, "#charts svg")
    assert browser.get_log("browser") == []
