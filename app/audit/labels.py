"""Russian names of audit actions and object types."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "deactivate": _l("Deactivated"),
    "activate": _l("Activated"),
    "import": _l("Imported"),
    "login": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "login_refused": _l("Login of a deactivated account"),
    "logout_everywhere": _l("Logged out on all devices"),
    "password_set": _l("Password set by link"),
    "password_change": _l("Password changed"),
    "password_reset": _l("Password reset"),
    "new_version": _l("New draft version"),
    "publish": _l("Published"),
    "archive": _l("Archived"),
    "unarchive": _l("Restored from archive"),
    "start": _l("Started filling"),
    "prefill": _l("Took over previous answers"),
    "submit": _l("Submitted"),
    "recall": _l("Recalled the submission"),
    "return": _l("Returned for revision"),
    "accept": _l("Accepted"),
    "remind": _l("Sent reminders"),
    "extend_deadline": _l("Extended the deadline"),
    "close": _l("Closed early"),
    "reopen": _l("Reopened"),
    "cancel": _l("Cancelled"),
    "delete": _l("Deleted"),
}

OBJECT_LABELS = {
    "organization": _l("Organization"),
    "user": _l("User"),
    "form": _l("Questionnaire"),
    "campaign": _l("Monitoring"),
    "response": _l("Response"),
    "indicator": _l("Indicator"),
    "api_token": _l("API token"),
}
