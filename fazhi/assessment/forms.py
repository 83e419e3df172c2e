"""Forms of the assessment pages (validation only; writes go through ``services``)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.io.values import DecimalField
from fazhi.orgs.models import Category, Unit
from fazhi.templatetags.punctuation import in_parens

from .models import AdjustmentKind, Campaign, Indicator, Method

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


class UnitChoices(forms.ModelMultipleChoiceField):
    """Units by name (never by code); the page filters them as the user types (``js/choosers.js``)."""

    def label_from_instance(self, obj) -> str:
        return obj.name


class HeadingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.title}"


class IndicatorForm(forms.Form):
    """One heading or leaf of the indicator tree (the writes and every rule: ``services.indicator_create`` /
    ``indicator_update``). A heading shows only its place, number, name and standard."""

    parent = HeadingChoice(label=_("所属标题"), queryset=Indicator.objects.none(), required=False,
                           empty_label=_("（无，作为一级标题）"))
    code = forms.CharField(label=_("指标编号"), max_length=32, help_text=_("唯一编号，如 1.1、3.2.4"))
    title = forms.CharField(label=_("指标名称"), max_length=300)
    points = DecimalField(label=_("分值"), required=False, max_digits=6, decimal_places=2)
    method = forms.ChoiceField(label=_("考核方式"), required=False)
    categories = forms.TypedMultipleChoiceField(
        label=_("适用类别"), choices=CATEGORY_CHOICES, coerce=int, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("本指标适用于哪些类别的考核对象；个别单位的增加或减少在“增减”中设置"))
    assessing_units = UnitChoices(label=_("考核主体"), queryset=Unit.objects.none(), required=False,
                                  widget=forms.CheckboxSelectMultiple,
                                  help_text=_("负责对本指标评分的单位，可选多个"))
    allow_subunits = forms.BooleanField(label=_("按下级单位评分"), required=False,
                                        help_text=_("按市直部门等下级单位分别评分，取平均值计入上级单位"))
    description = forms.CharField(label=_("评分标准"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    LEAF_ONLY = ("points", "method", "categories", "assessing_units", "allow_subunits")

    def __init__(self, *args, heading: bool, parents, assessing_units, **kwargs):
        super().__init__(*args, **kwargs)
        self.heading = heading
        self.fields["parent"].queryset = parents
        if heading:
            for name in self.LEAF_ONLY:
                del self.fields[name]
        else:
            self.fields["points"].required = True
            self.fields["method"].required = True
            self.fields["method"].choices = [("", _("请选择考核方式")), *(
                (value, label) for value, label in Method.choices if value != Method.ADJUSTMENT)]
            self.fields["assessing_units"].queryset = assessing_units

    def service_values(self) -> dict:
        """The cleaned values as the services' keyword arguments."""
        data = dict(self.cleaned_data)
        if not self.heading:
            data["assessing_units"] = list(data["assessing_units"])
        return data
