"""Form helpers shared by every HTML feature."""

from memi.errors import Invalid


def apply_errors(form, exc: Invalid):
    """Show a service's field errors next to the form's fields (others go to form.form_errors)."""
    for field_name, messages in (exc.fields or {}).items():
        field = getattr(form, field_name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)
    if not exc.fields:
        form.form_errors.append(exc.message)
    return form


def safe_next(target):
    """Only same-site relative paths are followed after login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
