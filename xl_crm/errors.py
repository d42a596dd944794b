"""The one exception type the CLI turns into a one-line message."""


class XlCrmError(Exception):
    """A problem the user can fix: bad input, a locked file, a refused workbook."""
