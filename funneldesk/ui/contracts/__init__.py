"""The Contracts area's windows: the Contracts page, a contract's window, receivables."""
