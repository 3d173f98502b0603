"""The facility manager's console (Qt): device tiles, alerts, statistics charts and CSV exports."""
