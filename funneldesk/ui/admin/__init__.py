"""Managers' dialogs (pipelines and stages, exchange rates) and sample data."""
