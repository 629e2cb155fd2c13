"""Reminder planning, outbox dispatch and the periodic jobs that drive them."""
