from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Level, Unit
from fazhi.templatetags.punctuation import colon

from .models import PublicOpinion


class OpinionForm(forms.Form):
    about_unit = forms.ModelChoiceField(label=_("涉及单位（可不选）"), required=False, empty_label=_("不指定单位"),
                                        queryset=Unit.objects.filter(category__isnull=False, is_active=True))
    text = forms.CharField(label=_("意见内容"), min_length=5, max_length=PublicOpinion.MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 6, "maxlength": PublicOpinion.MAX_TEXT}))
    contact = forms.CharField(label=_("联系方式（可不填，不公开）"), required=False, max_length=100)
    #: Honeypot: hidden from people, filled by bots. A filled value is refused silently.
    website = forms.CharField(label=_("请勿填写"), required=False, max_length=200)


class ReportFilterForm(forms.Form):
    region = forms.CharField(label=_("地区"), required=False, max_length=60)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *Level.choices])
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    q = forms.CharField(label=_("检索词"), required=False, max_length=200)

    def problems(self) -> list[str]:
        """The invalid filters, each as "label: what is wrong" (empty when the query is valid or absent)."""
        if not self.is_bound or self.is_valid():
            return []
        return [f"{self.fields[name].label}{colon()}{' '.join(errors)}" for name, errors in self.errors.items()
                if name in self.fields]


class ModerationForm(forms.Form):
    action = forms.ChoiceField(label=_("操作"), choices=[
        ("approve", _("采纳")), ("reject", _("不予采纳")), ("publish", _("在门户公开")), ("unpublish", _("不公开")),
        ("forward", _("转办")), ("reply", _("答复"))])
    note = forms.CharField(label=_("说明（可选）"), required=False, max_length=500)
    unit = forms.ModelChoiceField(label=_("转办单位"), queryset=Unit.objects.filter(is_active=True), required=False,
                                  empty_label=_("选择转办单位"))
    reply = forms.CharField(label=_("答复"), required=False, max_length=PublicOpinion.MAX_TEXT)
