"""Approved content: program definitions and educational modules from `content/`."""
