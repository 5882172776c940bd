"""Synthetic benchmark data (合成数据): a county, a city or the province, filled at the sizes of the architecture's
Scale section, for ``kechuang synth`` and the benchmarks in bench/.

SYNTHETIC DATA for benchmark databases, never for a real one. What it holds:

- Regions: the built-in fixture (Guangxi → Liuzhou → its county-level units → Luzhai's townships). ``county`` uses
  鹿寨县 and its townships, ``city`` the current county-level units of 柳州市, ``province`` the 14 prefecture-level
  cities under their real codes and names, each filled up to its real number of county-level units (111 in all)
  with synthetic ones (“南宁合成县01”; codes ending 51–67 under each city, which no Guangxi unit uses today),
  created through ``region_import`` like any other division, valid from 2000-01-01. Stored real units are reused.
- Organisations, spread over those units (and the townships where the tree has them): invented names, credit
  codes that pass GB 32100 (the county's code in positions 3–8; the body ``HC`` + a serial, 合成, then the
  organisation-code check character), pinyin initials, GB/T 4754 divisions, about 30% above scale, high-tech
  domains. Their address carries the marker ``MARK`` and the run's parameters: it is how a later run knows them.
- For each organisation that reports figures (enterprises and service providers), AnnualFigures for each of the
  last five complete years since it was registered, every part within its whole, nine in ten with tax assessed
  on the books (查账征收); high-tech certificates for about
  5% (numbers GR + year + 45 + serial, valid_until computed by the model's rule) and tech-SME registrations
  for about 10%.
- Patents filed over the five years, placed in the region of their first owner, always a synthetic organisation;
  a few have co-owners. Numbers are YYYY + type + serial from 9000000 + the check character. Each has its
  dated legal-status events (filed, and granted, lapsed or rejected), never later than the last day of the last
  complete year, and the stored grant date, end date, region and owner names are computed by the IP services'
  own ``derive`` and owner rules.

Everything comes from one ``random.Random(seed)``, used in a fixed order, so the same seed, scale and counts on
the same starting database give the same rows throughout a calendar year (the window is the five years before
the current one). Rows are inserted ``BATCH`` at a time with raw ``executemany`` and primary keys assigned here,
after the current maximum, so owners and events refer to their patent without a round trip; only the per-
organisation values that patents need stay in memory. The run is one transaction: one that fails leaves nothing.
Synthetic records get no audit rows (benchmark data that nobody entered); the regions and the industry
classification go through their ordinary, audited loaders.
"""

import bisect
import datetime
import itertools
import math
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from kechuang.core.exceptions import ServiceError
from kechuang.core.importkit import PLAIN_FIELDS
from kechuang.core.validators import USCC_CHARS, org_code_check_char, patent_check_char, uscc_check_char
from kechuang.ip.choices import Acquisition, PatentStatus, PatentType
from kechuang.ip.models import Patent, PatentEvent, PatentOwner
from kechuang.ip.services import derive
from kechuang.regions.choices import RegionLevel
from kechuang.regions.models import Region
from kechuang.regions.services import load_builtin_regions, region_import

from .choices import CertificateKind, FigureSource, HitechDomain, IndustryLevel, OrgKind, RecognitionLevel
from .models import AnnualFigures, Certificate, Industry, Organisation
from .reference import load_industries
from .services import pinyin_initials

__all__ = ["BATCH", "MARK", "SCALES", "Scale", "Summary", "synth_generate"]


@dataclass(frozen=True)
class Scale:
    """How much a scale generates by default, and the region whose subtree it fills."""

    orgs: int
    patents: int
    root: str


SCALES = {
    "county": Scale(orgs=1_000, patents=10_000, root="450223"),
    "city": Scale(orgs=10_000, patents=100_000, root="450200"),
    "province": Scale(orgs=100_000, patents=1_000_000, root="450000"),
}
YEARS = 5
BATCH = 10_000
ROWS_PER_STATEMENT = 100
SQLITE_CACHE_KIB = 256 * 1024
MARK = "合成数据（基准测试用）"
PROVINCE = "450000"
# Guangxi's prefecture-level cities and their number of county-level units (districts, counties, county-level
# cities, autonomous counties): 111 in all.
CITIES = (
    ("450100", "南宁市", 12), ("450200", "柳州市", 10), ("450300", "桂林市", 17), ("450400", "梧州市", 7),
    ("450500", "北海市", 4), ("450600", "防城港市", 4), ("450700", "钦州市", 4), ("450800", "贵港市", 5),
    ("450900", "玉林市", 7), ("451000", "百色市", 12), ("451100", "贺州市", 5), ("451200", "河池市", 11),
    ("451300", "来宾市", 6), ("451400", "崇左市", 7),
)  # fmt: skip
SYNTHETIC_COUNTY_FROM = 51
SYNTHETIC_VALID_FROM = "2000-01-01"
TOWNSHIP_SHARE = 0.7  # of a county's organisations, where it has townships

