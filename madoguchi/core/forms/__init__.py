"""Procedure forms: validation, card auto-fill, pre-filled application codes (MDG1) and reservations' pure parts.

No Qt here. Modules: ``validation`` (+ ``normalize``, ``wareki``), ``card_fill``, ``payload`` (+ ``base45``),
``reservation_codes`` (MDR1), ``reservations_csv``, ``checkin_window``, ``messages`` (ja/en texts of the message
ids), ``rules`` (the validation rules as JSON for the pre-fill web site) and ``site_cli``.
"""
