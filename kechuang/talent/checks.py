"""System checks: production must protect identity numbers with its own data key (KECHUANG_DATA_KEY)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

MIN_KEY_LENGTH = 32


@register(Tags.security, deploy=True)
def data_key_check(app_configs, **kwargs):
    key = settings.KECHUANG_DATA_KEY
    if not key:
        return [
            Warning(
                "KECHUANG_DATA_KEY is not set: identity numbers are encrypted with a key derived from SECRET_KEY "
                "(未设置数据密钥 KECHUANG_DATA_KEY，身份证号码的加密密钥由 SECRET_KEY 派生).",
                hint=(
                    "Set KECHUANG_DATA_KEY to at least 32 random characters and keep it in backups; if people are "
                    "already registered, run `kechuang talent_rekey` once after setting it (see .env.example)."
                ),
                id="talent.W001",
            )
        ]
    if len(key) < MIN_KEY_LENGTH:
        return [
            Warning(
                f"KECHUANG_DATA_KEY is shorter than {MIN_KEY_LENGTH} characters (数据密钥过短).",
                hint="Use at least 32 random characters: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="talent.W002",
            )
        ]
    return []
