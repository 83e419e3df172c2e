"""Forms of the plans pages (validation of user input; the writes are in ``services``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.io.widgets import DateInput
from fazhi.templatetags.punctuation import in_parens

from .models import PlanKind, TaskStatus


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    file = forms.FileField(label=_("文件（.docx / .pdf / .txt / .html）"))
    title = forms.CharField(label=_("计划标题"), max_length=200, required=False,
                            help_text=_("留空则使用文档中的标题"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, required=False,
                              help_text=_("“7月底前”等相对时限按此年度换算；留空则从文档中识别"))
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices, initial=PlanKind.ANNUAL)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("计划标题"), max_length=200)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices, initial=PlanKind.ANNUAL)


class TaskForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("上级条目"), required=False, coerce=int, empty_value=None)
    label = forms.CharField(label=_("编号"), max_length=20, required=False)
    title = forms.CharField(label=_("标题"), max_length=300)
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("完成时限"), required=False, widget=DateInput())
    deadline_rule = forms.CharField(label=_("时限说明"), max_length=100, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("（一级条目/章）"))]
        if plan is not None:
            choices += [(t.pk, f"{'　' * (t.level - 1)}{t}") for t in plan.tasks.order_by("sort")]
        self.fields["parent"].choices = choices


class AssignForm(forms.Form):
    lead_unit = forms.TypedChoiceField(label=_("牵头单位"), required=False, coerce=int, empty_value=None)
    cooperating_units = forms.TypedMultipleChoiceField(label=_("配合单位"), required=False, coerce=int,
                                                       widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        self.fields["lead_unit"].choices = [("", "—"), *choices]
        self.fields["cooperating_units"].choices = choices


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点名称"), max_length=200)
    due = forms.DateField(label=_("节点时限"), widget=DateInput())


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), choices=TaskStatus.choices)
    milestone = forms.TypedChoiceField(label=_("节点"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(label=_("佐证材料"), required=False)

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        milestones = list(task.milestones.all()) if task is not None else []
        self.fields["milestone"].choices = [("", _("（整体进展）"))] + [
            (m.pk, f"{m.title}{in_parens(f'{m.due:%Y-%m-%d}')}") for m in milestones
        ]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("督导意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReminderForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("提醒单位"), coerce=int)
    message = forms.CharField(label=_("提醒内容"), max_length=500)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
