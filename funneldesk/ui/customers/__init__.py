"""The Customers area's widgets: the Customers page (companies and contacts in tables,
saved segments, tags), the company and contact forms, duplicate search and merges."""
