"""Workbook I/O: fast reads, new files, lossless edits of existing packages."""