KINDS = ((OrgKind.ENTERPRISE, 970), (OrgKind.PROVIDER, 20), (OrgKind.INSTITUTE, 8), (OrgKind.UNIVERSITY, 2))
REPORTING_KINDS = (OrgKind.ENTERPRISE, OrgKind.PROVIDER)
ABOVE_SCALE_SHARE = 0.31  # of enterprises: about 30% of all organisations
HTE_SHARE = 0.052
TSME_SHARE = 0.105
OTHER_HITECH_SHARE = 0.10
# Sections of GB/T 4754 organisations are drawn from (weights), with words for their names.
SECTIONS = {
    "A": (6, ("农业", "生态农业", "林业", "茶业", "果业", "养殖")),
    "B": (2, ("矿业", "矿产")),
    "C": (45, ("机械", "汽车零部件", "食品", "化工", "建材", "电子", "制药", "新材料", "家具", "纺织", "造纸",
               "五金", "电气", "塑胶", "糖业")),
    "D": (3, ("能源", "电力", "新能源")),
    "E": (5, ("建设", "建筑工程", "路桥")),
    "F": (10, ("商贸", "贸易", "供应链")),
    "G": (4, ("物流", "运输")),
    "H": (2, ("餐饮", "酒店管理")),
    "I": (8, ("信息技术", "软件", "网络科技", "数据科技")),
    "J": (0.5, ("投资",)),
    "K": (1, ("置业",)),
    "L": (4, ("企业管理", "咨询")),
    "M": (8, ("科技", "检测", "技术服务", "工程设计")),
    "N": (1.5, ("环保", "水务", "环境工程")),
    "O": (1, ("家政服务",)),
    "P": (0.5, ("教育科技",)),
    "Q": (0.5, ("医疗", "健康科技")),
    "R": (1, ("文化传媒", "体育")),
}  # fmt: skip
INDUSTRIAL_SECTIONS = ("B", "C", "D")
BRAND_CHARS = "宏达华兴盛鑫源恒瑞丰泰福金创新远通联正桂壮锦嘉诚益旺信德安康润飞腾凯祥和美佳昌荣明"
SUFFIXES = {
    OrgKind.ENTERPRISE: (("有限公司", 80), ("有限责任公司", 12), ("股份有限公司", 8)),
    OrgKind.PROVIDER: (("科技服务有限公司", 60), ("技术转移中心", 25), ("生产力促进中心", 15)),
    OrgKind.INSTITUTE: (("研究所", 70), ("研究院", 30)),
    OrgKind.UNIVERSITY: (("职业技术学院", 100),),
}
# Share of applications by filing year (later years more) and by type; days from filing to grant or refusal.
YEAR_WEIGHTS = (16, 18, 20, 22, 24)
TYPES = ((PatentType.INVENTION, "1", 30), (PatentType.UTILITY, "2", 50), (PatentType.DESIGN, "3", 20))
# (share granted, grant lag, share refused, refusal lag, share of grants that lapse later)
FATES = {
    PatentType.INVENTION: (0.55, (540, 1400), 0.20, (300, 1200), 0.10),
    PatentType.UTILITY: (0.88, (120, 420), 0.05, (90, 360), 0.25),
    PatentType.DESIGN: (0.90, (90, 300), 0.04, (60, 300), 0.25),
}
PATENT_SERIAL_FROM = 9_000_000
TOPICS = (
    "汽车制动盘", "转向节", "座椅滑轨", "减震器支架", "散热器芯体", "纳米碳酸钙", "水性环保涂料", "缓释复合肥",
    "石墨烯导热膜", "保温砂浆", "陶瓷釉料", "竹木复合地板", "木材干燥窑", "甘蔗压榨机", "饲料颗粒机", "米粉烘干机",
    "自动缫丝机", "蔗渣纸浆", "液压油缸", "数控夹具", "冲压模具", "电机定子", "锂电池极片", "温湿度传感器",
    "智能网关", "中药提取物", "颗粒剂", "余热发电装置", "净水过滤器", "注塑件", "数据采集终端", "智能电表",
    "光伏支架", "茶叶揉捻机", "果蔬清洗机", "污水处理设备", "桥梁支座", "混凝土搅拌站", "物流分拣装置",
    "包装盒", "储物柜", "照明灯具", "电动工具", "农用无人机", "检测仪器", "输送带", "螺杆泵", "钢结构连接件",
)  # fmt: skip
TITLE_ENDINGS = {
    PatentType.INVENTION: ("", "及其制备方法", "的控制方法", "及其应用", "的加工工艺", "系统"),
    PatentType.UTILITY: ("", "结构", "装置", "的固定装置", "的防护结构"),
    PatentType.DESIGN: ("", "（一）", "（二）", "（A型）"),
}
SURNAMES = "李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁韦蒙覃莫廖蓝潘谢唐韩冯邓彭萧田董袁蒋蔡余杜叶程苏魏吕丁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志海波文斌丹宁"
CO_OWNER_NAMES = ("合成理工大学", "合成科技大学", "合成农业大学", "合成医科大学", "合成工业技术研究院")
CO_OWNERS = ((1, 915), (2, 70), (3, 15))  # number of owners, per mille


