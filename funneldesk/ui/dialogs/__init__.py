"""Dialogs for deals, outcomes and pipelines."""
