"""The form every decision posts."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    """What a decision posts (`views.perform_action`, `views.decide_on_form`): a comment and
    the version the actor saw (`Workflow.version_of`), so that a decision on an object that has
    moved on since is refused as already handled. An app names the comment (`comment_label`)
    and sizes its box (`comment_rows`) in a subclass."""

    comment_label = _("审核意见")
    comment_rows = 3

    comment = forms.CharField(
        label=comment_label,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": comment_rows}),
    )
    expected_version = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = self.comment_label
        self.fields["comment"].widget.attrs["rows"] = self.comment_rows
