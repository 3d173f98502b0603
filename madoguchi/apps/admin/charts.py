"""Bar charts (QtCharts) for the statistics tab: one helper that turns labelled series into a chart view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter


class BarChart(QChartView):
    def __init__(self, title: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.categories: list[str] = []
        self.values: dict[str, list[float]] = {}

    def show_bars(self, categories: Sequence[str], series: dict[str, Sequence[float]], y_title: str = "") -> None:
        """``series``: legend label → one value per category."""
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        self.categories = list(categories)
        self.values = {k: list(v) for k, v in series.items()}
        bars = QBarSeries()
        for label, values in series.items():
            bar_set = QBarSet(label)
            bar_set.append([float(v) for v in values])
            bars.append(bar_set)
        chart.addSeries(bars)
        x = QBarCategoryAxis()
        x.append(list(categories) or [""])
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(x)
        y = QValueAxis()
        top = max((float(v) for vs in series.values() for v in vs), default=0.0)
        y.setRange(0, max(1.0, top * 1.1))
        y.applyNiceNumbers()  # whole-number ticks for counts, round minutes
        y.setLabelFormat("%g")
        if y_title:
            y.setTitleText(y_title)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(y)
