"""Message catalogs, language registry, easy Japanese with furigana, offline MT, and voice."""
