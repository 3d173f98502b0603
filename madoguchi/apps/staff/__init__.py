"""The staff console (PySide6) of one counter: log in, call the next resident, see the form, conversation aid."""
