from __future__ import annotations

from madoguchi.devices.scanner.agreement import AgreementFilter
from madoguchi.devices.scanner.decode import DecodedCode

SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0))


def code(raw: bytes) -> DecodedCode:
    return DecodedCode(raw.decode(), raw, "QRCode", SQUARE)


def test_a_code_seen_in_one_frame_only_is_not_accepted() -> None:
    f = AgreementFilter(frames_needed=2, window_s=1.0)
    assert f.feed([code(b"MDR1:A")], now=0.0) == []
    assert f.feed([], now=0.1) == []
    assert f.feed([code(b"MDR1:B")], now=0.2) == []


def test_two_agreeing_frames_accept_the_code_once() -> None:
    f = AgreementFilter(frames_needed=2, window_s=1.0, repeat_s=4.0)
    assert f.feed([code(b"MDR1:A")], now=0.0) == []
    assert [c.raw for c in f.feed([code(b"MDR1:A")], now=0.1)] == [b"MDR1:A"]
    # still held up: no repeat for as long as it keeps being seen within repeat_s
    for i in range(2, 40):
        assert f.feed([code(b"MDR1:A")], now=i * 0.1) == []


def test_frames_too_far_apart_do_not_agree() -> None:
    f = AgreementFilter(frames_needed=2, window_s=0.5)
    assert f.feed([code(b"MDR1:A")], now=0.0) == []
    assert f.feed([code(b"MDR1:A")], now=2.0) == []
    assert len(f.feed([code(b"MDR1:A")], now=2.2)) == 1


def test_the_same_code_shown_again_after_the_repeat_window_is_reported_again() -> None:
    f = AgreementFilter(frames_needed=2, window_s=1.0, repeat_s=3.0)
    f.feed([code(b"X")], now=0.0)
    assert len(f.feed([code(b"X")], now=0.1)) == 1
    assert f.feed([code(b"X")], now=2.0) == []  # taken away and shown again too soon: suppressed
    assert f.feed([code(b"X")], now=6.0) == []
    assert len(f.feed([code(b"X")], now=6.1)) == 1


def test_two_identical_slips_in_one_frame_are_one_vote() -> None:
    f = AgreementFilter(frames_needed=2)
    assert f.feed([code(b"X"), code(b"X")], now=0.0) == []


def test_different_codes_are_tracked_independently() -> None:
    f = AgreementFilter(frames_needed=2)
    f.feed([code(b"A"), code(b"B")], now=0.0)
    accepted = f.feed([code(b"B"), code(b"A")], now=0.05)
    assert sorted(c.raw for c in accepted) == [b"A", b"B"]
