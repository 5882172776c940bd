"""Password rules of 等保 2.0: at least 8 characters from at least three character classes."""

import secrets
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import join_list

CLASSES = (
    (_("大写字母"), str.isupper),
    (_("小写字母"), str.islower),
    (_("数字"), str.isdigit),
    (_("特殊字符"), lambda c: not c.isalnum()),
)


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                gettext("密码至少需要 {min_length} 位，当前只有 {length} 位。").format(
                    min_length=self.min_length, length=len(password)
                ),
                code="too_short",
            )
        used = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            raise ValidationError(
                gettext(
                    "密码须包含大写字母、小写字母、数字、特殊字符中的至少 {min_classes} 类，当前只有{used}。"
                ).format(min_classes=self.min_classes, used=join_list(used) or gettext("0 类")),
                code="too_simple",
            )

    def get_help_text(self) -> str:
        return gettext(
            "至少 {min_length} 位，包含大写字母、小写字母、数字、特殊字符中的至少 {min_classes} 类。"
        ).format(min_length=self.min_length, min_classes=self.min_classes)


def generate_password(length: int = 14) -> str:
    """A random password that satisfies the complexity rule."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*-_"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        try:
            ComplexityValidator(min_classes=4).validate(candidate)
            return candidate
        except ValidationError:
            continue
