"""The hall server: the only code that opens the hall's SQLite database. Never imports Qt or an app.

``store`` holds the SQL, ``engine`` the ticket life cycle, ``hall_service`` what the server does without HTTP,
``web`` the FastAPI routes and pages, ``estimates`` the wait estimates.
"""
