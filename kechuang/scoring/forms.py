"""Forms of the scoring models: the model's header, its criteria as a formset with the bands typed one per line,
the evaluation's year, and the entered values of projects."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import BootstrapMixin

from .choices import BandUnit, Subject
from .engine import LIMIT, format_number, in_range
from .fields import field_choices
from .models import ScoringModel

BAND_LINE = re.compile(r"^(>=|≥|＞=|>|＞)\s*(-?[\d.]+)\s*[:：]\s*(-?[\d.]+)$")


def parse_band_lines(text: str) -> list[dict]:
    """Bands typed one per line, ``>= 5 : 10`` (at least 5 scores 10) or ``> 0 : 5`` (more than 0 scores 5)."""
    bands = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = BAND_LINE.match(line.replace(" ", ""))
        if match is None:
            raise ValidationError(
                gettext(
                    "第 {n} 行“{line}”看不懂：每行写一档，如“>= 5 : 10”（不低于 5 得 10）或“> 0 : 5”（高于 0 得 5）。"
                ).format(n=number, line=line[:40])
            )
        sign, lower, value = match.groups()
        try:
            lower, value = Decimal(lower), Decimal(value)
        except InvalidOperation as exc:
            raise ValidationError(
                gettext("第 {n} 行“{line}”中的数字写法有误（如多了小数点），请改为“>= 5 : 10”的形式。").format(
                    n=number, line=line[:40]
                )
            ) from exc
        if not (in_range(lower) and in_range(value)):
            raise ValidationError(_too_large(gettext("第 {n} 行“{line}”").format(n=number, line=line[:40])))
        bands.append({"lower": str(lower), "inclusive": sign in (">=", "≥", "＞="), "value": str(value)})
    return bands


def _too_large(where: str) -> str:
    return gettext("{where}的数字太大：绝对值应小于 {limit}，请检查是否多输了位数。").format(
        where=where, limit=f"{LIMIT:,.0f}"
    )


def band_lines(bands: list[dict]) -> str:
    return "\n".join(
        f"{'>=' if b.get('inclusive', True) else '>'} {format_number(Decimal(str(b['lower'])))} : "
        f"{format_number(Decimal(str(b['value'])))}"
        for b in bands
    )


class ModelForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ScoringModel
        fields = ["code", "name", "subject", "purpose", "total", "pass_score"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a version's code and subject are fixed: they say what its results mean
            for name in ("code", "subject"):
                self.fields[name].disabled = True


class CriterionForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("指标代码"), max_length=32)
    name = forms.CharField(label=_("指标名称"), max_length=64)
    field = forms.ChoiceField(label=_("数据项"))
    weight = forms.DecimalField(label=_("权重（分）"), max_digits=7, decimal_places=2)
    unit = forms.ChoiceField(label=_("档位分值单位"), choices=BandUnit.choices, initial=BandUnit.POINTS)
    bands = forms.CharField(
        label=_("档位"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一档，按下限从低到高：“>= 5 : 10”表示不低于 5 得 10 分，“> 0 : 5”表示高于 0 得 5 分"),
    )  # fmt: skip
    order = forms.IntegerField(label=_("顺序"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(str(label), field_choices(value)) for value, label in Subject.choices]

    def clean_bands(self):
        return parse_band_lines(self.cleaned_data["bands"])


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, can_delete=True)


def criteria_initial(model: ScoringModel) -> list[dict]:
    return [
        {"code": c.code, "name": c.name, "field": c.field, "weight": c.weight, "unit": c.unit,
         "bands": band_lines(c.bands), "order": c.order}
        for c in model.criteria.all()
    ]  # fmt: skip


def criteria_data(formset) -> list[dict]:
    """The filled rows of a valid formset, not those marked for deletion."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append({k: v for k, v in data.items() if k != "DELETE"})
    return rows


class YearForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("数据年度"), min_value=2000, max_value=2100)


class EntryForm(BootstrapMixin, forms.Form):
    """Projects: one per line, the name and then the criteria's values in the model's order, separated by commas or
    tabs (pasted from a spreadsheet)."""

    entries = forms.CharField(
        label=_("项目与各指标分值"), widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一个项目：项目名称，然后按指标顺序填各指标的录入值，用逗号或制表符分隔（可从表格直接粘贴）"),
    )  # fmt: skip

    def __init__(self, *args, codes: list[str], **kwargs):
        self.codes = codes
        super().__init__(*args, **kwargs)

    def clean_entries(self):
        entries = []
        for number, line in enumerate(self.cleaned_data["entries"].splitlines(), start=1):
            cells = [c.strip() for c in re.split(r"[,，\t]", line)]
            if not any(cells):
                continue
            if len(cells) != len(self.codes) + 1:
                raise ValidationError(
                    gettext("第 {n} 行有 {got} 项，应为项目名称加 {want} 个指标值。").format(
                        n=number, got=len(cells), want=len(self.codes)
                    )
                )
            values = {}
            for code, cell in zip(self.codes, cells[1:], strict=True):
                values[code] = _entered(number, code, cell)
            entries.append((cells[0], values))
        return entries


def _entered(number: int, code: str, cell: str) -> Decimal | None:
    """One typed value of a project: empty (missing), or a finite number within the engine's range."""
    if not cell:
        return None
    where = gettext("第 {n} 行指标“{code}”的值“{cell}”").format(n=number, code=code, cell=cell[:20])
    try:
        value = Decimal(cell)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(gettext("{where}不是数字；请填写数字，没有数据的留空。").format(where=where))
    if not in_range(value):
        raise ValidationError(_too_large(where))
    return value
