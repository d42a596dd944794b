"""The rules over whole sheets: typed columns, synced values, derived columns, the call list."""
