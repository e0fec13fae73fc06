"""Accounts in the window: the users page (管理员), log-in, first administrator, own password change."""
