"""BER-TLV as the My Number card uses it: multi-byte tags, 81xx / 82xxxx lengths, 00/FF filler."""

from __future__ import annotations

from dataclasses import dataclass


class TlvError(ValueError):
    """Malformed TLV bytes (the message never contains the bytes)."""


@dataclass(frozen=True, repr=False)
class Tlv:
    tag: int
    value: bytes

    def __repr__(self) -> str:  # values are personal data
        return f"Tlv(tag={self.tag:X}, length={len(self.value)})"


def read_tag(buf: bytes, pos: int) -> tuple[int, int]:
    """Return (tag, position after the tag)."""
    if pos >= len(buf):
        raise TlvError("truncated tag")
    tag = buf[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # high-tag-number form: continue while b8 is set
        while True:
            if pos >= len(buf):
                raise TlvError("truncated tag")
            b = buf[pos]
            tag = (tag << 8) | b
            pos += 1
            if not b & 0x80:
                break
    return tag, pos


def read_length(buf: bytes, pos: int) -> tuple[int, int]:
    """Return (length, position after the length field)."""
    if pos >= len(buf):
        raise TlvError("truncated length")
    first = buf[pos]
    pos += 1
    if first < 0x80:
        return first, pos
    n = first & 0x7F
    if n == 0 or n > 3:
        raise TlvError("unsupported length form")
    if pos + n > len(buf):
        raise TlvError("truncated length")
    return int.from_bytes(buf[pos : pos + n], "big"), pos + n


def header_total(buf: bytes) -> int | None:
    """Total size (header + value) of the TLV at the start of ``buf``, or None if the header is incomplete."""
    try:
        _, pos = read_tag(buf, 0)
        length, pos = read_length(buf, pos)
    except TlvError:
        return None
    return pos + length


def _is_filler(buf: bytes, pos: int) -> bool:
    # FF also starts the private tags FF10/FF20, so FF is filler only when followed by FF or the end.
    if buf[pos] == 0x00:
        return True
    return buf[pos] == 0xFF and (pos + 1 == len(buf) or buf[pos + 1] == 0xFF)


def parse(buf: bytes) -> list[Tlv]:
    """Parse consecutive TLVs, stopping at 00/FF filler after the last one."""
    items: list[Tlv] = []
    pos = 0
    while pos < len(buf) and not _is_filler(buf, pos):
        tag, pos = read_tag(buf, pos)
        length, pos = read_length(buf, pos)
        if pos + length > len(buf):
            raise TlvError("value runs past the end of the data")
        items.append(Tlv(tag, bytes(buf[pos : pos + length])))
        pos += length
    return items


def parse_one(buf: bytes, tag: int) -> Tlv:
    """The first TLV of ``buf``, which must carry ``tag``."""
    items = parse(buf)
    if not items or items[0].tag != tag:
        raise TlvError(f"expected tag {tag:X}")
    return items[0]


def encode_length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n <= 0xFF:
        return bytes([0x81, n])
    if n <= 0xFFFF:
        return bytes([0x82]) + n.to_bytes(2, "big")
    raise ValueError("length too large")


def encode(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    return tag_bytes + encode_length(len(value)) + value
