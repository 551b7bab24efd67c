"""The Analytics area's window parts: the KPI pane beside the board and the Insights page."""
