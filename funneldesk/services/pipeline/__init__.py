"""The sales pipeline: pipelines and stages, deals, moves, criteria, the board and the Trash."""
