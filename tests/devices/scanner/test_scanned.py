"""A code the camera accepted is classified by ``core.codes``; only its kind, symbology and size are logged."""

from __future__ import annotations

import logging

import pytest

from madoguchi.core.codes import CodeKind
from madoguchi.devices.scanner.decode import DecodedCode
from madoguchi.devices.scanner.scanned import scanned

SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))


def code(text: str | None, raw: bytes | None = None) -> DecodedCode:
    return DecodedCode(text, raw if raw is not None else (text or "").encode(), "QRCode", SQUARE)


def test_binary_content_is_unknown() -> None:
    assert scanned(code(None, b"\x00\xff")).kind == CodeKind.UNKNOWN


def test_content_never_reaches_logs_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    payload = scanned(code("MDG1:山田太郎|1980-01-02|東京都千代田区1-1"))
    unknown = scanned(code("山田花子 090-1234-5678"))
    assert payload.kind == CodeKind.PREFILL_APPLICATION
    for text in (caplog.text, repr(payload), repr(unknown), repr(payload.code)):
        assert "山田" not in text
        assert "1980" not in text
        assert "090" not in text
    assert "prefill_application" in caplog.text
    assert "unknown_code" in caplog.text
