"""Enrolment: the pure rules of the dialogue (language, consent, code, time zone, reminder time) and its
flow."""
