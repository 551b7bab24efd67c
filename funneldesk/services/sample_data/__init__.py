"""Sample data: generating a demo database, and removing sample records."""
