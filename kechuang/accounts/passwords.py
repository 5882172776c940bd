"""Password rules of 等保 2.0: at least 8 characters from at least three character classes."""

import secrets
import string

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("特殊字符", lambda c: not c.isalnum()),
)


class ComplexityValidator:
    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length, self.min_classes = min_length, min_classes

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(f"密码至少需要 {self.min_length} 位，当前只有 {len(password)} 位。", code="too_short")
        used = [name for name, test in CLASSES if any(test(c) for c in password)]
        if len(used) < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类，当前只有"
                f"{'、'.join(used) or '0 类'}。",
                code="too_simple",
            )

    def get_help_text(self) -> str:
        return f"至少 {self.min_length} 位，包含大写字母、小写字母、数字、特殊字符中的至少 {self.min_classes} 类。"


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
