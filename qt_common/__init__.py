"""Qt helpers shared by the UIs (kiosk, staff console, board, admin): background tasks, event-stream signals."""