@dataclass
class Summary:
    """What a run wrote (rows per table, by verbose name), or that it found its data already there."""

    scale: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    unchanged: bool = False


@dataclass(frozen=True)
class Place:
    """A county-level unit organisations are registered in, with its townships and the place word of names."""

    county: Region
    townships: tuple[Region, ...]
    word: str


@dataclass(slots=True)
class _Owner:
    """What patents need to know of a synthetic organisation, kept for the whole run (not its other fields)."""

    id: int
    name: str
    region_id: int
    registered: datetime.date


Progress = Callable[[str, int, int], None]


def fingerprint(scale: str, seed: int, orgs: int, patents: int) -> str:
    """The address of every synthetic organisation of one run: the marker and the parameters."""
    return f"{MARK}：{scale}，种子 {seed}，单位 {orgs}，专利 {patents}"


def synth_generate(
    *,
    scale: str,
    seed: int,
    orgs: int | None = None,
    patents: int | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """Fill the database with one scale's synthetic data; a second run with the same parameters changes nothing.

    Refuses (ServiceError) a database holding organisations that are not synthetic, unless ``force``, and one that
    holds synthetic data of other parameters."""
    started = time.monotonic()
    plan = SCALES[scale]
    orgs = plan.orgs if orgs is None else orgs
    patents = plan.patents if patents is None else patents
    if orgs < 1 or patents < 0:
        raise ServiceError(gettext("单位数至少为 1，专利数不能为负数"))
    summary = Summary(scale=scale, seed=seed)
    mark = fingerprint(scale, seed, orgs, patents)
    if _check_database(mark, force=force):
        summary.unchanged = True
        return summary
    today = timezone.localdate()
    years = range(today.year - YEARS, today.year)
    with transaction.atomic():
        writer = _Writer(progress)
        rng = random.Random(seed)
        regions_before = Region.objects.count()
        places = _places(scale, rng)
        summary.counts[str(Region._meta.verbose_name_plural)] = Region.objects.count() - regions_before
        owners = _organisations(writer, rng, places, orgs, years, mark)
        _patents(writer, rng, owners, patents, years)
        writer.finish()
    summary.counts.update(writer.counts)
    summary.seconds = time.monotonic() - started
    return summary


def _check_database(mark: str, *, force: bool) -> bool:
    """True if this run's data is already there; raises if the database is not one to write synthetic data to."""
    real = Organisation.objects.exclude(address__startswith=MARK).count()
    if real and not force:
        raise ServiceError(
            gettext(
                "数据库中已有 {count} 家非合成单位。合成数据只用于基准测试库，请换用一个新的空数据库"
                "（确需写入时加 --force）"
            ).format(count=real)
        )
    synthetic = Organisation.objects.filter(address__startswith=MARK).order_by()
    marks = set(synthetic.values_list("address", flat=True).distinct())
    if marks == {mark}:
        return True
    if marks:
        raise ServiceError(
            gettext("数据库中已有另一组合成数据（{found}），请换用一个新的空数据库").format(
                found="；".join(sorted(marks))
            )
        )
    return False


# --- regions ---------------------------------------------------------------------------------------------------


def _places(scale: str, rng: random.Random) -> "_Weighted":
    """The county-level units of the scale (created where the province needs them), each with a random weight."""
    load_builtin_regions()
    if scale == "province":
        _province_regions()
    root = Region.objects.get(code=SCALES[scale].root)
    current = Region.objects.selectable().subtree(root).select_related("parent")
    counties = [r for r in current if r.level == RegionLevel.COUNTY]
    townships: dict[int, list[Region]] = {}
    for region in current:
        if region.level == RegionLevel.TOWNSHIP:
            townships.setdefault(region.parent_id, []).append(region)
    places = []
    for county in sorted(counties, key=lambda r: r.code):
        place = Place(county, tuple(sorted(townships.get(county.pk, []), key=lambda r: r.code)), _place_word(county))
        # Some counties hold far more organisations than others.
        places.append((place, rng.lognormvariate(0, 0.6)))
    return _Weighted(places)


def _province_regions() -> None:
    """The 14 cities, and synthetic county-level units up to each city's real number (through the region import)."""
    have = Counter(Region.objects.selectable().filter(level=RegionLevel.COUNTY).values_list("parent__code", flat=True))
    taken = set(Region.objects.values_list("code", flat=True))
    lines = ["code,name,level,parent_code,valid_from,valid_to"]
    for code, name, units in CITIES:
        lines.append(f"{code},{name},{RegionLevel.PREFECTURE},{PROVINCE},,")
        number = SYNTHETIC_COUNTY_FROM
        for _ in range(units - have[code]):
            while f"{code[:4]}{number:02d}" in taken:
                number += 1
            lines.append(
                f"{code[:4]}{number:02d},{name[:-1]}合成县{number - SYNTHETIC_COUNTY_FROM + 1:02d},"
                f"{RegionLevel.COUNTY},{code},{SYNTHETIC_VALID_FROM},"
            )
            number += 1
    region_import(actor=None, raw="\n".join(lines).encode(), filename="synth-regions.csv")


def _place_word(county: Region) -> str:
    """The place word an organisation's name starts with: the county (鹿寨), or the city for its districts."""
    if county.name.endswith("区") or "合成" in county.name:
        return county.parent.name[:-1]
    return county.name[:2] if "自治县" in county.name else county.name[:-1]


# --- the raw writer -------------------------------------------------------------------------------------------


class _Table:
    """Rows of one table, inserted ``BATCH`` at a time with raw ``executemany`` (as ``importkit.insert_rows``, with
    the primary keys assigned here, the next after the current maximum, and several rows a statement)."""

    def __init__(self, model: type[models.Model], now: datetime.datetime):
        db = transaction.get_connection()  # the connection itself: the proxy looks it up on every use
        fields = model._meta.concrete_fields
        stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
        self.pk_at = fields.index(model._meta.pk)
        self.position = {f.attname: i for i, f in enumerate(fields)}
        self.blank = [f.get_db_prep_save(now if f.attname in stamped else f.get_default(), db) for f in fields]
        # The drivers take numbers, text and booleans as they are; dates and JSON go through the database's adapter.
        self.convert = {f.attname: _adapter(f, db) for f in fields if not isinstance(f, PLAIN_FIELDS)}
        quote = db.ops.quote_name
        self.head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
        self.one = f"({', '.join(['%s'] * len(fields))})"
        # PostgreSQL parses every statement of an executemany anew: a hundred rows a statement halve the run there.
        self.per_statement = min(ROWS_PER_STATEMENT, (db.features.max_query_params or 65535) // len(fields))
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.rows: list[list] = []
        self.count = 0

    def add(self, values: dict) -> int:
        """Queue a row (attname → value; the rest take their defaults, timestamps the run's time); its id."""
        pk, self.next_id = self.next_id, self.next_id + 1
        row = self.blank.copy()
        row[self.pk_at] = pk
        for name, value in values.items():
            adapt = self.convert.get(name)
            row[self.position[name]] = value if adapt is None or value is None else adapt(value)
        self.rows.append(row)
        return pk

    def flush(self) -> None:
        rows, per = self.rows, self.per_statement
        if not rows:
            return
        whole = len(rows) - len(rows) % per
        with connection.cursor() as cursor:
            if whole:
                params = [list(itertools.chain.from_iterable(rows[i : i + per])) for i in range(0, whole, per)]
                cursor.executemany(self._sql(per), params)
            if whole < len(rows):
                cursor.execute(self._sql(len(rows) - whole), list(itertools.chain.from_iterable(rows[whole:])))
        self.count += len(rows)
        self.rows = []

    def _sql(self, rows: int) -> str:
        return self.head + ", ".join([self.one] * rows)


def _adapter(model_field: models.Field, db) -> Callable:
    """What turns a Python value of the field into a query parameter (for a value that is not None)."""
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        return db.ops.adapt_datefield_value
    if isinstance(model_field, models.JSONField):
        return lambda value: db.ops.adapt_json_value(value, model_field.encoder)
    return lambda value: model_field.get_db_prep_save(value, db)


class _Writer:
    """The tables a run writes, flushed together so that a batch never waits on another table."""

    MODELS = (Organisation, AnnualFigures, Certificate, Patent, PatentOwner, PatentEvent)

    def __init__(self, progress: Progress | None):
        now = timezone.now()
        if connection.vendor == "sqlite":
            # With the default 2 MB page cache every index insert into a large table reads its pages again
            # (province scale: 205 s instead of 168 s).
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        self.tables = {model: _Table(model, now) for model in self.MODELS}
        self.progress = progress or (lambda label, done, total: None)

    def add(self, model: type[models.Model], values: dict) -> int:
        return self.tables[model].add(values)

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def finish(self) -> None:
        self.flush()
        # PostgreSQL's sequences do not see explicit ids; SQLite's autoincrement does (this returns nothing there).
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.MODELS))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    @property
    def counts(self) -> dict[str, int]:
        return {str(model._meta.verbose_name_plural): table.count for model, table in self.tables.items()}


