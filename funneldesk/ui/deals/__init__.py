"""The deals list: every deal in one table, filtered, sorted and changed in bulk."""
