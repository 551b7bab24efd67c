"""The main window: its actions, status bar and start-up checks."""
