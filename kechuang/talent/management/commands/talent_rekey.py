"""``kechuang talent_rekey``: re-encrypt identity numbers after KECHUANG_DATA_KEY is set or changed."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.i18n import TranslatedHelpMixin
from kechuang.talent.identity import IdentityKeys
from kechuang.talent.models import Person

BATCH = 1000


class Command(TranslatedHelpMixin, BaseCommand):
    help = _(
        "设置或更换数据密钥 KECHUANG_DATA_KEY 后，用新密钥重新加密人才库中的身份证号码并重算检索索引。"
        "旧密钥取自环境变量 KECHUANG_OLD_DATA_KEY；未设置时为 SECRET_KEY（即此前未设置数据密钥的情形）"
    )

    def handle(self, *args, **options):
        new_master = settings.KECHUANG_DATA_KEY
        old_master = os.environ.get("KECHUANG_OLD_DATA_KEY") or settings.SECRET_KEY
        if not new_master:
            raise CommandError(gettext("请先设置新的数据密钥 KECHUANG_DATA_KEY"))
        if new_master == old_master:
            raise CommandError(gettext("新旧数据密钥相同，无需重新加密"))
        old, new = IdentityKeys(old_master), IdentityKeys(new_master)
        changed = already = 0
        with transaction.atomic():
            batch = []
            for person in Person.objects.only("pk", "id_number_encrypted", "id_number_hash").iterator(chunk_size=BATCH):
                try:
                    number = old.decrypt(person.id_number_encrypted)
                except ValueError:
                    self._check_new(new, person)
                    already += 1
                    continue
                person.id_number_encrypted, person.id_number_hash = new.encrypt(number), new.hash(number)
                batch.append(person)
                if len(batch) >= BATCH:
                    changed += self._save(batch)
            changed += self._save(batch)
        self.stdout.write(
            gettext("已重新加密 {changed} 人；{already} 人已是新密钥").format(changed=changed, already=already)
        )

    @staticmethod
    def _check_new(new: IdentityKeys, person: Person) -> None:
        try:
            new.decrypt(person.id_number_encrypted)
        except ValueError:
            # Neither key opens it: stop; the transaction leaves every row as it was.
            raise CommandError(
                gettext(
                    "人员（编号 {pk}）的身份证号码用新旧密钥都无法解密，未做任何修改；请核对 KECHUANG_OLD_DATA_KEY"
                ).format(pk=person.pk)
            ) from None

    @staticmethod
    def _save(batch: list) -> int:
        Person.objects.bulk_update(batch, ["id_number_encrypted", "id_number_hash"])
        count = len(batch)
        batch.clear()
        return count
