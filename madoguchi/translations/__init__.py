"""Message catalogs of every shipped language, formatting, easy Japanese with furigana, offline MT. No Qt."""
