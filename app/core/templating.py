"""The Jinja environment of the app: attribute access that reads a dict's key first."""

from flask.templating import Environment as FlaskEnvironment

DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(FlaskEnvironment):
    """``question.label`` on a dict is the key "label". Jinja tries ``getattr`` first and the
    key only after AttributeError; a form page reads thousands of such keys, and raising the
    error each time is a fifth of its rendering. A dict's own methods (``items``…) keep Jinja's
    order, so ``data.items()`` still calls the method."""

    def getattr(self, obj, attribute):
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)
