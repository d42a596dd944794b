"""A team of workbooks (DOMAIN section 16): what runs over a whole folder.

check (IDs and customers clashing across files), refresh (each rep's file
written from the team's computation), handover (a rep's customers moved
between files, both or neither). Reading a folder as one data set, on
local cores or a Dask cluster, is xl_crm.folder's.
"""
