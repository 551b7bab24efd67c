"""Pieces every area uses: the base service, audit, permissions, money and plain SQL."""
