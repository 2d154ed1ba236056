"""Role checks for views. Object-level rules live in each domain's services."""

from functools import wraps

from flask import abort
from flask_login import current_user

from app.accounts.models import Role
from app.extensions import login_manager


def role_required(*roles: Role):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = role_required(Role.ADMIN)
staff_or_viewer_required = role_required(Role.ADMIN, Role.VIEWER)
