"""What a CRM workbook holds, with no files: cells, vocabularies, settings, sheets and columns, header mappings."""
