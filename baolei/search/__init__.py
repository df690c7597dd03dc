"""Search across every kind of record the user may see."""
