"""`python -m bot` is the same program as `psp`."""

from bot.cli import main

raise SystemExit(main())
