"""The Quotes area's window: the Quotes page, the quote editor, the PDF preview."""
