"""The Quotes area: the product catalogue, quotes with options and revisions, the price
floor's approvals, and what the PDF and the command line read."""
