"""The core: models, field rules, the method's analyses and the pure builders each
screen's data comes from. No sessions, no connections, no Textual: the store and the
TUI depend on the core, never the other way round.
"""
