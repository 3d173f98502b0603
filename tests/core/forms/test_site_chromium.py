"""The pre-fill web site in headless Chromium: fill a form, read the QR code back, compare with Python."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from selenium.webdriver.support.ui import WebDriverWait

from madoguchi.core.config import HallConfig
from madoguchi.core.forms.messages import message_text
from madoguchi.core.forms.payload import decode_prefill
from madoguchi.core.forms.qr_measure import FAMILY_OF_FOUR_MEMBERS, FAMILY_OF_FOUR_VALUES, alphanumeric_bits, version_m
from madoguchi.core.forms.rules import site_rules
from madoguchi.core.forms.validation import validate_form
from madoguchi.translations.prefill_site import site_texts
from tests.support.browser import fill_procedure, read_qr_png

TYPED_CERTIFICATE = {
    "name": "髙橋　𠮷子",
    "kana": "ﾀｶﾊｼ よしこ",
    "address": "東京都みどり市中央１－２－３　ﾐﾄﾞﾘﾊｲﾂ１０１",
    "birth_date": "昭和55年4月1日",
    "phone": "０９０ー１２３４ー５６７８",
    "copies": "２",
    "purpose": "bank",
}


def _make_code_and_read(driver: Any, artifacts: Path, name: str) -> tuple[str, int]:
    driver.find_element("id", "make-code").click()
    canvas = WebDriverWait(driver, 10).until(lambda d: d.find_element("id", "qr"))
    png = canvas.screenshot_as_png
    out = artifacts / "forms"
    out.mkdir(exist_ok=True)
    (out / f"{name}_qr.png").write_bytes(png)
    driver.save_screenshot(str(out / f"{name}_page.png"))
    texts = read_qr_png(png)
    assert len(texts) == 1, "the QR code on the page did not read back"
    return texts[0], int(canvas.get_attribute("data-version"))


def test_certificate_form_round_trip(site_page: Any, hall_config: HallConfig, artifacts_dir: Path) -> None:
    fill_procedure(site_page, "juminhyo", TYPED_CERTIFICATE)
    code, version = _make_code_and_read(site_page, artifacts_dir, "prefill_juminhyo")
    payload = decode_prefill(code, hall_config, expected_procedure="juminhyo")
    expected = validate_form(hall_config.forms["certificate_request"], TYPED_CERTIFICATE)
    assert expected.ok
    assert payload.values == expected.values
    assert payload.values["name"] == "髙橋 𠮷子" and payload.values["kana"] == "タカハシ\u3000ヨシコ"
    assert payload.language == "ja"
    assert version <= 10


def _picked(values: dict[str, str]) -> dict[str, str]:
    """Sex is a select on the site: the resident picks the option whose value is male/female."""
    sexes = {"男": "male", "女": "female"}
    return {k: sexes.get(v, v) if k.endswith("sex") else v for k, v in values.items()}


def test_family_of_four_moving_in(site_page: Any, hall_config: HallConfig, artifacts_dir: Path) -> None:
    members = [_picked(m) for m in FAMILY_OF_FOUR_MEMBERS]
    fill_procedure(site_page, "tennyu", _picked(FAMILY_OF_FOUR_VALUES), {"members": members})
    code, version = _make_code_and_read(site_page, artifacts_dir, "prefill_tennyu_family")
    payload = decode_prefill(code, hall_config)
    expected = validate_form(hall_config.forms["moving_in"], FAMILY_OF_FOUR_VALUES, {"members": FAMILY_OF_FOUR_MEMBERS})
    assert (payload.values, payload.groups) == (expected.values, expected.groups)
    assert code.startswith("MDG1:Z")  # the browser's deflate-raw was used
    assert version <= 15


def test_sex_not_applicable_is_offered_and_reaches_the_kiosk(
    site_page: Any, hall_config: HallConfig, artifacts_dir: Path
) -> None:
    """ISO/IEC 5218 "9" (not applicable), as on some My Number cards, can be picked and survives the code."""
    from selenium.webdriver.support.ui import Select

    def options(element_id: str) -> list[tuple[str, str]]:
        select = Select(site_page.find_element("id", element_id))
        return [(o.get_attribute("value"), o.text) for o in select.options]

    rules_texts = site_rules(hall_config, site_texts(hall_config.hall.languages))["texts"]
    site_page.find_element("id", "proc-tennyu").click()
    for lang in ("en", "ja"):  # ends in Japanese, the language the code carries below
        site_page.find_element("id", f"lang-{lang}").click()
        expected = [("", rules_texts["site.choose"][lang])] + [
            (v, rules_texts[f"site.sex.{v}"][lang]) for v in ("male", "female", "not_applicable")
        ]
        assert options("f-sex") == expected
    site_page.find_element("id", "back-to-list").click()
    values = _picked(FAMILY_OF_FOUR_VALUES) | {"sex": "not_applicable"}
    members = [_picked(m) for m in FAMILY_OF_FOUR_MEMBERS[:2]]
    members[1]["member_sex"] = "not_applicable"
    fill_procedure(site_page, "tennyu", values, {"members": members})
    assert site_page.find_element("id", "g-members-1-member_sex").get_attribute("value") == "not_applicable"
    code, _version = _make_code_and_read(site_page, artifacts_dir, "prefill_tennyu_sex_not_applicable")
    payload = decode_prefill(code, hall_config, expected_procedure="tennyu")
    assert payload.values["sex"] == "not_applicable"
    assert [m["member_sex"] for m in payload.groups["members"]] == ["male", "not_applicable"]
    typed = FAMILY_OF_FOUR_VALUES | {"sex": "9"}  # what the kiosk's validator makes of the card's digit
    typed_members = [FAMILY_OF_FOUR_MEMBERS[0], FAMILY_OF_FOUR_MEMBERS[1] | {"member_sex": "9"}]
    expected_form = validate_form(hall_config.forms["moving_in"], typed, {"members": typed_members})
    assert (payload.values, payload.groups) == (expected_form.values, expected_form.groups)


def test_errors_are_shown_in_english_and_japanese(site_page: Any) -> None:
    site_page.find_element("id", "lang-en").click()
    fill_procedure(site_page, "juminhyo", {"birth_date": "令和元年4月1日", "phone": "12345"})
    site_page.find_element("id", "make-code").click()
    errors = {el.get_attribute("id"): el.text for el in site_page.find_elements("css selector", ".field .error")}
    era = {"era": "令和", "first": "2019-05-01", "last": ""}
    assert errors == {
        "f-name-error": message_text("form.error.required", "en"),
        "f-address-error": message_text("form.error.required", "en"),
        "f-birth_date-error": message_text("form.error.date_era_range", "en", era),
        "f-phone-error": message_text("form.error.phone_format", "en"),
        "f-copies-error": message_text("form.error.required", "en"),
    }
    assert site_page.find_elements("id", "qr") == []
    site_page.find_element("id", "lang-ja").click()  # values and errors survive a language switch
    assert site_page.find_element("id", "f-phone").get_attribute("value") == "12345"
    assert site_page.find_element("id", "f-phone-error").text == message_text("form.error.phone_format", "ja")


AGREEMENT_INPUTS: dict[str, list[str]] = {
    "text": ["山田　太郎", " ＡＢＣ ", "ﾔﾏﾀﾞ", "神田", "a\u200bb", "x\ny", "あ" * 101, "𠮷" * 100, "①"],
    "kana": ["ﾔﾏﾀﾞ ﾀﾛｳ", "やまだ　たろう", "コ-スケ", "ジョン・スミス", "山田", "ヤマダ1", "ｳﾞｧﾝ", " "],
    "address": ["中央１－２－３", "1ー2ー3 ハイツ１０１", "三丁目12番34号", "x" * 201],
    "date": [
        "S55.4.1",
        "令和2年2月24日",
        "㋿2年2月24日",
        "令和元年4月1日",
        "H31.5.1",
        "昭和55年",
        "2001-02-29",
        "19800401",
        "１９８０年４月１日",
        "1800-01-01",
        "2030-01-01",
        "abc",
        "1980年4月",
        "S0.1.1",
    ],
    "sex": ["male", "2", "女性", "9", "M", "不明"],
    "phone": [
        "090-1234-5678",
        "０９０１２３４５６７８",
        "(03) 1234-5678",
        "+81 90 1234 5678",
        "+81 (0)3-1234-5678",
        "0120-123-456",
        "050ー1234ー5678",
        "090-1234-567",
        "12345",
        "+1 555 123 4567",
        "0570-123-456",
    ],
    "postal_code": ["123-4567", "1234567", "〒１２３－４５６７", "123ー4567", "12-34567", "123456"],
    "number": ["2", "２", "01", "0", "11", "2.5", "-1", "9999999"],
    "choice": ["work", "school", " work "],
}


def test_javascript_and_python_validation_agree(site_page: Any, hall_config: HallConfig) -> None:
    """The site interprets the rules Python exported; both must give the same value or the same error."""
    from madoguchi.core.config import FormField
    from madoguchi.core.forms.validation import FieldValueError, normalize_value

    today = dt.date(2026, 11, 30)
    cases = []
    for kind, inputs in AGREEMENT_INPUTS.items():
        spec: dict[str, Any] = {"key": "birth_date" if kind == "date" else "f", "label": {"ja": "x"}, "kind": kind}
        if kind == "number":
            spec |= {"min_value": 1, "max_value": 10}
        if kind == "choice":
            spec["choices"] = [["work", {"ja": "勤務先"}]]
        f = FormField.model_validate(spec)
        js_field = {
            "kind": kind,
            "min": f.min_value,
            "max": f.max_value,
            "birth_date": kind == "date",
            "choices": [{"value": "work"}],
        }
        for raw in inputs:
            try:
                py: Any = {"value": normalize_value(f, raw, today=today)}
            except FieldValueError as exc:
                py = {"error": exc.message_id, "params": exc.params}
            cases.append((kind, raw, js_field, py))
    js_results = site_page.execute_script(
        """
        return arguments[0].map(function (c) {
          try { return {value: MadoguchiForms.normalizeValue(c[2], c[1], '2026-11-30')}; }
          catch (e) { return {error: e.messageId, params: e.params}; }
        });
        """,
        cases,
    )
    mismatches = [(kind, raw, py, js) for (kind, raw, _f, py), js in zip(cases, js_results, strict=True) if py != js]
    assert mismatches == []


def test_site_rules_match_the_hall(hall_config: HallConfig, site_page: Any) -> None:
    in_page = site_page.execute_script("return MADOGUCHI_RULES.procedures.map(function (p) { return p.id; })")
    assert in_page == [p["id"] for p in site_rules(hall_config, site_texts(hall_config.hall.languages))["procedures"]]
    hidden = site_page.execute_script(
        "return MadoguchiForms.procedure('kokuho').fields.filter(function (f) { return f.hidden; })"
        ".map(function (f) { return f.key; })"
    )
    assert hidden == ["individual_number"]


def test_qr_encoder_at_every_version_boundary(site_page: Any) -> None:
    """Our JS encoder's symbols read back with zxing-cpp, at the largest text of versions 1–40."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
    lengths = []
    n = 1
    for version in range(1, 41):
        while version_m(lambda v, n=n: alphanumeric_bits(n + 1, v)) == version:
            n += 1
        lengths.append((version, n))
    texts = ["".join(alphabet[(i * 7 + version) % 45] for i in range(length)) for version, length in lengths]
    texts = ["MDG1:" + t[5:] for t in texts[4:]] + texts[:4]
    results = site_page.execute_script(
        """
        return arguments[0].map(function (t) {
          var qr = MadoguchiQR.encodeAlphanumeric(t);
          return {version: qr.version, rows: qr.modules.map(function (r) {
            return r.map(function (d) { return d ? '1' : '0'; }).join(''); })};
        });
        """,
        texts,
    )
    expected_versions = {len(t): v for t, (v, _n) in zip(texts, lengths[4:] + lengths[:4], strict=True)}
    for text, result in zip(texts, results, strict=True):
        rows = result["rows"]
        size = len(rows)
        assert size == 17 + 4 * result["version"]
        assert result["version"] == expected_versions[len(text)]
        image = Image.new("L", (size + 8, size + 8), 255)
        for y, row in enumerate(rows):
            for x, bit in enumerate(row):
                if bit == "1":
                    image.putpixel((x + 4, y + 4), 0)
        image = image.resize(((size + 8) * 3, (size + 8) * 3), Image.NEAREST)
        decoded = zxingcpp.read_barcodes(image)
        assert [d.text for d in decoded] == [text], f"version {result['version']}"