# --- organisations, their figures and certificates -------------------------------------------------------------


class _Serials:
    """Fresh serial numbers for a kind of identifier, skipping those the database already holds (``--force``)."""

    def __init__(self, taken: set[str], make: Callable[[int], str], start: int = 1):
        self.taken, self.make, self.next = taken, make, start

    def take(self) -> str:
        while (value := self.make(self.next)) in self.taken:
            self.next += 1
        self.next += 1
        return value


class _Weighted:
    """Values drawn in proportion to their weights (``random.choices`` without recomputing the sums each time)."""

    def __init__(self, pairs):
        self.values, weights = zip(*pairs, strict=True)
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random):
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1], 0, len(self.values) - 1)]


def _uscc(prefix: str, division: str, serial: int) -> str:
    """Credit code: registering authority and kind, the county, body HC + serial in base 31, the two checks."""
    digits = ""
    for _ in range(6):
        serial, digit = divmod(serial, 31)
        digits = USCC_CHARS[digit] + digits
    body = f"HC{digits}"
    first17 = f"{prefix}{division}{body}{org_code_check_char(body)}"
    return first17 + uscc_check_char(first17)


class _Names:
    """Organisation names from parts, with pinyin initials cached per part (names are too many to look up whole:
    the parts are chosen so that the initials of the whole are those of its parts)."""

    def __init__(self):
        self.cache: dict[str, str] = {}

    def initials(self, *parts: str) -> str:
        found = []
        for part in parts:
            if part not in self.cache:
                self.cache[part] = pinyin_initials(part)
            found.append(self.cache[part])
        return "".join(found)[:128]


