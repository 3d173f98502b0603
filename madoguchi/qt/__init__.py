"""Qt helpers the apps share: background tasks, the event stream as signals, ruby text, start-up arguments."""
