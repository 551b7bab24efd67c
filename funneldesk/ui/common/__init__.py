"""What every page uses: background work, errors, shared fields."""
