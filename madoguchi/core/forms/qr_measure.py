"""How big a QR code does a pre-fill code need? ``python -m madoguchi.core.forms.qr_measure`` prints the figures
quoted in docs/payload-format.md: a full 転入届 (moving_in) for a family of four, in several encodings.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from madoguchi.core.config import HallConfig, load_config
from madoguchi.core.forms.payload import build_prefill, decode_body

#: a demanding but realistic 転入届: long addresses with building names, 外字-like 𠮷 and 髙 (not in Shift_JIS),
#: half-width kana as typed on an old phone, 和暦 dates
FAMILY_OF_FOUR_VALUES: dict[str, str] = {
    "name": "髙橋 𠮷太郎",
    "kana": "ﾀｶﾊｼ ｷﾁﾀﾛｳ",
    "birth_date": "昭和55年4月1日",
    "sex": "男",
    "address": "東京都みどり市中央三丁目12番34号 みどりハイツ1203号室",
    "postal_code": "190-0012",
    "previous_address": "大阪府大阪市北区梅田一丁目2番3号 ウメダマンション405号室",
    "moved_on": "R8.11.20",
    "phone": "090-1234-5678",
}
FAMILY_OF_FOUR_MEMBERS: list[dict[str, str]] = [
    {
        "member_name": "髙橋 𠮷太郎",
        "member_kana": "タカハシ キチタロウ",
        "member_birth_date": "S55.4.1",
        "member_sex": "男",
        "member_relationship": "世帯主",
    },
    {
        "member_name": "髙橋 花子",
        "member_kana": "たかはし はなこ",
        "member_birth_date": "昭和57年9月15日",
        "member_sex": "女",
        "member_relationship": "妻",
    },
    {
        "member_name": "髙橋 一郎",
        "member_kana": "タカハシ イチロウ",
        "member_birth_date": "平成24年5月5日",
        "member_sex": "男",
        "member_relationship": "子",
    },
    {
        "member_name": "髙橋 さくら",
        "member_kana": "タカハシ サクラ",
        "member_birth_date": "H28.3.31",
        "member_sex": "女",
        "member_relationship": "子",
    },
]


def _data_bits_m(version: int) -> int:
    import qrcode.base

    entry = qrcode.base.RS_BLOCK_TABLE[(version - 1) * 4 + 1]  # level M
    blocks = [entry[i : i + 3] for i in range(0, len(entry), 3)]
    return sum(count * data for count, _total, data in blocks) * 8


def alphanumeric_bits(length: int, version: int) -> int:
    count_bits = 9 if version <= 9 else 11 if version <= 26 else 13
    return 4 + count_bits + 11 * (length // 2) + 6 * (length % 2)


def byte_bits(length: int, version: int, eci: bool = False) -> int:
    count_bits = 8 if version <= 9 else 16
    return (12 if eci else 0) + 4 + count_bits + 8 * length


def version_m(bits_for_version: Any) -> int:
    """Smallest QR version at level M whose data capacity holds ``bits_for_version(v)`` bits (0: none)."""
    for v in range(1, 41):
        if bits_for_version(v) <= _data_bits_m(v):
            return v
    return 0


@dataclass(frozen=True)
class Measurement:
    label: str
    size: int  #: characters (alphanumeric) or bytes (byte mode)
    unit: str
    version: int


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def measure(cfg: HallConfig) -> tuple[str, list[Measurement]]:
    code = build_prefill(cfg, "tennyu", FAMILY_OF_FOUR_VALUES, {"members": FAMILY_OF_FOUR_MEMBERS}, language="ja")
    body = decode_body(code).encode("utf-8")
    out = [
        Measurement(
            "MDG1: deflate + base45, alphanumeric mode",
            len(code),
            "chars",
            version_m(lambda v: alphanumeric_bits(len(code), v)),
        ),
        Measurement(
            "same body, UTF-8 uncompressed, byte mode + ECI 26",
            len(body) + 6,
            "bytes",
            version_m(lambda v: byte_bits(len(body) + 6, v, eci=True)),
        ),
        Measurement(
            "same body, deflate, raw binary in byte mode",
            len(_deflate(body)) + 6,
            "bytes",
            version_m(lambda v: byte_bits(len(_deflate(body)) + 6, v)),
        ),
    ]
    try:
        body.decode("utf-8").encode("shift_jis")
        sjis = "fits Shift_JIS"
    except UnicodeEncodeError:
        sjis = "Shift_JIS kanji mode: impossible (𠮷 and 髙 are not in Shift_JIS)"
    out.append(Measurement(sjis, 0, "", 0))
    return code, out


def main() -> None:
    from madoguchi.core.forms.site_cli import DEFAULT_CONFIG

    code, rows = measure(load_config(DEFAULT_CONFIG))
    print("転入届 (moving_in), family of four, error correction level M")
    for m in rows:
        if m.version:
            print(f"  {m.label:55s} {m.size:5d} {m.unit:5s} -> QR version {m.version}")
        else:
            print(f"  {m.label}")
    print(f"code: {code}")


if __name__ == "__main__":
    main()
