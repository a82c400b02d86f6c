"""What every page needs: navigation for the roles of the user, unread count, emergency numbers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import Role, User
from maillage.core.cache import redis_recently_unreachable
from maillage.core.emergency import emergency_numbers
from maillage.notifications.services import count_unread


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url: str
    name: str


@lru_cache(maxsize=128)
def _reversed(name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(name, urlconf=urlconf)


def _url(name: str) -> str:
    # Every signed-in page builds up to 17 links that never change for a deployment: each
    # reversed once per process (by prefix and URLconf) instead of on every page.
    return _reversed(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _navigation(roles: frozenset[str], prefix: str, urlconf: str | None) -> tuple[NavItem, ...]:
    # The same few role sets sign in all day: each one's links are listed once per process
    # (and per prefix and URLconf, as `_reversed`); the labels stay lazy, for any language.
    items = [
        NavItem(_("Accueil"), _url("portal:home"), "home"),
        NavItem(_("Trouver un médecin"), _url("profiles:directory"), "directory"),
    ]
    if not roles.isdisjoint((Role.PATIENT,)):
        items.append(NavItem(_("Information santé"), _url("health_info:library"), "library"))
        items.append(NavItem(_("Auto-évaluation"), _url("triage:index"), "assessment"))
        items.append(NavItem(_("Mes demandes"), _url("consultations:requests"), "requests"))
        items.append(
            NavItem(_("Téléconsultation"), _url("teleconsultation:home"), "teleconsultation")
        )
        items.append(NavItem(_("Mon dossier"), _url("records:mine"), "record"))
        items.append(NavItem(_("Communautés"), _url("communities:list"), "communities"))
    if not roles.isdisjoint((Role.GP, Role.SPECIALIST, Role.STAFF)):
        items.append(NavItem(_("Demandes en ligne"), _url("consultations:queue"), "queue"))
    if not roles.isdisjoint((Role.GP, Role.SPECIALIST)):
        items.append(
            NavItem(_("Téléconsultations"), _url("teleconsultation:day"), "teleconsultations")
        )
        items.append(NavItem(_("Téléexpertise"), _url("expertise:queue"), "expertise"))
        items.append(NavItem(_("Cas cliniques"), _url("cases:list"), "cases"))
        items.append(NavItem(_("Mon activité"), _url("dashboards:doctor"), "activity"))
        items.append(NavItem(_("Mon profil public"), _url("profiles:edit"), "profile"))
    if not roles.isdisjoint((Role.GP, Role.SPECIALIST, Role.STAFF)):
        items.append(NavItem(_("Réglages du cabinet"), _url("consultations:settings"), "settings"))
    if not roles.isdisjoint((Role.MODERATOR,)):
        items.append(NavItem(_("Modération"), _url("communities:moderation"), "moderation"))
    if not roles.isdisjoint((Role.COORDINATOR, Role.OPERATOR)):
        items.append(NavItem(_("Territoire"), _url("dashboards:territory"), "territory"))
    if not roles.isdisjoint((Role.OPERATOR,)):
        items.append(NavItem(_("Journal d'audit"), _url("operations:audit"), "audit"))
        items.append(NavItem(_("État du système"), _url("operations:status"), "status"))
        items.append(NavItem(_("Demandes RGPD"), _url("operations:privacy_queue"), "privacy"))
    items.append(NavItem(_("Mon compte"), _url("accounts:account"), "account"))
    return tuple(items)


def site(request: HttpRequest) -> dict[str, Any]:
    user = (
        request.user if isinstance(request.user, User) and request.user.is_authenticated else None
    )
    # Patients and visitors always see the emergency numbers (REGULATION.md checklist G1).
    show_emergency = user is None or user.has_role(Role.PATIENT)
    nav_items: tuple[NavItem, ...] = ()
    nav_key: tuple[object, ...] = ()
    current = ""
    if user is not None:
        prefix, urlconf = get_script_prefix(), get_urlconf()
        nav_items = _navigation(frozenset(user.roles), prefix, urlconf)
        current = next((item.name for item in nav_items if item.url == request.path), "")
        # What the rendered navigation depends on (besides the language): the roles' links and
        # which one is the current page, never the path itself (base.html, `{% memoize %}`).
        nav_key = (frozenset(user.roles), prefix, urlconf, current)
    return {
        "nav_items": nav_items,
        "nav_key": nav_key,
        "nav_current": current,
        "unread_notifications": SimpleLazyObject(
            lambda: count_unread(user_id=user.pk) if user else 0
        ),
        "show_emergency": show_emergency,
        # Read by the emergencies page; the bar of every other page is memoized (base.html).
        "emergency_numbers": SimpleLazyObject(emergency_numbers) if show_emergency else [],
        "site_languages": settings.LANGUAGES,
        # Redis carries the live features: when this process could not reach it lately, the
        # page says so at once (the script also says it when the socket cannot connect).
        "live_degraded": user is not None and redis_recently_unreachable(),
        # Rendered to be served to every anonymous visitor: no CSRF token may appear in it
        # (maillage.core.public_cache).
        "public_page": getattr(request, "public_page", False),
    }
