"""Charts: plain data in, a matplotlib ``Figure`` out (never pyplot, whose global state
is neither thread-safe nor needed), so that the window renders them off the GUI thread and
the KPI report embeds the same pictures."""
