"""The standard workbook's sheets: reading them, writing a new workbook, formulas, Settings and Today."""
