"""Audit events as sentences (审计日志的文字描述): who did what to which unit, when — never a code or a Python value.

"省司法厅 赵主任 于 2026-11-03 14:05 将 郑州市人民政府 指标 2.3 的得分由 4.00 改为 3.50，理由：……"

- the verb of an action comes from ``VERBS`` (exact name, else its longest registered prefix); an action nobody
  registered reads "新建了 / 删除了 / 修改了" from its values, so a new service never shows its code;
- a changed value is named by the target model's field ``verbose_name`` (or ``LABELS``), choices show their
  label, Decimals their digits, booleans 是/否; internal keys (versions, ids) are left out;
- ``KINDS`` groups actions for the page's filter (a prefix each, filtered in SQL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.templatetags.punctuation import listsep

#: action (or prefix ending in ".") -> the verb phrase
VERBS = {
    "assessment.campaign_create": gettext_lazy("新建了考核"),
    "assessment.campaign_settings": gettext_lazy("修改了考核设置"),
    "assessment.campaign_status": gettext_lazy("变更了考核状态"),
    "assessment.campaign_compute": gettext_lazy("计算了考核结果"),
    "assessment.campaign_unit_add": gettext_lazy("将单位加入考核"),
    "assessment.campaign_unit_remove": gettext_lazy("将单位移出考核"),
    "assessment.indicator_copy": gettext_lazy("复制了指标体系"),
    "assessment.indicator_import": gettext_lazy("导入了考核指标"),
    "assessment.indicator_create": gettext_lazy("添加了考核指标"),
    "assessment.indicator_update": gettext_lazy("修改了考核指标"),
    "assessment.indicator_move": gettext_lazy("调整了考核指标的顺序"),
    "assessment.indicator_delete": gettext_lazy("删除了考核指标"),
    "assessment.indicator_override": gettext_lazy("调整了指标适用范围"),
    "assessment.indicator_override_delete": gettext_lazy("撤销了指标适用调整"),
    "assessment.score_save": gettext_lazy("保存了评分"),
    "assessment.score_submit": gettext_lazy("提交了评分"),
    "assessment.score_reopen": gettext_lazy("退回重评"),
    "assessment.evidence_add": gettext_lazy("上传了评分佐证材料"),
    "assessment.evidence_delete": gettext_lazy("删除了佐证材料"),
    "assessment.adjustment_create": gettext_lazy("登记了加减分"),
    "assessment.adjustment_delete": gettext_lazy("撤销了加减分"),
    "assessment.adjustment_change_on_review": gettext_lazy("复核后修改了加减分"),
    "score.change": gettext_lazy("修改了得分"),
    "score.change_on_review": gettext_lazy("复核后修改了得分"),
    "calendar.": gettext_lazy("修改了工作日历"),
    "feedback.send": gettext_lazy("发送了考核反馈"),
    "feedback.batch_send": gettext_lazy("向全部被考核单位发送了初步结果"),
    "feedback.accept": gettext_lazy("确认了考核反馈"),
    "review.request": gettext_lazy("申请了复核"),
    "review.decide": gettext_lazy("作出了复核决定"),
    "reviews.recompute": gettext_lazy("重新计算了考核结果"),
    "assessment.results_recompute": gettext_lazy("复核后重新计算了考核结果"),
    "campaign.start_scoring": gettext_lazy("开始了评分"),
    "campaign.back_to_draft": gettext_lazy("将考核退回草稿"),
    "campaign.compute": gettext_lazy("计算了考核结果"),
    "campaign.reopen_scoring": gettext_lazy("重新开放了评分"),
    "campaign.open_feedback": gettext_lazy("下发了考核结果供核实"),
    "campaign.submit": gettext_lazy("报请审定了考核结果"),
    "campaign.return": gettext_lazy("退回了考核结果"),
    "campaign.approve": gettext_lazy("审定通过了考核结果"),
    "campaign.publish": gettext_lazy("公布了考核结果"),
    "campaign.freeze": gettext_lazy("冻结了考核"),
    "campaign.refused": gettext_lazy("尝试办理考核流程操作被拒绝"),
    "campaign.": gettext_lazy("变更了考核状态"),
    "rectification.": gettext_lazy("处理了整改事项"),
    "letter_template.": gettext_lazy("更新了文书模板"),
    "plans.plan_create": gettext_lazy("新建了计划"),
    "plans.plan_activate": gettext_lazy("启用了计划"),
    "plans.import_": gettext_lazy("导入了计划文件"),
    "plans.task_create": gettext_lazy("新增了任务"),
    "plans.task_update": gettext_lazy("修改了任务"),
    "plans.task_delete": gettext_lazy("删除了任务"),
    "plans.task_assign": gettext_lazy("分配了任务"),
    "plans.tasks_assign_bulk": gettext_lazy("批量分配了任务"),
    "plans.reminders_for_overdue": gettext_lazy("一键催办了逾期任务"),
    "reviews.scoring_reminders_send": gettext_lazy("发送了评分催办"),
    "plans.task_link_indicators": gettext_lazy("关联了考核指标"),
    "plans.milestone_": gettext_lazy("更新了节点"),
    "plans.progress_report": gettext_lazy("报送了进展"),
    "plans.supervision_note": gettext_lazy("记录了督导意见"),
    "plans.reminder": gettext_lazy("发送了催办提醒"),
    "plans.reminder_read": gettext_lazy("阅读了催办提醒"),
    "reports.settings": gettext_lazy("设置了报告期限"),
    "reports.report_save": gettext_lazy("报送了年度报告"),
    "reports.report_review": gettext_lazy("审阅了年度报告"),
    "reports.report_public": gettext_lazy("更改了报告公开状态"),
    "reports.bulk_import": gettext_lazy("批量导入了年度报告"),
    "portal.opinion_submit": gettext_lazy("提交了社情民意"),
    "portal.opinion_moderate": gettext_lazy("审核了社情民意"),
    "portal.opinion_set_public": gettext_lazy("更改了社情民意公开状态"),
    "portal.opinion_forward": gettext_lazy("转办了社情民意"),
    "portal.opinion_reply": gettext_lazy("答复了社情民意"),
    "orgs.unit_import": gettext_lazy("导入了单位"),
    "orgs.unit_create": gettext_lazy("新建了单位"),
    "orgs.unit_update": gettext_lazy("修改了单位"),
    "orgs.unit_move": gettext_lazy("调整了单位隶属关系"),
    "jobs.": gettext_lazy("处理了后台任务"),
    "document.issue": gettext_lazy("制发了公文"),
    "document.regenerate": gettext_lazy("重新生成了公文"),
    "document.": gettext_lazy("处理了公文"),
    "documents.": gettext_lazy("更新了发文设置"),
    "auth.login": gettext_lazy("登录了系统"),
    "auth.logout": gettext_lazy("退出了系统"),
    "auth.login_failed": gettext_lazy("登录失败"),
    "auth.permission_denied": gettext_lazy("被拒绝访问"),
    "auth.session_expired": gettext_lazy("因会话超时被自动退出"),
    "auth.": gettext_lazy("进行了账号安全操作"),
    "accounts.token_create": gettext_lazy("创建了个人访问令牌"),
    "accounts.token_revoke": gettext_lazy("吊销了个人访问令牌"),
    "accounts.": gettext_lazy("进行了账号安全操作"),
    "admin.add": gettext_lazy("在管理后台新增了"),
    "admin.change": gettext_lazy("在管理后台修改了"),
    "admin.delete": gettext_lazy("在管理后台删除了"),
    "export.download": gettext_lazy("导出了"),
    "evidence.download": gettext_lazy("下载了证明材料"),
    "audit.key_rotated": gettext_lazy("轮换了审计签名密钥"),
    "audit.rechain": gettext_lazy("重新签名了审计日志"),
    "casereview.review_create": gettext_lazy("新建了集中评查"),
    "casereview.population_fix": gettext_lazy("固定了评查案卷样本总体"),
    "casereview.sample_draw": gettext_lazy("抽取了评查案卷"),
    "casereview.assignments_make": gettext_lazy("分配了评查案卷"),
    "casereview.assignment_set": gettext_lazy("改派了评查案卷的专家"),
    "casereview.file_score": gettext_lazy("评查了案卷"),
    "casereview.indicator_write": gettext_lazy("将集中评查结果写入指标得分"),
    "casereview.": gettext_lazy("更新了集中评查"),
    "fieldwork.sample_draw": gettext_lazy("抽取了实地考核单位"),
    "fieldwork.theory_import": gettext_lazy("导入了法治理论测试成绩"),
    "fieldwork.indicator_write": gettext_lazy("将实地考核结果写入指标得分"),
    "fieldwork.": gettext_lazy("更新了实地考核"),
    "surveys.import": gettext_lazy("导入了满意度测评数据"),
    "surveys.indicator_write": gettext_lazy("将满意度测评结果写入指标得分"),
    "surveys.": gettext_lazy("更新了满意度测评"),
    "selfreport.requirement_save": gettext_lazy("设置了自评材料清单"),
    "selfreport.requirement_publish": gettext_lazy("发布了自评填报要求"),
    "selfreport.report_save": gettext_lazy("保存了自评说明"),
    "selfreport.attachment_add": gettext_lazy("上传了自评材料"),
    "selfreport.attachment_delete": gettext_lazy("删除了自评材料"),
    "selfreport.report_submit": gettext_lazy("提交了自评"),
    "selfreport.report_return": gettext_lazy("退回自评要求补充材料"),
    "selfreport.reminder": gettext_lazy("发送了自评截止提醒"),
    "selfreport.": gettext_lazy("处理了自评填报"),
    "findings.finding_create": gettext_lazy("登记了督察发现"),
    "findings.finding_evidence": gettext_lazy("上传了督察发现证明材料"),
    "findings.finding_rectify": gettext_lazy("就督察发现交办整改"),
    "findings.finding_import": gettext_lazy("导入了督察发现"),
    "findings.web_record_create": gettext_lazy("记录了网络检索"),
    "findings.": gettext_lazy("处理了督察发现"),
}

#: filter of the page: key -> (label, action prefixes)
KINDS = {
    "score": (gettext_lazy("评分与加减分"), ("assessment.score", "assessment.adjustment", "assessment.evidence",
                                           "score.")),
    "campaign": (gettext_lazy("考核与指标"), ("assessment.campaign", "assessment.indicator", "campaign.",
                                          "reviews.recompute", "assessment.results")),
    "review": (gettext_lazy("反馈、复核与整改"), ("feedback.", "review.", "rectification.")),
    "plan": (gettext_lazy("计划与任务"), ("plans.",)),
    "report": (gettext_lazy("年度报告"), ("reports.",)),
    "portal": (gettext_lazy("社情民意"), ("portal.",)),
    "org": (gettext_lazy("单位与人员"), ("orgs.",)),
    "auth": (gettext_lazy("登录与权限"), ("auth.", "accounts.")),
    "admin": (gettext_lazy("管理后台"), ("admin.",)),
    "download": (gettext_lazy("导出与下载"), ("export.", "evidence.download")),
    "methods": (gettext_lazy("集中评查、实地考核与满意度测评"), ("casereview.", "fieldwork.", "surveys.")),
    "selfreport": (gettext_lazy("自评与督察"), ("selfreport.", "findings.")),
    "system": (gettext_lazy("日历、文书与系统"), ("calendar.", "letter_template.", "audit.", "jobs.", "document.",
                                              "documents.")),
}

#: value keys that are not model fields, and their labels
LABELS = {
    "value": gettext_lazy("得分"), "old_value": gettext_lazy("原得分"), "new_value": gettext_lazy("新得分"),
    "status": gettext_lazy("状态"), "reason": gettext_lazy("理由"), "points": gettext_lazy("分值"),
    "frozen": gettext_lazy("冻结"), "title": gettext_lazy("标题"), "text": gettext_lazy("内容"),
    "note": gettext_lazy("说明"), "deadline": gettext_lazy("截止日期"), "due_date": gettext_lazy("期限"),
    "is_public": gettext_lazy("公开"), "public": gettext_lazy("公开"), "outcome": gettext_lazy("复核结果"),
    "year": gettext_lazy("年度"), "rows": gettext_lazy("行数"), "created": gettext_lazy("新建"),
    "updated": gettext_lazy("更新"), "file": gettext_lazy("文件"), "files": gettext_lazy("文件"),
    "units": gettext_lazy("单位数"), "name": gettext_lazy("名称"), "parent": gettext_lazy("上级单位"),
    "category": gettext_lazy("考核类别"), "indicators": gettext_lazy("指标数"), "count": gettext_lazy("数量"),
    "object": gettext_lazy("对象"), "model": gettext_lazy("类型"), "change": gettext_lazy("修改内容"),
    "path": gettext_lazy("页面"), "done": gettext_lazy("已完成"), "lead_unit": gettext_lazy("牵头单位"),
    "message": gettext_lazy("内容"), "response": gettext_lazy("回复"), "is_working_day": gettext_lazy("工作日"),
    "date": gettext_lazy("日期"), "kind": gettext_lazy("类型"), "what": gettext_lazy("内容"),
    "subunit": gettext_lazy("内设单位"), "unit": gettext_lazy("单位"), "indicator": gettext_lazy("指标"),
    "moderation_note": gettext_lazy("审核意见"), "accept": gettext_lazy("直接通过"),
    "items": gettext_lazy("材料清单"), "item": gettext_lazy("对应材料"), "size": gettext_lazy("大小（字节）"),
    "reports_opened": gettext_lazy("开启填报数"), "attachments": gettext_lazy("材料"),
    "task_evidence": gettext_lazy("关联的任务佐证"), "reports": gettext_lazy("自评数"),
    "rectification": gettext_lazy("整改事项"), "found_on": gettext_lazy("发现日期"), "url": gettext_lazy("网址"),
    "position": gettext_lazy("位次"), "overrides": gettext_lazy("增减"),
    "overrides_dropped": gettext_lazy("随之撤销的增减（已无需增减的单位）"),
}
#: keys never shown (internal bookkeeping)
HIDDEN = {"version", "id", "pk", "hash", "campaign", "report", "plan", "task", "score", "old_head", "note_id"}

WHAT = {  # export.download "what" -> what was exported
    "orgs.units": gettext_lazy("单位表"), "plans.tasks": gettext_lazy("任务表"),
    "plans.progress": gettext_lazy("进展表"), "plans.overdue": gettext_lazy("逾期任务表"),
    "plans.my_tasks": gettext_lazy("本单位任务表"), "assessment.progress": gettext_lazy("评分进度表"),
    "assessment.indicators": gettext_lazy("考核指标"), "assessment.scores": gettext_lazy("评分表"),
    "assessment.results": gettext_lazy("考核结果"), "reports.compare": gettext_lazy("年度报告数据对比"),
    "portal.opinions": gettext_lazy("社情民意汇总"), "audit.events": gettext_lazy("审计日志"),
    "reviews.list.": gettext_lazy("考核名单"), "reviews.copy.": gettext_lazy("抄送结果"),
    "reviews.letter.": gettext_lazy("考核文书"), "reviews.template.": gettext_lazy("文书模板"),
}


def _lookup(table: dict, name: str):
    if name in table:
        return table[name]
    prefixes = [key for key in table if key.endswith((".", "_")) and name.startswith(key)]
    return table[max(prefixes, key=len)] if prefixes else None


def kind_prefixes(kind: str) -> tuple[str, ...]:
    return KINDS[kind][1] if kind in KINDS else ()


def _model(target_type: str):
    try:
        return apps.get_model(target_type) if "." in target_type else None
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def label_of(model, key: str) -> str | None:
    if key in HIDDEN or key.endswith("_id"):
        return None
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    label = LABELS.get(key)
    return str(label) if label is not None else None


def value_text(value, field=None) -> str:
    """A value as a reader says it: choices by label, numbers plain, 是/否, lists joined, blanks as （空）."""
    if value is None or value == "" or value == []:
        return _("（空）")
    if isinstance(value, bool):
        return _("是") if value else _("否")
    choices = dict(getattr(field, "flatchoices", None) or []) if field is not None else {}
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, list):
        return listsep().join(value_text(v) for v in value[:10]) + ("…" if len(value) > 10 else "")
    if isinstance(value, dict):
        return listsep().join(f"{k} {value_text(v)}" for k, v in list(value.items())[:5] if not isinstance(v, dict))
    text = str(value)
    if isinstance(value, str) and "T" in text and len(text) >= 19:
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(moment) else text
        except ValueError:
            pass
    try:
        return format(Decimal(text), "f") if isinstance(value, str) and text.replace(".", "", 1).isdigit() else text
    except InvalidOperation:
        return text


def changes(event) -> list[str]:
    """"得分由 4.00 改为 3.50" for each shown key whose value differs between before and after; for a creation
    or deletion, "得分 4.00" for each shown value."""
    model = _model(event.target_type)
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    out = []
    keys = list(dict.fromkeys([*before, *after]))
    for key in keys:
        label = label_of(model, key)
        if label is None:
            continue
        field = _field(model, key)
        if key in before and key in after:
            if before[key] == after[key]:
                continue
            out.append(_("%(field)s由 %(old)s 改为 %(new)s") % {
                "field": label, "old": value_text(before[key], field), "new": value_text(after[key], field)})
        else:
            source = after if key in after else before
            out.append(_("%(field)s %(value)s") % {"field": label, "value": value_text(source[key], field)})
    return out[:12]  # an indicator's record has 9 labelled fields; JSONB does not keep the service's key order


def verb(event) -> str:
    found = _lookup(VERBS, event.action)
    if found is not None:
        return str(found)
    if event.before is None and event.after is not None:
        return _("新建了")
    if event.after is None and event.before is not None:
        return _("删除了")
    return _("修改了")


def target_text(event) -> str:
    """The object acted on: its kind and its name ("评分 2.3 · 郑州市人民政府 = 4.00")."""
    if event.action == "export.download":
        what = (event.after or {}).get("what", "") if isinstance(event.after, dict) else ""
        found = _lookup(WHAT, what)
        return str(found) if found is not None else _("文件")
    if event.action.startswith("admin.") and isinstance(event.after, dict):
        return " ".join(str(event.after.get(k) or "") for k in ("model", "object")).strip()
    model = _model(event.target_type)
    kind = str(model._meta.verbose_name) if model is not None else ""
    return " ".join(part for part in (kind, event.target_repr) if part)


def actor_text(event) -> str:
    who = event.actor_name or _("系统")
    return f"{event.actor_unit} {who}" if event.actor_unit else who


def when_text(event) -> str:
    return timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M")


def sentence(event) -> str:
    """One sentence for the event, in the active language."""
    parts = {
        "who": actor_text(event), "when": when_text(event), "verb": verb(event), "target": target_text(event),
        "unit": event.unit_name,
    }
    shown = [] if event.action.startswith(("admin.", "export.", "evidence.download")) else changes(event)
    target = parts["target"]
    if parts["unit"] and parts["unit"] not in target:
        target = _("%(unit)s %(target)s") % {"unit": parts["unit"], "target": target}
    if shown and event.before is not None and event.after is not None:
        text = _("%(who)s 于 %(when)s %(verb)s：将 %(target)s 的%(changes)s") % {
            **parts, "target": target, "changes": listsep().join(shown)}
    elif shown:
        text = _("%(who)s 于 %(when)s %(verb)s %(target)s（%(changes)s）") % {
            **parts, "target": target, "changes": listsep().join(shown)}
    else:
        text = _("%(who)s 于 %(when)s %(verb)s %(target)s") % {**parts, "target": target}
    if event.reason:
        text = _("%(text)s，理由：%(reason)s") % {"text": text, "reason": event.reason}
    return _("%(text)s。") % {"text": text.rstrip()}
