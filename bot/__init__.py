"""psp-bot: the messaging service of a pharmaceutical patient support program."""

__version__ = "0.1.0"
