from django.urls import NoReverseMatch, reverse

from .navigation import NAV_ENTRIES
from .policies import has_role


def navigation(request):
    """The menu of the signed-in user's role, and whether this installation holds demo data."""
    from .models import Unit

    user = request.user
    items = []
    if user.is_authenticated:
        for url_name, label, roles in NAV_ENTRIES:
            if roles is not None and not has_role(user, *roles):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:  # an app that declares an entry must also provide the view
                raise
            items.append({"url": url, "label": label, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items, "demo_mode": Unit.objects.filter(is_demo=True).exists()}
