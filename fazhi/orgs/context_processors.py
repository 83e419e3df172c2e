from django.urls import reverse

from .navigation import NAV_ENTRIES, SETTINGS_GROUP
from .policies import has_role


def navigation(request):
    """The menu of the signed-in user's role, and whether this installation holds demo data."""
    from .models import Unit

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
        "demo_mode": Unit.objects.filter(is_demo=True).exists(),
    }
