"""Monthly bulletins (月报 / 通报): figures per committee and for the province, as XLSX and DOCX."""
