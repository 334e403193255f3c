from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Channel


class PlanForm(forms.Form):
    """The channels of one piece's publication plan."""

    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Where the piece goes when it is published. Without a plan: the website only."),
    )
