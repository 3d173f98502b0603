"""One module per kiosk screen; each can re-translate itself and drop what it shows on ``clear()``."""
