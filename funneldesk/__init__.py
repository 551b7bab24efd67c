"""FunnelDesk: a desktop sales-funnel tool for small sales teams."""

__version__ = "0.1.0"
