"""Forms of the assessment pages (validation only; writes go through ``services``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.io.values import DecimalField
from fazhi.orgs.models import Category
from fazhi.templatetags.punctuation import in_parens

from .models import AdjustmentKind, Campaign

CATEGORY_CHOICES = [(value, f"{value} {label}") for value, label in Category.choices]


class CampaignSettingsForm(forms.ModelForm):
    ranked_categories = forms.TypedMultipleChoiceField(
        label=_("排名类别"), choices=CATEGORY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("其余类别只评定等次、不排名（考核方案§六）"),
    )

    class Meta:
        model = Campaign
        fields = ["name", "excellent_min", "good_min", "pass_min", "bonus_cap", "deduction_cap", "excellent_quota",
                  "ranked_categories", "warning_rank_drop", "weight_daily_work", "weight_field_work", "weight_survey"]


class CampaignCreateForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("名称"), max_length=200, required=False,
                           help_text=_("留空则自动生成，如“2025年度河南省法治政府建设考核”"))
    copy_previous = forms.BooleanField(label=_("复制上一年度的指标表"), required=False, initial=True)


class AdjustmentForm(forms.Form):
    unit = forms.ChoiceField(label=_("考核对象"))
    kind = forms.ChoiceField(label=_("类型"), choices=AdjustmentKind.choices)
    points = DecimalField(label=_("分值"), min_value=Decimal("0.01"), max_digits=6, decimal_places=2)
    reason = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("依据来源"), max_length=300,
                             help_text=_("通报文件、媒体报道、网络检索记录等"))
    serious = forms.BooleanField(label=_("情节严重（不得评为优秀）"), required=False)
    exceed_cap = forms.BooleanField(label=_("突破扣分上限（考核办决定）"), required=False)
    exceed_reason = forms.CharField(label=_("突破上限理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.code, f"{u.name}{in_parens(u.code)}") for u in units]
