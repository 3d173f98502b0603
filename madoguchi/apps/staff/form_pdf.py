"""Export a filled form to PDF through Qt print support (``QTextDocument`` printed on a ``QPdfWriter``)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from madoguchi.apps.staff.form_layout import FormRow


def form_html(title: str, number: str, rows: list[FormRow]) -> str:
    """The paper application as HTML: title, ticket number, one bordered row per field."""
    parts = [
        "<html><body style=\"font-family: 'Noto Sans CJK JP'; font-size: 11pt;\">",
        f'<h2 align="center">{html.escape(title)}</h2>',
        f'<p align="right">受付番号 {html.escape(number)}</p>',
        '<table width="100%" border="1" cellspacing="0" cellpadding="6" style="border-collapse: collapse;">',
    ]
    for r in rows:
        label = f"{r.label} {r.row}" if r.row else r.label
        parts.append(
            f'<tr><td width="30%" style="background-color: #eeeeee;">{html.escape(label)}</td>'
            f"<td>{html.escape(r.value)}</td></tr>"
        )
    parts.append("</table></body></html>")
    return "".join(parts)


def export_form_pdf(path: Path, title: str, number: str, rows: list[FormRow]) -> Path:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle(title)
    writer.setResolution(300)
    doc = QTextDocument()
    doc.setHtml(form_html(title, number, rows))
    doc.setPageSize(writer.pageLayout().paintRectPixels(writer.resolution()).size().toSizeF())
    doc.print_(writer)
    return path
