"""Call board, staff console and announcements (PySide6), clients of the hall server."""
