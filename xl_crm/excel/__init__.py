"""What runs inside Excel: xlwings functions, macro buttons, the live workbook, set-up."""
