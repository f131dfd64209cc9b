"""Form fields shared by core, the admin console and plugins."""

from core.forms.base import KhetAdminForm, KhetForm
from core.forms.choices import SelectField, SelectMultipleField
from core.forms.dates import KhetModelConverter, ThaiDateField

__all__ = [
    "KhetAdminForm",
    "KhetForm",
    "KhetModelConverter",
    "SelectField",
    "SelectMultipleField",
    "ThaiDateField",
]
