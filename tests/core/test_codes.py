"""The one 2D-code classifier of the kiosk, the staff console and the camera scanner."""

from __future__ import annotations

import pytest

from madoguchi.core.codes import CodeKind, classify_code


@pytest.mark.parametrize(
    ("text", "kind", "body"),
    [
        ("MDG1:eyJmb3JtIjoiY2VydCJ9", CodeKind.PREFILL_APPLICATION, "eyJmb3JtIjoiY2VydCJ9"),
        ("MDG7:x", CodeKind.PREFILL_APPLICATION, "x"),  # a newer version still goes to the decoder, which says so
        ("MDR1:R-20260401-0042", CodeKind.RESERVATION, "R-20260401-0042"),
        ("MDT1:AbCd1234", CodeKind.TICKET, "AbCd1234"),
        ("https://hall.example.jp/t/AbCd1234", CodeKind.TICKET, "AbCd1234"),
        ("https://hall.example.jp/t/AbCd1234.json", CodeKind.TICKET, "AbCd1234"),
        ("http://10.0.0.5:8000/city/t/Xy_9-zz?lang=en", CodeKind.TICKET, "Xy_9-zz"),
        ("  https://hall.example.jp/t/AbCd1234\r\n", CodeKind.TICKET, "AbCd1234"),  # a keyboard-wedge reader's line
        ("https://hall.example.jp/about", CodeKind.UNKNOWN, ""),
        ("ftp://hall.example.jp/t/AbCd1234", CodeKind.UNKNOWN, ""),
        ("MDT1:", CodeKind.UNKNOWN, ""),
        ("mdr1:lowercase", CodeKind.UNKNOWN, ""),
        ("MDGX:nope", CodeKind.UNKNOWN, ""),
        ("山田太郎 東京都千代田区", CodeKind.UNKNOWN, ""),
        ("not a ticket at all", CodeKind.UNKNOWN, ""),
        (None, CodeKind.UNKNOWN, ""),
    ],
)
def test_classification(text: str | None, kind: CodeKind, body: str) -> None:
    found = classify_code(text)
    assert found.kind == kind
    assert found.body == body


def test_content_never_shows_in_a_repr() -> None:
    found = classify_code("MDG1:山田太郎|1980-01-02|東京都千代田区1-1")
    for text in (repr(found), str(found)):
        assert "山田" not in text and "1980" not in text
