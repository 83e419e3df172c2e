"""Navigation per role. Each app adds its entries here: (url name, label, roles).

Order is the order shown. ``None`` as roles means every signed-in user.
"""

from django.utils.translation import gettext_lazy as _

from .models import Role

OFFICE = (Role.OFFICE,)

NAV_ENTRIES = [
    ("home", _("首页"), None),
    ("orgs:unit_list", _("单位管理"), OFFICE),
    ("orgs:people", _("人员"), OFFICE),
    ("audit:event_list", _("审计日志"), OFFICE),
]
