"""Ticket layout (Pillow), ESC/POS printing (python-escpos), printer status, and the printer simulator."""
