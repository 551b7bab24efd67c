"""Companies and contacts: their forms, duplicate search and merges."""
