"""The console fixtures (a real server on 127.0.0.1, signed-in clients), shared with tests/console."""

from tests.console.conftest import cheap_hashes, console, served, web_app  # noqa: F401