def test_no_requests_but_the_site_files(chromium: Any, site_http: tuple[str, list[str]], site_dir: Path) -> None:
    """Served over loopback HTTP: filling a form and making the code requests nothing but the site's files."""
    base, requested = site_http
    chromium.get(base + "index.html")
    fill_procedure(chromium, "juminhyo", TYPED_CERTIFICATE)
    chromium.find_element("id", "make-code").click()
    WebDriverWait(chromium, 10).until(lambda d: d.find_element("id", "qr"))
    urls = chromium.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
    )
    assert urls and all(u.startswith(base) for u in urls)
    assert set(requested) <= {
        "/index.html",
        "/style.css",
        "/rules.js",
        "/validate.js",
        "/payload.js",
        "/qr.js",
        "/app.js",
        "/favicon.ico",
    }
    assert not any("?" in path for path in requested)  # no form data in any URL
    for path in site_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path.name


def test_qr_screenshot_is_large_enough_to_scan(site_page: Any) -> None:
    fill_procedure(site_page, "juminhyo", TYPED_CERTIFICATE)
    site_page.find_element("id", "make-code").click()
    canvas = WebDriverWait(site_page, 10).until(lambda d: d.find_element("id", "qr"))
    width, _height = Image.open(io.BytesIO(canvas.screenshot_as_png)).size
    modules = 17 + 4 * int(canvas.get_attribute("data-version")) + 8
    assert width // modules >= 3  # at least 3 screen pixels per module on a 390-px-wide phone


