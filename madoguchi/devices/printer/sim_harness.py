"""Harness for tests, the demo and the benchmark: a simulated printer on a free loopback port or a pty."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from madoguchi.devices.printer.profiles import PrinterProfile, get_profile
from madoguchi.devices.printer.sim_links import FdPrinterLink, TcpPrinterServer
from madoguchi.devices.printer.simulator import SimState, SimulatedPrinter
from madoguchi.devices.printer.ticket_layout import TicketContent


@dataclass
class RunningSimulator:
    printer: SimulatedPrinter
    url: str  # printer URL to hand to PrintWorker / printer-test, with the matching ?profile=
    profile: PrinterProfile
    server: TcpPrinterServer | None = None


@contextmanager
def running_simulator(
    profile: str | PrinterProfile = "TM-T20II",
    state: SimState | str = SimState.OK,
    speed_mm_s: float | None = None,
    out_dir: Path | None = None,
) -> Iterator[RunningSimulator]:
    """Start a simulator sized for ``profile`` on 127.0.0.1:<free port>; stops it on exit."""
    prof = profile if isinstance(profile, PrinterProfile) else get_profile(profile)
    printer = SimulatedPrinter(prof.width_dots, prof.dpi, state, speed_mm_s, out_dir)
    printer.start()
    server = TcpPrinterServer(printer)
    server.start()
    try:
        yield RunningSimulator(printer, f"tcp://127.0.0.1:{server.port}?profile={prof.name}", prof, server)
    finally:
        server.stop()
        printer.stop()


@contextmanager
def serial_simulator(
    profile: str | PrinterProfile = "TM-T20II",
    state: SimState | str = SimState.OK,
    out_dir: Path | None = None,
) -> Iterator[RunningSimulator]:
    """Simulator behind a pty pair: the URL is ``serial:///dev/pts/N`` and pyserial opens it like a COM port."""
    prof = profile if isinstance(profile, PrinterProfile) else get_profile(profile)
    master, slave = os.openpty()
    tty.setraw(slave)  # no newline translation or XON/XOFF handling by the line discipline
    printer = SimulatedPrinter(prof.width_dots, prof.dpi, state, None, out_dir)
    printer.start()
    link = FdPrinterLink(printer, master)
    link.start()
    try:
        yield RunningSimulator(printer, f"serial://{os.ttyname(slave)}?baudrate=115200&profile={prof.name}", prof)
    finally:
        link.stop()
        printer.stop()
        os.close(master)
        os.close(slave)


# One sample per shipped language, in its own script, already localised as a caller would pass it
# (tests, the benchmark and the demo use these; real text comes from the translations catalogs).
LANGUAGE_SAMPLES: dict[str, dict[str, str]] = {
    "ja": {
        "service": "住民票の写し",
        "ahead": "あなたの前に 3 人",
        "guidance": "番号が呼ばれたら窓口へお越しください。",
        "area": "1階 市民課の待合ロビーでお待ちください",
    },
    "en": {
        "service": "Certificate of Residence",
        "ahead": "3 people ahead of you",
        "guidance": "Please wait.",
        "area": "Please wait in: 1st floor, Citizens Division waiting area",
    },
    "zh-Hans": {
        "service": "住民票副本",
        "ahead": "您前面还有 3 人",
        "guidance": "叫到您的号码时请到窗口办理。",
        "area": "请在1楼 市民课等候区等候",
    },
    "ko": {
        "service": "주민표 사본",
        "ahead": "앞에 3명이 있습니다",
        "guidance": "번호가 호출되면 창구로 오십시오.",
        "area": "1층 시민과 대기 공간에서 기다려 주세요",
    },
    "pt-BR": {
        "service": "Atestado de Residência",
        "ahead": "3 pessoas à sua frente",
        "guidance": "Aguarde a chamada.",
        "area": "Aguarde em: 1º andar, área de espera da Divisão de Cidadãos",
    },
    "es": {
        "service": "Certificado de residencia",
        "ahead": "3 personas delante",
        "guidance": "Espere, por favor. ¿Dudas?",
        "area": "Espere en: piso 1, sala de espera de Atención Ciudadana",
    },
    "vi": {
        "service": "Bản sao phiếu cư trú",
        "ahead": "Có 3 người đang chờ trước bạn",
        "guidance": "Vui lòng đến quầy.",
        "area": "Vui lòng chờ tại: Tầng 1, khu chờ của Phòng Thị dân",
    },
    "tl": {
        "service": "Kopya ng Sertipiko ng Paninirahan",
        "ahead": "3 tao ang nauuna",
        "guidance": "Pakihintay po.",
        "area": "Maghintay po sa: ika-1 palapag, hintayan ng Citizens Division",
    },
    "ne": {
        "service": "बसोबास प्रमाणपत्रको प्रतिलिपि",
        "ahead": "तपाईंभन्दा अगाडि ३ जना",
        "guidance": "कृपया पर्खनुहोस्।",
        "area": "कृपया पहिलो तल्ला, नागरिक शाखाको प्रतीक्षा स्थानमा पर्खनुहोस्",
    },
    "ja-easy": {
        "service": "住民票（じゅうみんひょう）",
        "ahead": "まえに 3にん います",
        "guidance": "ばんごうを よばれたら きてください",
        "area": "1かいの まつ ところで まって ください",
    },
}
STATUS_URL = "https://hall.example.jp/t/Xy7Qp2RsT9uVw3"


def sample_content(language: str = "ja", number: str = "A-015") -> TicketContent:
    sample = LANGUAGE_SAMPLES[language]
    return TicketContent(
        hall_name="みどり市役所 本庁舎 市民課",
        number=number,
        service_name_ja="住民票の写し",
        service_name_local=sample["service"],
        people_ahead=sample["ahead"],
        estimate="約 20〜30分",
        status_url=STATUS_URL,
        issued_at="2026年11月28日 10:15",
        guidance=sample["guidance"],
        language=language,
        wait_area=sample["area"],
        number_label="受付番号",
        qr_caption="スマートフォンで順番を確認できます",
    )
