"""A team of workbooks (DOMAIN section 16): one folder, one data set.

scan finds the folder's workbooks, read merges them into one CrmData,
clashes finds duplicate IDs and customers across files, refresh writes
each rep's file from the team's computation, handover moves a rep's
customers between files, both or neither. Kept import-free here: the
report layer reads a team through team.read alone.
"""
