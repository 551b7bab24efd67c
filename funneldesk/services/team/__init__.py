"""The team: users, exchange rates and team settings."""
