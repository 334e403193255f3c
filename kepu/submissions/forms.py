from django import forms
from django.utils.translation import gettext_lazy as _

from kepu.orgs import permissions as perms
from kepu.orgs.forms import UnitLabelMixin
from kepu.orgs.models import Unit

from .choices import Category, Urgency
from .models import SubmissionRequest


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class SubmitForm(forms.Form):
    from_unit = forms.ModelChoiceField(label=_("Submitting unit"), queryset=Unit.objects.none())
    to_unit = forms.ModelChoiceField(label=_("Submit to"), queryset=Unit.objects.none())
    request = forms.ModelChoiceField(
        label=_("In answer to"), queryset=SubmissionRequest.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = perms.units_for(user, perms.SUBMIT_CONTENT).order_by("path")
        self.fields["from_unit"].queryset = mine
        ancestor_paths = {u.path[: i * Unit.steplen] for u in mine for i in range(1, u.depth)}
        self.fields["to_unit"].queryset = Unit.objects.filter(path__in=ancestor_paths).order_by(
            "path"
        )
        for name in ("from_unit", "to_unit"):
            self.fields[name].label_from_instance = UnitLabelMixin.label_from_unit
        self.fields["request"].queryset = SubmissionRequest.objects.filter(
            recipients__in=mine
        ).distinct()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("adopt", _("Adopt")), ("return", _("Return")), ("forward", _("Forward up"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
