"""The one exception type the CLI turns into a one-line message.

It is the package layer's own (xl_crm.ooxml knows nothing of the CRM), so a
caller catches a refused file and a bad value alike.
"""

from .ooxml.errors import PackageError as XlCrmError

__all__ = ["XlCrmError"]
