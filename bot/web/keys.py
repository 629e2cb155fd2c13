"""Typed application state keys (aiohttp's web.AppKey)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.app import Services

SERVICES: web.AppKey[Services] = web.AppKey("services")