def _day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _organisations(
    writer: _Writer, rng: random.Random, places: _Weighted, total: int, years: range, mark: str
) -> list[tuple[_Owner, float]]:
    """The organisations with their figures and certificates; returns what patents need of each, and its weight."""
    load_industries()
    divisions = list(
        Industry.objects.filter(level=IndustryLevel.DIVISION, section__code__in=SECTIONS)
        .order_by("code")
        .values_list("pk", "section__code")
    )
    per_section = Counter(section for _, section in divisions)
    industries = _Weighted((d, SECTIONS[d[1]][0] / per_section[d[1]]) for d in divisions)
    kinds, names = _Weighted(KINDS), _Names()
    suffixes = {kind: _Weighted(pairs) for kind, pairs in SUFFIXES.items()}
    taken = set(Organisation.objects.values_list("uscc", flat=True))
    numbers = set(Certificate.objects.exclude(number="").values_list("number", flat=True))
    hte_numbers: dict[int, _Serials] = {}
    tsme_numbers: dict[int, _Serials] = {}
    owners, serial = [], 0
    label = str(Organisation._meta.verbose_name_plural)
    for done in range(total):
        place = places.draw(rng)
        kind = kinds.draw(rng)
        division_pk, section = industries.draw(rng)
        prefix = "12" if kind in (OrgKind.INSTITUTE, OrgKind.UNIVERSITY) else "91"
        serial += 1
        while (uscc := _uscc(prefix, place.county.code, serial)) in taken:
            serial += 1
        region = place.county
        if place.townships and rng.random() < TOWNSHIP_SHARE:
            region = rng.choice(place.townships)
        name, initials = _name(rng, names, kind, suffixes[kind].draw(rng), place.word, section)
        enterprise = kind == OrgKind.ENTERPRISE
        above_scale = enterprise and rng.random() < ABOVE_SCALE_SHARE
        is_hte = enterprise and rng.random() < HTE_SHARE
        hitech = rng.randint(1, len(HitechDomain)) if is_hte or rng.random() < OTHER_HITECH_SHARE else None
        if is_hte or rng.random() < 0.85:
            registered = _day(rng, datetime.date(1992, 1, 1), datetime.date(years[0] - 3, 12, 31))
        else:
            registered = _day(rng, datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31))
        pk = writer.add(
            Organisation,
            {
                "kind": kind, "uscc": uscc, "name": name, "name_initials": initials, "region_id": region.pk,
                "park": f"{place.word}工业园区" if section in INDUSTRIAL_SECTIONS and rng.random() < 0.3 else "",
                "address": mark, "registration_date": registered, "industry_id": division_pk,
                "hitech_domain": hitech, "above_scale": above_scale,
            },
        )  # fmt: skip
        if kind in REPORTING_KINDS:
            _figures(writer, rng, pk, years, registered, above_scale, is_hte, hitech, section)
        if is_hte:
            _hte_certificates(writer, rng, pk, years, registered, hte_numbers, numbers)
        if enterprise and rng.random() < TSME_SHARE:
            _tsme_registrations(writer, rng, pk, years, registered, place.county.code, tsme_numbers, numbers)
        owners.append((_Owner(pk, name, region.pk, registered), _patent_weight(kind, above_scale, is_hte, hitech)))
        if (done + 1) % BATCH == 0:
            writer.flush()
            writer.progress(label, done + 1, total)
    writer.flush()
    writer.progress(label, total, total)
    return owners


