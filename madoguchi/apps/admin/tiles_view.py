"""Every device as a coloured tile: its full name (wrapped, never cut), role, state, last heartbeat age, a
kiosk's own state (what a resident meets there: ready, degraded, out of service, closed), its problems, and
whether it is switched off outside office hours (grey, no alert) or muted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from madoguchi.apps.admin.texts import AdminTexts

COLOURS = {"green": "#c8f0c8", "amber": "#ffe08a", "red": "#ff9c9c", "grey": "#dddddd"}
COLUMNS = 4


def _age_text(t: AdminTexts, age: float | None) -> str:
    if age is None:
        return "—"
    if age < 120:
        return t("admin.tile.age_seconds", seconds=int(age))
    return t("admin.tile.age_minutes", minutes=int(age // 60))


class TileWidget(QFrame):
    def __init__(self, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(220)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setObjectName("tile_name")
        self.name.setStyleSheet("font-size: 18px; font-weight: 700;")
        self.name.setWordWrap(True)  # a long device name wraps (after its hyphens) instead of being cut off
        self.name.setMinimumWidth(200)
        self.role = QLabel()
        self.state = QLabel()
        self.state.setStyleSheet("font-weight: 700;")
        self.age = QLabel()
        self.kiosk = QLabel()  # what a resident meets at this kiosk (the state the kiosk reports)
        self.kiosk.setObjectName("kioskState")
        self.kiosk.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.quiet = QLabel()  # off hours, muted
        self.quiet.setObjectName("tile_quiet")
        self.quiet.setWordWrap(True)
        for w in (self.name, self.role, self.state, self.age, self.kiosk, self.problems, self.quiet):
            w.setTextFormat(Qt.TextFormat.PlainText)  # a device's own words (its error text) are never markup
            layout.addWidget(w)
        self.state_value = "grey"

    def show_tile(self, tile: dict[str, Any]) -> None:
        self.state_value = str(tile["state"])
        self.setObjectName(f"tile-{tile['name']}")
        self.name.setText(str(tile["name"]))
        self.name.setToolTip(str(tile["name"]))
        self.role.setText(self.t.role(str(tile["role"])))
        self.state.setText(self.t.state(self.state_value))
        self.age.setText(_age_text(self.t, tile.get("age_s")))
        self.kiosk.setText(self._kiosk_state(tile))
        self.kiosk.setVisible(bool(self.kiosk.text()))
        self.problems.setText("\n".join(self.t.problem(p["code"], p.get("message", "")) for p in tile["problems"]))
        quiet = []
        if tile.get("off_hours"):
            quiet.append(self.t("admin.tile.off_hours"))
        if tile.get("muted_until"):
            quiet.append(self.t("admin.tile.muted"))
        self.quiet.setText("\n".join(quiet))
        self.quiet.setVisible(bool(quiet))
        colour = COLOURS.get(self.state_value, COLOURS["grey"])
        self.setStyleSheet(f"TileWidget {{ background: {colour}; border: 1px solid #777; border-radius: 6px; }}")

    def _kiosk_state(self, tile: dict[str, Any]) -> str:
        """The kiosk's own state from its last heartbeat; nothing when it is silent (that heartbeat is stale)."""
        health = tile.get("health") or {}
        state = health.get("kiosk_state")
        if not state or any(p["code"] == "device.offline" for p in tile["problems"]):
            return ""
        reasons = ", ".join(self.t.kiosk_reason(str(r)) for r in health.get("kiosk_state_reasons") or [])
        text = self.t("admin.kiosk.state", state=self.t.kiosk_state(str(state)))
        return f"{text} ({reasons})" if reasons else text


class TilesView(QScrollArea):
    """Keeps one TileWidget per device name; ``set_tiles`` updates them in place (no flicker)."""

    def __init__(self, texts: AdminTexts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = texts
        self.setWidgetResizable(True)
        inner = QWidget()
        self._grid = QGridLayout(inner)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setWidget(inner)
        self.tiles: dict[str, TileWidget] = {}

    def set_tiles(self, tiles: list[dict[str, Any]]) -> None:
        names = [str(t["name"]) for t in tiles]
        for gone in set(self.tiles) - set(names):
            self.tiles.pop(gone).deleteLater()
        for i, tile in enumerate(tiles):
            widget = self.tiles.get(str(tile["name"]))
            if widget is None:
                widget = TileWidget(self.t)
                self.tiles[str(tile["name"])] = widget
            self._grid.addWidget(widget, i // COLUMNS, i % COLUMNS, Qt.AlignmentFlag.AlignTop)  # a row lines up
            widget.show_tile(tile)

    def state_of(self, name: str) -> str | None:
        w = self.tiles.get(name)
        return w.state_value if w else None
