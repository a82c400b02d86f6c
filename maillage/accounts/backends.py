"""Authentication backends that load the signed-in user and their roles in one query."""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db.models import F

from maillage.accounts.models import User


def user_with_roles(user_id: Any) -> User | None:
    """The user with `roles` already filled: one row per additional role, by a LEFT JOIN.

    Every signed-in page asks the roles (navigation, MFA rule, access checks): asked with the
    user, they cost no second query. Read afresh on each request, never kept in the session:
    a role withdrawn takes effect on the next page.
    """
    rows = list(
        User._default_manager.filter(pk=user_id)
        .annotate(extra_role=F("role_assignments__role"))
        .order_by()
    )
    if not rows:
        return None
    user = rows[0]
    extra = {getattr(row, "extra_role", None) for row in rows} - {None}
    # `User.roles` is a cached_property: its cache is the instance's __dict__ entry.
    user.__dict__["roles"] = frozenset({user.role, *extra})
    return user


class RolesModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class RolesAllauthBackend(AuthenticationBackend):  # type: ignore[misc]  # allauth is untyped
    def get_user(self, user_id: Any) -> User | None:
        user = user_with_roles(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
