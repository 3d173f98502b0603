"""Resident touchscreen kiosk (PySide6): from welcome to a ticket in hand."""