pytestmark = pytest.mark.timeout(120)


def test_works_offline_once_loaded(chromium: Any, site_dir: Path) -> None:
    """Over http(s) the service worker caches the site: it still opens after the server is gone."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # "localhost" is a secure context, so the service worker registers (the page skips it on 127.0.0.1)
    url = f"http://localhost:{server.server_address[1]}/index.html"
    try:
        chromium.get(url)
        chromium.set_script_timeout(20)
        chromium.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "navigator.serviceWorker.ready.then(function () { return caches.keys(); })"
            ".then(function (k) { done(k.length); });"
        )
    finally:
        server.shutdown()
        server.server_close()
    chromium.get(url)
    assert chromium.execute_script("return navigator.serviceWorker.controller !== null")  # served by the worker
    fill_procedure(chromium, "juminhyo", TYPED_CERTIFICATE)
    chromium.find_element("id", "make-code").click()
    assert WebDriverWait(chromium, 10).until(lambda d: d.find_element("id", "qr"))


def test_encoder_without_compression_stream(site_page: Any, hall_config: HallConfig) -> None:
    """Browsers without CompressionStream fall back to method U; the kiosk decodes both."""
    values = {"name": "髙橋 𠮷子", "address": "東京都" * 20, "birth_date": "1980-04-01", "copies": "1"}
    with_deflate, without = site_page.execute_async_script(
        """
        var done = arguments[arguments.length - 1], values = arguments[0];
        MadoguchiPayload.encode('juminhyo', values, {}, 'en').then(function (z) {
          delete window.CompressionStream;
          return MadoguchiPayload.encode('juminhyo', values, {}, 'en').then(function (u) { done([z, u]); });
        });
        """,
        values,
    )
    assert with_deflate.startswith("MDG1:Z") and without.startswith("MDG1:U")
    assert decode_prefill(with_deflate, hall_config).values == decode_prefill(without, hall_config).values == values
