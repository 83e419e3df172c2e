"""Navigation per role. Each app adds its entries here: (url name, label, roles).

Order is the order shown. ``None`` as roles means every signed-in user.
"""

from django.utils.translation import gettext_lazy as _

from .models import Role

OFFICE = (Role.OFFICE,)

NAV_ENTRIES = [
    ("home", _("首页"), None),
    ("plans:plan_list", _("计划督导"), OFFICE),
    ("plans:my_tasks", _("我的任务"), (Role.ASSESSED, Role.ASSESSING)),
    ("reports:list", _("年度报告"), (Role.OFFICE, Role.ASSESSED)),
    ("assessment:campaign_list", _("年度考核"), OFFICE),
    ("assessment:scoring_home", _("考核评分"), (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY)),
    ("selfreport:office_home", _("自评填报"), OFFICE),
    ("selfreport:my_reports", _("自评填报"), (Role.ASSESSED,)),
    ("selfreport:review_list", _("自评材料"), (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY)),
    ("findings:office_home", _("监督督察"), OFFICE),
    ("findings:web_home", _("网络检索"), (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY)),
    ("reviews:campaign_list", _("反馈与结果运用"), OFFICE),
    ("assessment:approvals", _("考核审定"), (Role.APPROVER,)),
    ("reviews:review_queue", _("复核申请"), (Role.ASSESSING,)),
    ("reviews:my_feedback", _("考核反馈"), (Role.ASSESSED,)),
    ("reviews:my_results", _("我的考核结果"), (Role.ASSESSED,)),
    ("documents:list", _("公文"), (Role.OFFICE, Role.ASSESSED)),
    ("casereview:list", _("集中评查"), (Role.OFFICE, Role.ASSESSED)),
    ("casereview:my_files", _("评查案卷"), (Role.EXPERT,)),
    ("fieldwork:list", _("实地考核"), (Role.OFFICE, Role.FIELD_TEAM, Role.ASSESSED)),
    ("surveys:list", _("满意度测评"), (Role.OFFICE, Role.SURVEY)),
    ("portal:moderation", _("社情民意"), OFFICE),
    ("orgs:unit_list", _("单位管理"), OFFICE),
    ("orgs:people", _("人员"), OFFICE),
    ("reviews:calendar", _("工作日历"), OFFICE),
    ("audit:event_list", _("审计日志"), OFFICE),
    ("orgs:login_log", _("登录日志"), OFFICE),
]

#: Entries shown under the "系统管理" (settings) menu instead of the main bar.
SETTINGS_GROUP = {"orgs:unit_list", "orgs:people", "reviews:calendar", "audit:event_list", "orgs:login_log"}
