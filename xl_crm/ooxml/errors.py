"""The package layer's one exception, told to the user in one line."""


class PackageError(Exception):
    """A problem the user can fix: bad input, a locked file, a refused or unwritable workbook."""
