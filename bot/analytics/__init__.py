"""Adherence and engagement metrics, pseudonymous subject IDs and the analyst exports.

`adherence`, `engagement` and `pseudonym` are pure (no I/O, no database); `schemas` describes every export
column once; `writers` streams rows to CSV, Parquet or JSON Lines. Nothing here is imported eagerly, so
importing `bot.analytics` does not load pyarrow.
"""
