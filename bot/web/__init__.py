"""The aiohttp web app: webhooks, staff console, API, health and metrics."""
