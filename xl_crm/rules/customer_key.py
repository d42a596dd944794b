"""The customer key of DOMAIN section 16: one key for the spellings of one company.

`华为技术有限公司` and `华为技术 (中国) 有限公司` are one customer; so are
`Acme Inc.` and `ACME, inc`. Used to find duplicate customers (撞单), and to
link a deal row that names its customer to one Customers row.
"""

from __future__ import annotations

import re
import unicodedata

# bracketed text, innermost first: ASCII and full-width round brackets (NFKC makes those ASCII) and 【】/[]
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_LEGAL_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "co", "ltd", "limited", "inc", "llc",
                   "corp", "corporation", "gmbh")


def _squeeze(text: str) -> str:
    """Folded text without white space and punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


_SUFFIXES = sorted({_squeeze(s) for s in _LEGAL_SUFFIXES}, key=len, reverse=True)


def customer_key(name) -> str:
    """NFKC and case folding; bracketed text, white space and punctuation removed; the longest legal suffix removed.

    A name that is nothing but a legal suffix (`公司`) keeps it: an empty key would make one customer of them all.
    """
    text = unicodedata.normalize("NFKC", "" if name is None else str(name)).casefold()
    while True:
        stripped = _BRACKETED.sub(" ", text)
        if stripped == text:
            break
        text = stripped
    text = _squeeze(text)
    suffix = next((s for s in _SUFFIXES if text.endswith(s) and len(text) > len(s)), "")
    return text[: len(text) - len(suffix)]
