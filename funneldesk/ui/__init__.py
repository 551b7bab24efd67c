"""Qt lives here and nowhere else; it talks to funneldesk.services only."""
