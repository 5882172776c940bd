"""Forms of the regions app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import BootstrapMixin, UserFormMixin

IMPORT_KINDS = [
    ("regions", _("行政区划（code,name,level,parent_code,valid_from,valid_to）")),
    ("population", _("常住人口（code,year,resident,source）")),
]


class TableImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("导入内容"), choices=IMPORT_KINDS)
    file = forms.FileField(label=_("文件"), help_text=_("CSV（UTF-8 或 GB18030 编码）或 xlsx，第一行为表头"))


class RegionFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label=_("代码/名称"), required=False)
    year = forms.IntegerField(label=_("人口年份"), required=False, min_value=1949, max_value=2100)
