"""The call board (PySide6): numbers called, where to go, waiting counts and notices, announced aloud."""
