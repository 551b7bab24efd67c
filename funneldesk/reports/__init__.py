"""ReportLab documents (quote, contract, KPI report) built from plain data."""
