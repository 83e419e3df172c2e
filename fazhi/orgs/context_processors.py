from django.urls import reverse

from .navigation import NAV_ENTRIES, SETTINGS_GROUP
from .policies import has_role


def navigation(request):
    """The menu of the signed-in user's role, and whether this installation holds demo data."""
    user = request.user
    items = []
    settings_items = []
    if user.is_authenticated:
        for url_name, label, roles in NAV_ENTRIES:
            if roles is not None and not has_role(user, *roles):
                continue
            url = reverse(url_name)  # an app that declares an entry must provide the view (fails loudly)
            entry = {"url": url, "label": label, "active": request.path.startswith(url) and url != "/"}
            (settings_items if url_name in SETTINGS_GROUP else items).append(entry)
    return {
        "nav_items": items,
        "nav_settings": settings_items,
        "nav_settings_active": any(e["active"] for e in settings_items),
        "demo_mode": demo_mode(),
    }


def demo_mode() -> bool:
    """Whether this installation holds demo data (the layout then shows a banner). Asked on every page, so the
    answer is cached for a minute rather than queried each time."""
    from django.core.cache import cache

    from .models import Unit

    value = cache.get(DEMO_CACHE_KEY)
    if value is None:
        value = Unit.objects.filter(is_demo=True).exists()
        cache.set(DEMO_CACHE_KEY, value, 60)
    return value


DEMO_CACHE_KEY = "fazhi:demo-mode"
