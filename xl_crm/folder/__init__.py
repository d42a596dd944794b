"""A folder of rep workbooks read as one data set (on local cores or a Dask cluster), files replaced together."""
