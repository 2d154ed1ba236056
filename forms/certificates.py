"""Forms of the certificates domain: the signatory, the emblem and signature images, the page
templates."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import RadioField, StringField
from wtforms.validators import Length

from app.certificates.models import SIGNER_LABELS
from forms.common import choices


class SignatoryForm(FlaskForm):
    head_position = StringField(
        _l("Position of the head"),
        description=_l("As it is printed under the letters, e.g. Начальник МКУ «УОНР»."),
        validators=[Length(max=300)],
    )
    head_name = StringField(
        _l("Name of the head"),
        description=_l("Initials and surname, e.g. А. А. Иванов."),
        validators=[Length(max=200)],
    )
    diplomas_signed_by = RadioField(
        _l("Contest diplomas are signed by"),
        choices=choices([(signer.value, label) for signer, label in SIGNER_LABELS.items()]),
        default="chair",
    )


class ImageForm(FlaskForm):
    file = FileField(
        _l("Image (PNG or JPEG, up to 2 MB)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["png", "jpg", "jpeg"], _l("Only PNG and JPEG images can be uploaded.")),
        ],
    )


class PageTemplateForm(FlaskForm):
    file = FileField(
        _l("Template (.docx)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["docx"], _l("Only .docx files can be uploaded.")),
        ],
    )
