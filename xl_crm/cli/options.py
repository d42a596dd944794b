"""Options shared by several commands, defined once."""

from __future__ import annotations

from datetime import date

import click


def _date(ctx, param, value):
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2026-11-30") from None


AS_OF = click.option("--as-of", callback=_date, metavar="YYYY-MM-DD",
                     help="Evaluation date (default: the workbook's AsOf, else today).")
NO_BACKUP = click.option("--no-backup", is_flag=True, help="Do not keep NAME.bak of the previous version.")
MAPPING = click.option("--mapping", "mapping_file", type=click.Path(dir_okay=False, exists=True),
                       help="TOML or JSON file mapping your headers (and sheets) to the standard columns.")
STRICT = click.option("--strict", is_flag=True, help="Exit 1 when `xl-crm check` would report errors.")
SCHEDULER = click.option("--scheduler", metavar="tcp://HOST:PORT", envvar="XL_CRM_SCHEDULER",
                         help="For a team folder: read and compute on this Dask cluster (default: this machine's "
                              "cores; also XL_CRM_SCHEDULER).")
