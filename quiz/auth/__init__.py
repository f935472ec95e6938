"""Accounts: register, log in, log out, passwords and their reset, own data; admin pages."""

from quiz.auth import admin_routes, data_routes, recovery_routes
from quiz.auth.routes import bp

__all__ = ["admin_routes", "bp", "data_routes", "recovery_routes"]
