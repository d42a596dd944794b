"""Outside files into a CRM: CSV loading, upgrading a workbook in place, importing exports."""
