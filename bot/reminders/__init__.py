"""Reminders: answer words and rules, pure planning, the rows (store), planning a patient, the answers
flow."""
