from __future__ import annotations

import logging

import pytest

from madoguchi.core.codes import PayloadKind, classify
from madoguchi.devices.scanner.decode import DecodedCode

SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))


def code(text: str | None, raw: bytes | None = None) -> DecodedCode:
    return DecodedCode(text, raw if raw is not None else (text or "").encode(), "QRCode", SQUARE)


@pytest.mark.parametrize(
    ("text", "kind", "body"),
    [
        ("MDG1:eyJmb3JtIjoiY2VydCJ9", PayloadKind.PREFILL_APPLICATION, "eyJmb3JtIjoiY2VydCJ9"),
        ("MDR1:R-20260401-0042", PayloadKind.RESERVATION, "R-20260401-0042"),
        ("MDT1:AbCd1234", PayloadKind.TICKET, "AbCd1234"),
        ("https://hall.example.jp/t/AbCd1234", PayloadKind.TICKET, "AbCd1234"),
        ("http://10.0.0.5:8000/city/t/Xy_9-zz?lang=en", PayloadKind.TICKET, "Xy_9-zz"),
        ("https://hall.example.jp/about", PayloadKind.UNKNOWN, ""),
        ("ftp://hall.example.jp/t/AbCd1234", PayloadKind.UNKNOWN, ""),
        ("MDT1:", PayloadKind.UNKNOWN, ""),
        ("mdr1:lowercase", PayloadKind.UNKNOWN, ""),
        ("山田太郎 東京都千代田区", PayloadKind.UNKNOWN, ""),
        (None, PayloadKind.UNKNOWN, ""),
    ],
)
def test_classification(text: str | None, kind: PayloadKind, body: str) -> None:
    payload = classify(code(text, b"\x00\xff" if text is None else None))
    assert payload.kind == kind
    assert payload.body == body


def test_content_never_reaches_logs_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "MDG1:山田太郎|1980-01-02|東京都千代田区1-1"
    payload = classify(code(secret))
    unknown = classify(code("山田花子 090-1234-5678"))
    for text in (caplog.text, repr(payload), repr(unknown), repr(payload.code)):
        assert "山田" not in text
        assert "1980" not in text
        assert "090" not in text
    assert "prefill_application" in caplog.text
    assert "unknown_code" in caplog.text
