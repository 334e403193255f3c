"""Form helpers shared by the admin views."""

from django import forms
from django.core.exceptions import ValidationError


def add_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show an action's ValidationError on the form: per field where the form has that field,
    otherwise as a form-wide error, so no message is lost."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