def _name(rng: random.Random, names: _Names, kind: str, suffix: str, place: str, section: str) -> tuple[str, str]:
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    trade = rng.choice(SECTIONS[section][1])
    if kind == OrgKind.INSTITUTE:
        parts = (place, trade, suffix)
    elif kind in (OrgKind.PROVIDER, OrgKind.UNIVERSITY):
        parts = (place, brand, suffix)
    else:
        parts = (place, brand, trade, suffix)
    return "".join(parts), names.initials(*parts)


def _patent_weight(kind: str, above_scale: bool, is_hte: bool, hitech: int | None) -> float:
    """How many patents an organisation files, relative to a small enterprise outside the high-tech domains."""
    if kind == OrgKind.UNIVERSITY:
        return 40.0
    if kind == OrgKind.INSTITUTE:
        return 10.0
    if kind == OrgKind.PROVIDER:
        return 0.5
    return (4.0 if above_scale else 1.0) * (6.0 if is_hte else 1.0) * (2.0 if hitech else 1.0)


def _cents(amount: float) -> int:
    return max(0, round(amount * 100))


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _figures(
    writer: _Writer,
    rng: random.Random,
    pk: int,
    years: range,
    registered: datetime.date,
    above_scale: bool,
    is_hte: bool,
    hitech: int | None,
    section: str,
) -> None:
    """One row per year since registration: revenue growing by a random rate, the rest in plausible ratios."""
    # 规模以上: a main-business revenue of at least 20 million 元 a year.
    revenue = math.exp(rng.uniform(math.log(2.2e7), math.log(3e9))) if above_scale else rng.uniform(3e5, 1.8e7)
    staff = max(3.0, revenue / rng.uniform(3e5, 1.5e6))
    st_share = rng.uniform(0.12, 0.4) if is_hte else rng.uniform(0.05, 0.25) if hitech else rng.uniform(0.0, 0.12)
    rd_share = rng.uniform(0.03, 0.08) if is_hte else rng.uniform(0.01, 0.05) if hitech else rng.uniform(0.0, 0.02)
    hitech_share = rng.uniform(0.6, 0.95) if is_hte else rng.uniform(0.1, 0.6) if hitech else None
    exporter = rng.random() < 0.15
    industrial = section in INDUSTRIAL_SECTIONS
    for year in years:
        if year < registered.year:
            continue
        sales = _cents(revenue)
        income = _cents(revenue * rng.uniform(1.0, 1.08))
        rd = min(income, int(income * rd_share * rng.uniform(0.8, 1.2)))
        assets = _cents(revenue * rng.uniform(0.6, 2.5))
        staff_total = max(1, round(staff))
        writer.add(
            AnnualFigures,
            {
                "organisation_id": pk, "year": year,
                "staff_total": staff_total, "st_staff": int(staff_total * st_share),
                "sales_revenue": _money(sales), "total_income": _money(income),
                "hitech_revenue": _money(int(income * hitech_share)) if hitech_share else None,
                "rd_expense": _money(rd), "rd_domestic": _money(int(rd * rng.uniform(0.85, 1))),
                "total_costs": _money(_cents(revenue * rng.uniform(0.82, 1.02))), "total_assets": _money(assets),
                "net_assets": _money(round(assets * rng.uniform(-0.1, 0.6))),
                "industrial_output": _money(_cents(revenue * rng.uniform(0.95, 1.1))) if industrial else None,
                "tax_paid": _money(_cents(revenue * rng.uniform(0.01, 0.06))),
                "exports": _money(_cents(revenue * rng.uniform(0.05, 0.5)) if exporter else 0),
                "source": FigureSource.IMPORT, "basis": "统计年报口径",
                # Nine in ten on the books, from the key rather than the generator: the other rows stay as they were.
                "audit_taxation": pk % 10 != 0,
            },
        )  # fmt: skip
        growth = max(-0.3, min(0.6, rng.gauss(0.08, 0.12)))
        revenue *= 1 + growth
        staff *= 1 + growth / 2


