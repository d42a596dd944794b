"""Editing an Excel package (.xlsx/.xlsm) losslessly: parts, sheet XML, styles, tables, guards, atomic save.

Nothing here knows of the CRM: it could be a library of its own.
"""
