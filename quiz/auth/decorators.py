"""Role checks stacked under login_required.

Each wrapper carries `required_role`, which the access-matrix test reads to derive what every
role should get from a route (tests/reliability/access_table.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required


def teacher_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only teachers and admins may continue."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_teacher:
            abort(403)
        return view(*args, **kwargs)

    wrapped.required_role = "teacher"  # type: ignore[attr-defined]
    return wrapped


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only admins may continue."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    wrapped.required_role = "admin"  # type: ignore[attr-defined]
    return wrapped
