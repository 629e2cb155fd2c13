"""Storage: SQLAlchemy models and plain async query functions that take an AsyncSession.

Only this package imports SQLAlchemy.
"""
