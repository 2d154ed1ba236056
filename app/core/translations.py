"""This request's translations, found once per request and locale.

Flask-Babel finds the catalogue anew for every string: nine context lookups and the locale
written out as a name, each time. A form page translates a hundred strings and that search was
a sixth of its time. Here the catalogue is kept beside the request's locale and found again only
when the locale changes (``force_locale``, a document written in Russian)."""

from flask import g
from flask_babel import get_locale, get_translations

_KEPT = "fast_translations"


def translations():
    context = g.get("_flask_babel") if g else None
    if context is None:
        return get_translations()
    locale = getattr(context, "babel_locale", None) or get_locale()
    kept = getattr(context, _KEPT, None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    found = get_translations()
    setattr(context, _KEPT, (locale, found))
    return found


def gettext(string: str, **variables) -> str:
    text = translations().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return translations().ungettext(singular, plural, num) % variables


def install(app) -> None:
    """Templates' ``_``, ``gettext`` and ``ngettext`` through the kept catalogue."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, n: translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: translations().unpgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )
