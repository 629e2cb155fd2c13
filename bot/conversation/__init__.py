"""The conversation: the receive pipeline, the router features register their flows with, the main menu."""
