"""Statutory letters and documents (Care Act 2014) drawn as tagged PDFs with WeasyPrint."""
