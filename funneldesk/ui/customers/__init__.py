"""The Customers page: companies and contacts in tables, saved segments, tags."""
