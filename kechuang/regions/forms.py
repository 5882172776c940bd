"""Forms of the regions app."""

from django import forms

from kechuang.core.forms import UserFormMixin
from kechuang.orgs.forms import BootstrapMixin

IMPORT_KINDS = [
    ("regions", "行政区划（code,name,level,parent_code,valid_from,valid_to）"),
    ("population", "常住人口（code,year,resident,source）"),
]


class TableImportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=IMPORT_KINDS)
    file = forms.FileField(label="文件", help_text="CSV（UTF-8 或 GB18030 编码）或 xlsx，第一行为表头")


class RegionFilterForm(BootstrapMixin, UserFormMixin, forms.Form):
    q = forms.CharField(label="代码/名称", required=False)
    year = forms.IntegerField(label="人口年份", required=False, min_value=1949, max_value=2100)
