"""The kanban board: a list view per stage over an item model, cards painted by a delegate."""