def _hte_certificates(writer, rng, pk, years, registered, numbers: dict, taken: set) -> None:
    """A high-tech certificate (three years) issued in October–December, renewed once if the window allows."""
    first = rng.randint(years[0] - 2, years[-1])
    for year in (first, first + 3):
        if year > years[-1] or year <= registered.year:
            continue
        serials = numbers.setdefault(year, _Serials(taken, lambda n, y=year: f"GR{y}45{n:06d}"))
        certificate = Certificate(kind=CertificateKind.HTE, issue_date=_day(rng, *_months(year, 10, 12)))
        writer.add(
            Certificate,
            {
                "organisation_id": pk, "kind": CertificateKind.HTE, "level": RecognitionLevel.NATIONAL,
                "number": serials.take(), "year": year, "issue_date": certificate.issue_date,
                "valid_until": certificate.compute_valid_until(),
            },
        )  # fmt: skip


def _tsme_registrations(writer, rng, pk, years, registered, county: str, numbers: dict, taken: set) -> None:
    """Tech-SME registrations (one a year, valid for that year) for one to three consecutive years."""
    first = rng.randint(years[0], years[-1])
    for year in range(first, min(first + rng.randint(1, 3), years[-1] + 1)):
        if year <= registered.year:
            continue
        serials = numbers.setdefault(year, _Serials(taken, lambda n, y=year: f"{y}{county}{n:06d}"))
        writer.add(
            Certificate,
            {
                "organisation_id": pk, "kind": CertificateKind.TSME, "level": RecognitionLevel.NATIONAL,
                "number": serials.take(), "year": year, "issue_date": _day(rng, *_months(year, 3, 8)),
                "valid_until": None,
            },
        )  # fmt: skip


def _months(year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, first, 1), datetime.date(year, last, 28)


# --- patents ---------------------------------------------------------------------------------------------------


