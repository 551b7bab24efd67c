"""matplotlib Figure builders from plain data (never pyplot)."""
