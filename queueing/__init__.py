"""Queue core: hall configuration, store, engine, estimates, server and client (never imports Qt)."""
