"""Staff of the support program: accounts, roles and permissions, patient-rights actions and CLI commands.

The audit log and the account tables themselves live in `bot.storage.audit` and `bot.staff.store`.
"""
