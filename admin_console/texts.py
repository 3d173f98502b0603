"""Fixed texts of the admin console (Japanese with English; staff-facing, not a resident catalog)."""

from __future__ import annotations

TILE_STATE = {
    "green": "正常 / OK",
    "amber": "注意 / Warning",
    "red": "異常 / Problem",
    "grey": "未接続 / Never seen",
}

#: alert and problem codes (queueing.health) → what the manager reads
PROBLEM = {
    "device.offline": "応答なし / Offline",
    "device.slow": "応答遅延 / Slow",
    "printer.paper_low": "用紙残りわずか / Paper low",
    "printer.paper_out": "用紙切れ / Paper out",
    "printer.cover_open": "カバー開 / Cover open",
    "printer.cutter_error": "カッター異常 / Cutter error",
    "printer.offline": "プリンタ接続なし / Printer offline",
    "printer.unknown": "プリンタ状態不明 / Printer unknown",
    "card_reader.missing": "カードリーダーなし / Card reader gone",
    "card_reader.error": "カードリーダー異常 / Card reader error",
    "camera.lost": "カメラ映像なし / Camera lost",
    "disk.low": "ディスク残量少 / Disk low",
    "disk.full": "ディスク残量なし / Disk full",
}

ROLE = {"kiosk": "発券機 / Kiosk", "staff": "窓口 / Staff", "display": "表示板 / Board", "admin": "管理 / Admin"}

EXPORTS = {
    "tickets": "発券一覧 / Tickets",
    "summary": "集計 / Summary",
    "open-data": "オープンデータ / Open data",
    "estimates": "待ち時間予測 / Estimates",
}


def problem_text(code: str, fallback: str = "") -> str:
    return PROBLEM.get(code, fallback or code)
