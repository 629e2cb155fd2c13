"""The version of the consent text patients see; every consent record (enrolment, STOP, START) names it."""

# Change it whenever the consent text in bot.enrolment.rules.ask_consent() (or a translation) changes.
CONSENT_VERSION = "PSP-CONSENT-2026-1"
