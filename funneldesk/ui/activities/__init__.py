"""The Activities area's windows: the Today pane, and what completing an activity asks."""
