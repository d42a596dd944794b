"""open_deals: each customer's Open deals, the synced value pool_status reads (DOMAIN section 16).

A row formula cannot count another sheet's rows in O(1); refresh writes
the count, one group-by over the deals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .sync import SyncSources


def open_deals(sources: SyncSources) -> pd.Series:
    """Per customer row, the Open deals naming its customer_id (a blank ID has none)."""
    keys = sources.customer_keys
    is_open = (sources.status == "Open").to_numpy()
    counts = keys.count(keys.codes[2][is_open])
    return pd.Series(counts[keys.codes[0]].astype(np.int64), index=sources.index)
