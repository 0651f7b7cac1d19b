"""Writers of the bulletin files. `tables.sections` turns the figures into tables once; the
XLSX and DOCX writers render the same tables, so both files always say the same."""
