"""Per-view access checks by role."""

from functools import wraps

from flask import abort
from flask_login import current_user

from coordination.extensions import login_manager


def role_required(*roles: str):
    """Let a view through only for signed-in users holding one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
