"""Ticket layout (Pillow), ESC/POS printing (python-escpos), printer status, and the printer simulator.

Public API (import from the modules; this package imports nothing so Qt-free processes stay light):
- ``ticket_layout``: ``TicketContent`` (already-localised strings), ``render_ticket(content, profile,
  reprint=False) -> RenderedTicket`` (``.image`` is the 1-bit preview), ``render_test_page``, ``warm_up``.
- ``printer_url.parse_printer_url(url)`` → ``PrinterUrl`` (``.profile``: width, dpi, native QR).
- ``print_worker.PrintWorker(url, on_status_changed=..., on_job_finished=...)``: ``start``, ``submit``,
  ``reprint``, ``check_status``, ``status``, ``available``, ``stop`` (see ``interface.TicketPrinter``).
- ``status.PrinterStatus`` / ``StatusReport``; ``errors.PrinterError`` with ``PrinterErrorReason``.
- ``qt_bridge.PrinterSignals`` (Qt signals) and ``ticket_qimage`` (preview as QImage).
- ``testing.running_simulator`` / ``serial_simulator`` and ``simulator.SimulatedPrinter`` for tests and demo.
"""
