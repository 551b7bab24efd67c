"""The Activities area: calls, visits, meetings ... planned and done, and the reminders
that fire from the laptop itself."""
