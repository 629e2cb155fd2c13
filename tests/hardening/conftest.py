"""The hardening tests reuse the worlds of the channel and console tests (same fixtures, same doubles)."""

from tests.console.conftest import cheap_hashes, console, served, web_app
from tests.sms.conftest import sms_world, sms_world_factory
from tests.telegram.conftest import tg

__all__ = ["cheap_hashes", "console", "served", "sms_world", "sms_world_factory", "tg", "web_app"]
