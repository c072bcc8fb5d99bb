from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from treem.core import parsing as parse


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(None if field == NON_FIELD_ERRORS else target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that answers "not a valid choice" to a value no database id can be (a
    40-digit number overflows SQLite's INTEGER and would be a server error)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse.safe_ids([value]) == [] and self.to_field_name is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """The same guard for a list of ids."""

    def _check_values(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        if self.to_field_name is None and len(parse.safe_ids(values)) != len(values):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ""}
            )
        return super()._check_values(value)
