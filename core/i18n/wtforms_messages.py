"""The messages of WTForms' own validators, so that the catalog translates them.

WTForms ships no Thai catalog; Flask-WTF asks Khet's catalog for these strings, so they are
listed here to be extracted with the rest (``khet i18n extract``). Nothing imports this module.
"""

from core.i18n import N_, N_plural

WTFORMS_MESSAGES = (
    N_("Field must be equal to %(other_name)s."),
    N_plural(
        "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long."
    ),
    N_plural(
        "Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters."
    ),
    N_plural(
        "Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long."
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("This field is required."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("This field cannot be edited."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
    N_("The CSRF token is missing."),
    N_("The CSRF token is invalid."),
    N_("The CSRF token has expired."),
    N_("The CSRF tokens do not match."),
    N_("Not a valid choice."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
)