def _patents(writer: _Writer, rng: random.Random, owners: list[tuple[_Owner, float]], total: int, years: range) -> None:
    """Patents of the synthetic organisations, each with its owners and its legal-status events."""
    if not total:
        return
    label = str(Patent._meta.verbose_name_plural)
    first_owners = _Weighted(owners)
    orgs = [owner for owner, _ in owners]
    co_owner_counts = _Weighted(CO_OWNERS)
    types = _Weighted(((patent_type, digit), weight) for patent_type, digit, weight in TYPES)
    filing_years = _Weighted(zip(years, YEAR_WEIGHTS, strict=True))
    taken = set(Patent.objects.values_list("number", flat=True))
    serials: dict[tuple[int, str], _Serials] = {}
    start, end = datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)
    probe = Patent()  # one instance for derive(), which reads only the filing date and the type
    for done in range(total):
        first = first_owners.draw(rng)
        patent_type, digit = types.draw(rng)
        year = filing_years.draw(rng)
        filed = _day(rng, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        if filed < first.registered:
            filed = _day(rng, max(first.registered, start), end)
        key = (filed.year, digit)
        if key not in serials:
            serials[key] = _Serials(taken, lambda n, y=filed.year, d=digit: _patent_number(y, d, n), PATENT_SERIAL_FROM)
        owners = _co_owners(rng, first, orgs, co_owner_counts.draw(rng))
        events = _events(rng, patent_type, filed, end)
        probe.application_date, probe.patent_type = filed, patent_type
        patent_pk = writer.add(
            Patent,
            {
                "number": serials[key].take(), "patent_type": patent_type, "title": _title(rng, patent_type),
                "application_date": filed,
                "acquisition": Acquisition.ASSIGNMENT if rng.random() < 0.04 else Acquisition.OWN_RD,
                "inventors": [_person(rng) for _ in range(rng.randint(1, 5))],
                "owner_names": [name for name, _, _ in owners], "region_id": first.region_id,
                **derive(probe, events),
            },
        )  # fmt: skip
        for position, (name, org_pk, region_pk) in enumerate(owners, 1):
            writer.add(
                PatentOwner,
                {"patent_id": patent_pk, "position": position, "organisation_id": org_pk, "name": name,
                 "region_id": region_pk},
            )  # fmt: skip
        for status, day in events:
            writer.add(PatentEvent, {"patent_id": patent_pk, "status": status, "date": day, "note": ""})
        if (done + 1) % BATCH == 0:
            writer.flush()
            writer.progress(label, done + 1, total)
    writer.flush()
    writer.progress(label, total, total)


def _patent_number(year: int, digit: str, serial: int) -> str:
    body = f"{year}{digit}{serial:07d}"
    return body + patent_check_char(body)


def _co_owners(
    rng: random.Random, first: _Owner, orgs: list[_Owner], wanted: int
) -> list[tuple[str, int | None, int | None]]:
    """(name, organisation id, region id) of the owners in order; only the first one's region places the patent,
    so a named co-owner carries none."""
    owners = [(first.name, first.id, first.region_id)]
    names = {first.name}
    while len(owners) < wanted:
        draw = rng.random()
        if draw < 0.6 and len(orgs) > 1:
            other = rng.choice(orgs)
            if other.id in {pk for _, pk, _ in owners}:
                continue
            candidate = (other.name, other.id, other.region_id)
        elif draw < 0.85:
            candidate = (rng.choice(CO_OWNER_NAMES), None, None)
        else:
            candidate = (_person(rng), None, None)
        # Two owners of the same name would be one owner to the services (and to a reader).
        if candidate[0] in names:
            continue
        names.add(candidate[0])
        owners.append(candidate)
    return owners


def _events(rng: random.Random, patent_type: str, filed: datetime.date, end: datetime.date) -> list[tuple]:
    """Filed, then granted (and perhaps lapsed), or refused, or still pending on ``end``; in date order."""
    granted_share, grant_lag, refused_share, refusal_lag, lapse_share = FATES[patent_type]
    events = [(PatentStatus.PENDING, filed)]
    draw = rng.random()
    if draw < granted_share:
        granted = filed + datetime.timedelta(days=rng.randint(*grant_lag))
        if granted <= end:
            events.append((PatentStatus.GRANTED, granted))
            if rng.random() < lapse_share:
                lapsed = granted + datetime.timedelta(days=rng.randint(180, 1500))
                if lapsed <= end:
                    status = PatentStatus.INVALIDATED if rng.random() < 0.03 else PatentStatus.LAPSED
                    events.append((status, lapsed))
    elif draw < granted_share + refused_share:
        refused = filed + datetime.timedelta(days=rng.randint(*refusal_lag))
        if refused <= end:
            events.append((PatentStatus.REJECTED, refused))
    return events


def _title(rng: random.Random, patent_type: str) -> str:
    topic, ending = rng.choice(TOPICS), rng.choice(TITLE_ENDINGS[patent_type])
    return f"{topic}{ending}" if patent_type == PatentType.DESIGN else f"一种{topic}{ending}"


def _person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given
