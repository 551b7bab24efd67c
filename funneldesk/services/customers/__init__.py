"""Customers: companies and contacts."""
