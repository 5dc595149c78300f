"""SQL fragments that differ between SQLite and PostgreSQL, and the shared percentile query.

Times are stored as naive UTC (clerk.store.types.UTCDateTime). Beijing time has had no
daylight saving since 1991, so the local hour is the UTC hour plus eight.
"""

from __future__ import annotations

LOCAL_OFFSET_HOURS = 8


def seconds_between(dialect: str, a: str, b: str) -> str:
    """Whole seconds from column ``a`` to column ``b``."""
    if dialect == "sqlite":
        return f"CAST(ROUND((julianday({b}) - julianday({a})) * 86400.0) AS INTEGER)"
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({b} - {a}))) AS BIGINT)"


def local_hour(dialect: str, col: str) -> str:
    if dialect == "sqlite":
        return f"CAST(strftime('%H', {col}, '+{LOCAL_OFFSET_HOURS} hours') AS INTEGER)"
    return f"CAST(EXTRACT(HOUR FROM {col} + INTERVAL '{LOCAL_OFFSET_HOURS} hours') AS INTEGER)"


def percentiles(values_sql: str, prelude: str = "") -> str:
    """Per group: count, median, p90 and max of ``value`` from ``values_sql`` (columns
    ``grp``, ``value``, ``weight``: how many have that value), each percentile by nearest
    rank: the smallest value with at least p % of the values at or below it (rank
    ceil(p·n/100)). ``prelude`` holds CTEs (``name AS (...)``) that ``values_sql`` reads.

    The values come counted (a year is half a million waits, but a few thousand distinct
    seconds per group), so the database sorts the distinct values, not every one of them:
    the value at rank r is the one whose running count first reaches r."""
    head = f"WITH {prelude}, v AS" if prelude else "WITH v AS"
    # BIGINT: PostgreSQL's SUM of a count is numeric, and the rank needs integer division.
    return f"""
        {head} ({values_sql}),
        counted AS (SELECT grp, value, CAST(SUM(weight) AS BIGINT) AS c FROM v GROUP BY grp, value),
        ranked AS (
            SELECT grp, value, c,
                   CAST(SUM(c) OVER (PARTITION BY grp ORDER BY value
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS BIGINT) AS upto,
                   CAST(SUM(c) OVER (PARTITION BY grp) AS BIGINT) AS n
            FROM counted
        )
        SELECT grp, MAX(n) AS n,
               MIN(CASE WHEN upto - c < (50 * n + 99) / 100 AND upto >= (50 * n + 99) / 100 THEN value END) AS p50,
               MIN(CASE WHEN upto - c < (90 * n + 99) / 100 AND upto >= (90 * n + 99) / 100 THEN value END) AS p90,
               MAX(value) AS vmax,
               SUM(value * c) AS total
        FROM ranked GROUP BY grp
    """


PERCENTILE_NOTE = "中位数、P90 按最近秩法（取使不少于该比例的数值小于等于它的最小值）"
