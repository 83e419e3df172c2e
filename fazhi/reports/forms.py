from __future__ import annotations

import datetime

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from fazhi.io.widgets import DateInput
from fazhi.orgs.models import Unit

from .models import COMMENT_ACTIONS


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("请选择单位"))
    year = forms.IntegerField(label=_("报告年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=300, required=False,
                            help_text=_("留空则取文档第一行"))
    published_on = forms.DateField(label=_("公开日期"), required=False,
                                   widget=DateInput())
    publication_url = forms.CharField(label=_("公开网址"), max_length=500, required=False,
                                      validators=[URLValidator(schemes=["http", "https"])])
    file = forms.FileField(label=_("上传文件（.txt .html .docx .pdf）"), required=False)
    text = forms.CharField(label=_("或粘贴全文"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                           max_length=500_000)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
            self.fields["unit"].required = True
        if not self.is_bound:
            self.initial.setdefault("year", datetime.date.today().year - 1)  # noqa: DTZ011

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("请上传文件或粘贴报告全文"))
        return data


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=list(COMMENT_ACTIONS.items()))
    text = forms.CharField(label=_("意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class BulkImportForm(forms.Form):
    file = forms.FileField(label=_("压缩包（.zip）"))
    default_year = forms.IntegerField(label=_("默认年度"), min_value=2000, max_value=2100, required=False,
                                      help_text=_("标题和文件名中都找不到年度时使用"))
    accept = forms.BooleanField(label=_("导入后直接通过并在门户公开（往年已公开的报告）"), required=False)


class SettingsForm(forms.Form):
    year = forms.IntegerField(label=_("报告年度"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("公开截止日期"), widget=DateInput())


