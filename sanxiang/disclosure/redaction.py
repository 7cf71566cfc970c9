"""脱敏 (redaction) of texts to be published, by deterministic Chinese recognizers.

What is masked (行政处罚法 Art.50, 政府信息公开条例 Art.15 and 37, 个人信息保护法 Art.28; domain.md §8):
公民身份号码 (GB 11643, with the check digit; also 15-digit old numbers and partly masked ones),
mobile and fixed telephone numbers, bank account numbers, e-mail addresses, licence plates, addresses
below the township, and the names of natural persons — first those the caller knows (the case's parties,
the document's fields), then those found by pattern (before 身份证号码, after 当事人/证人/员工 …, and
partly masked names such as 张×明).

What stays: organisation names, 统一社会信用代码 (recognised by its GB 32100 check character, so it is never
taken for a bank account), the agency, its officers and their certificate numbers, legal provisions, amounts,
dates and document numbers.

Everything is a pure function of the text, the :class:`Context` and the :class:`Policy`:
:func:`redact` returns the redacted text and its :class:`Span` list; :func:`residual` scans a text again with
every recognizer and returns what would still change — after :func:`redact` that is empty, and a publication
with a residual hit is not published. Re-redacting redacted text changes nothing: each replacement is a fixed
point of the recognizers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from sanxiang.core.identifiers import credit_code_check_char, resident_id_check_digit

__all__ = [
    "Context",
    "Kind",
    "NameStyle",
    "Policy",
    "Redaction",
    "Span",
    "find_spans",
    "mask_name",
    "redact",
    "residual",
]


class Kind(StrEnum):
    RESIDENT_ID = "resident_id"
    PHONE = "phone"
    BANK_ACCOUNT = "bank_account"
    EMAIL = "email"
    PLATE = "plate"
    ADDRESS = "address"
    NAME = "name"
    OTHER = "other"


KIND_LABELS = {
    Kind.RESIDENT_ID: _("公民身份号码"),
    Kind.PHONE: _("电话号码"),
    Kind.BANK_ACCOUNT: _("银行账号"),
    Kind.EMAIL: _("电子邮箱"),
    Kind.PLATE: _("机动车号牌"),
    Kind.ADDRESS: _("住址"),
    Kind.NAME: _("自然人姓名"),
    Kind.OTHER: _("其他个人信息"),
}


class NameStyle(StrEnum):
    """How a natural person's name is published: 张某某, 张某, or in full."""

    SURNAME_MOUMOU = "surname_moumou"
    SURNAME_MOU = "surname_mou"
    FULL = "full"


@dataclass(frozen=True)
class Policy:
    """How each kind of item is masked. The defaults follow common practice (domain.md §8, unverified).

    ``punished_name`` is the style for the punished natural person(s) named in :attr:`Context.punished`:
    the 市场监管 rule publishes that name in full and masks everyone else's; the default masks it too.
    """

    name: NameStyle = NameStyle.SURNAME_MOUMOU
    punished_name: NameStyle = NameStyle.SURNAME_MOUMOU
    id_head: int = 6
    id_tail: int = 4


@dataclass(frozen=True)
class Context:
    """What the caller knows about the text: names to mask or keep, strings to keep, phrases to mask.

    ``persons``: natural persons named in the record (parties, representatives, witnesses, employees).
    ``punished``: the punished natural persons (masked by :attr:`Policy.punished_name`).
    ``keep``: strings published as they are (the agency, its officers, organisations, their addresses, the
    agency's own telephone and collection account); an item overlapping one of them stays.
    ``mask``: further (kind, text) pairs a discloser marked; every occurrence is masked.
    """

    persons: tuple[str, ...] = ()
    punished: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    mask: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Span:
    """One recognised item: its kind, its place in the text, the text found and what replaces it."""

    kind: Kind
    start: int
    end: int
    original: str
    replacement: str
    rule: str = ""

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": str(self.kind),
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "replacement": self.replacement,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class Redaction:
    """The redacted text, the spans of the source that were replaced (positions in the source)."""

    source: str
    text: str
    spans: tuple[Span, ...] = field(default_factory=tuple)


# ----------------------------------------------------------------------------------------------------
# Character classes and word lists

_HAN = "\u4e00-\u9fff"
_MASK_CHARS = "*＊×Ｘ○〇"
_ALNUM = "0-9A-Za-z０-９"

# Common single-character surnames (百家姓 and the 2020 census's most frequent), then compound ones.
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常"
    "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚"
    "岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑"
    "迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练"
    "廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
_SURNAMES_2 = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "令狐",
    "夏侯",
    "轩辕",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "百里",
)
_SURNAME = "(?:" + "|".join(_SURNAMES_2) + "|[" + _SURNAMES_1 + "])"

# Words that introduce a natural person's name (当事人：张三, 证人李四, 员工王五 …).
_ROLE_WORDS = (
    "当事人",
    "法定代表人",
    "主要负责人",
    "实际控制人",
    "负责人",
    "经营者",
    "投资人",
    "股东",
    "证人",
    "见证人",
    "员工",
    "职工",
    "工人",
    "从业人员",
    "人员",
    "作业人员",
    "操作人员",
    "驾驶员",
    "司机",
    "安全员",
    "安全管理人员",
    "电工",
    "焊工",
    "操作工",
    "班组长",
    "车间主任",
    "厂长",
    "经理",
    "监护人",
    "委托代理人",
    "代理人",
    "联系人",
    "被询问人",
    "被检查人",
    "陪同人员",
    "现场负责人",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "父亲",
    "母亲",
    "姓名",
    "受害人",
    "死者",
    "伤者",
    *("之子", "之女", "之妻", "之夫", "之父", "之母", "其子", "其女", "其妻", "其夫"),
    *("亲属", "家属", "同事", "邻居"),
)
_ROLE = "(?:" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + ")"

# After a 2-character name these begin the next word, so the name is not 3 characters long.
_AFTER_NAME = set(
    "在于等的称说是为系和与及未无已因对将被到从向把没也都作驾操违擅私男女并所经同以均即持带负担任自出进现曾"
    "不仍又亦便就要会能应可年岁（(，,。；;：:、 \t\n）)签拒先后当即由让给叫请"
)
_DELIMITERS = "，,。；;：:、（）()【】[]「」“”\"'《》<>\n\r\t 　"

_ID_CONTEXT = re.compile(r"(身份证|身份号码|证件号码|证号)[^，。；\n]{0,6}$")
_BANK_CONTEXT = re.compile(r"(账号|帐号|账户|帐户|卡号|银行卡|开户行|开户银行|银行)[^。；\n]{0,12}$")
_CREDIT_CONTEXT = re.compile(r"(信用代码|社会信用|组织机构代码|注册号)[^，。；\n]{0,6}$")
_PHONE_CONTEXT = re.compile(r"(电话|手机|联系方式|联系电话|座机|传真|tel|Tel|TEL)[^。；\n]{0,6}$")

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"

# ----------------------------------------------------------------------------------------------------
# Recognizers. Each yields candidate spans; overlaps are settled in find_spans.


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _valid_credit_code(code: str) -> bool:
    code = code.upper()
    try:
        return credit_code_check_char(code[:17]) == code[17]
    except ValueError:
        return False


def _mask_id(value: str, policy: Policy) -> str:
    chars = value.upper()
    head, tail = policy.id_head, policy.id_tail
    if len(chars) <= head + tail:
        return "*" * len(chars)
    return chars[:head] + "*" * (len(chars) - head - tail) + chars[-tail:]


def _before(text: str, start: int, width: int = 16) -> str:
    return text[max(0, start - width) : start]


_RE_ID18 = re.compile(rf"(?<![{_ALNUM}])(\d{{6}}[ 　]?\d{{8}}[ 　]?\d{{3}}[\dXx])(?![{_ALNUM}])")
_RE_ID15 = re.compile(rf"(?<![{_ALNUM}])(\d{{15}})(?![{_ALNUM}])")
_RE_ID_MASKED = re.compile(rf"(?<![{_ALNUM}*＊])([\d*＊]{{17}}[\dXx*＊])(?![{_ALNUM}*＊])")


def _resident_ids(text: str, policy: Policy) -> Iterator[Span]:
    for match in _RE_ID18.finditer(text):
        value = re.sub(r"[ 　]", "", match.group(1)).upper()
        valid = resident_id_check_digit(value[:17]) == value[17]
        dated = _is_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        near = bool(_ID_CONTEXT.search(_before(text, match.start())))
        if (valid and dated and not _CREDIT_CONTEXT.search(_before(text, match.start()))) or near:
            yield Span(Kind.RESIDENT_ID, *match.span(1), match.group(1), _mask_id(value, policy), "id18")
    for match in _RE_ID15.finditer(text):
        value = match.group(1)
        before = _before(text, match.start())
        dated = _is_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
        plausible = dated and value[0] in "12345678" and not _BANK_CONTEXT.search(before)
        if plausible or _ID_CONTEXT.search(before):
            yield Span(Kind.RESIDENT_ID, *match.span(1), value, _mask_id(value, policy), "id15")
    for match in _RE_ID_MASKED.finditer(text):
        value = match.group(1)
        masked = sum(1 for c in value if c in "*＊")
        if masked == 0 or masked == len(value):
            continue  # unmasked numbers are above; a row of stars says nothing
        yield Span(Kind.RESIDENT_ID, *match.span(1), value, _mask_id(value, policy), "id_masked")


_RE_CREDIT = re.compile(rf"(?<![{_ALNUM}])([0-9A-HJ-NPQRTUWXY]{{18}})(?![{_ALNUM}])")


def _credit_codes(text: str) -> Iterator[tuple[int, int]]:
    """Where the text holds a 统一社会信用代码 with a valid GB 32100 check character: never masked."""
    for match in _RE_CREDIT.finditer(text):
        value = match.group(1)
        if not _valid_credit_code(value):
            continue
        # An 18-digit resident id that passes MOD 31 as well: the id wins unless the text says 信用代码.
        is_id = (
            value[:17].isdigit()
            and resident_id_check_digit(value[:17]) == value[17]
            and _is_date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
        )
        if is_id and not _CREDIT_CONTEXT.search(_before(text, match.start())):
            continue
        yield match.span(1)


_RE_MOBILE = re.compile(r"(?<![0-9A-Za-z])((?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2})(?![0-9A-Za-z])")
_RE_FIXED = re.compile(
    r"(?<![0-9A-Za-z])((?:[(（]0\d{2,3}[)）]|0\d{2,3}[-－— ]?)\d{7,8}(?:[-－]\d{1,4})?)(?![0-9A-Za-z])"
)
_RE_LOCAL = re.compile(r"(?<![0-9A-Za-z*])(\d{7,8})(?![0-9A-Za-z*])")


def _mask_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def _phones(text: str) -> Iterator[Span]:
    for match in _RE_MOBILE.finditer(text):
        yield Span(Kind.PHONE, *match.span(1), match.group(1), _mask_phone(match.group(1)), "mobile")
    for match in _RE_FIXED.finditer(text):
        yield Span(Kind.PHONE, *match.span(1), match.group(1), _mask_phone(match.group(1)), "fixed")
    for match in _RE_LOCAL.finditer(text):
        if _PHONE_CONTEXT.search(_before(text, match.start(), 10)):
            yield Span(Kind.PHONE, *match.span(1), match.group(1), _mask_phone(match.group(1)), "local")


_RE_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z*])(\d{4}(?:[ -]?\d{2,4}){2,6})(?![0-9A-Za-z*])")
# The account a fine is paid into is the finance bureau's public collection account (行政处罚法第六十七条):
# a payee named 非税收入汇缴结算户, 财政专户, 国库 … in the same sentence.
_PUBLIC_ACCOUNT = re.compile(r"(非税收入|汇缴结算户|财政专户|国库|财政局|财政)[^。；\n]*$")
_RE_BANK_MASKED = re.compile(r"(?<![0-9A-Za-z*])(\d{4}\*{4,}\d{4})(?![0-9A-Za-z*])")


def _mask_account(digits: str) -> str:
    return digits[:4] + "****" + digits[-4:] if len(digits) > 8 else "*" * len(digits)


def _bank_accounts(text: str) -> Iterator[Span]:
    for match in _RE_DIGIT_RUN.finditer(text):
        value = match.group(1)
        digits = re.sub(r"\D", "", value)
        if not 10 <= len(digits) <= 25:
            continue
        before = _before(text, match.start(), 60)
        if _PUBLIC_ACCOUNT.search(before):
            continue  # where the fine is paid: the treasury's collection account is public (罚缴分离)
        near = bool(_BANK_CONTEXT.search(_before(text, match.start(), 20)))
        card = 16 <= len(digits) <= 19 and digits[0] in "3456" and _luhn(digits)
        if near or card:
            rule = "luhn" if card else "context"
            yield Span(Kind.BANK_ACCOUNT, *match.span(1), value, _mask_account(digits), rule)


_RE_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def _emails(text: str) -> Iterator[Span]:
    for match in _RE_EMAIL.finditer(text):
        value = match.group(1)
        domain = value.split("@", 1)[1]
        yield Span(Kind.EMAIL, *match.span(1), value, "***@" + domain, "email")


_PLATE_BODY = "A-HJ-NP-Z0-9"
_RE_PLATE = re.compile(
    rf"([{_PROVINCES}][A-HJ-NP-Z])[·•．.\s]?((?:[{_PLATE_BODY}]{{6}}|[{_PLATE_BODY}]{{5}}|[{_PLATE_BODY}]{{4}}[挂学警])"
    rf"|[{_PLATE_BODY}*＊]{{5,6}})(?![{_PLATE_BODY}*＊])"
)


def _plates(text: str) -> Iterator[Span]:
    for match in _RE_PLATE.finditer(text):
        body = match.group(2)
        if all(c in "*＊" for c in body):
            continue  # already masked
        replacement = match.group(1) + "·" + "*" * len(body)
        yield Span(Kind.PLATE, *match.span(0), match.group(0), replacement, "plate")


# Addresses: a province/city/county prefix, or a word that announces a dwelling, then the address itself.
_ADDRESS_WORDS = "|".join(
    (
        *("家庭住址", "现住址", "户籍地址", "户籍所在地", "居住地址", "经常居住地"),
        *("现住", "家住", "住址", "居住在", "住在", "住所地", "住所", "地址"),
    )
)
# An address by its shape: a house number (88号3栋201室, 8组), and before it, back to a word that is not part
# of a place (到, 位于, 的 …) or to an organisation's name, the road, village, township or county it lies in.
_RE_ADDRESS_END = re.compile(
    r"(?:(?:\d+|[一二三四五六七八九十百零]+)(?:号楼|号院|号|栋|幢|单元|室|层|楼|组|户)[-—]?)+"
)
_ADDRESS_STOPS = set("的于在到至向从和与及把被对将是为系由经")
_ADDRESS_CHAR = re.compile(rf"[{_HAN}0-9０-９A-Za-z\-—#＃]")
_ADDRESS_MARK = re.compile(r"(省|市|县|镇|乡|街道|路|街|巷|弄|大道|村|小区|社区)")
_BODY_BEFORE = re.compile(r"(公司|厂|局|中心|集团|医院|学校|银行|支行|商行|经营部|门市部|合作社)$")
_RE_ADDRESS_AFTER_WORD = re.compile(
    rf"(?:{_ADDRESS_WORDS})[：:为是在\s]*([^{re.escape(_DELIMITERS)}]{{4,60}})"
)
_RE_VILLAGE = re.compile(
    rf"([{_HAN}]{{1,6}}?(?:乡|镇|街道)[{_HAN}]{{1,8}}?(?:村|社区|居委会)[{_HAN}0-9]*?(?:组|号|户))"
)
_PLACE_WORD = re.compile(rf"(省|市|县|区|乡|镇|街道|村|路|街|巷|弄|号|组|室|栋|幢|小区|社区|[{_MASK_CHARS}])")
_TOWNSHIP = re.compile(r"(?:乡|镇|街道|街道办事处)")
_COUNTY_END = re.compile(r"(?:县|区|旗|市)")


def _address_kept_part(value: str) -> str:
    """The part of an address that is published: up to the township (乡、镇、街道), else up to the county."""
    county = 0
    for match in _COUNTY_END.finditer(value):
        if match.end() <= 14:
            county = match.end()
    township = None
    for match in _TOWNSHIP.finditer(value, county):
        if match.start() > county:  # 镇 needs a name before it (镇江市 is no township)
            township = match.end()
            break
    if township is not None:
        return value[:township]
    return value[:county]


def _mask_address(value: str) -> str:
    kept = _address_kept_part(value)
    rest = value[len(kept) :]
    if not rest or all(c in "*＊" for c in rest):
        return value
    return kept + "****"


def _address_start(text: str, end: int) -> int:
    start = end
    while start > 0 and end - start < 40:
        if text[start - 1] in _ADDRESS_STOPS or not _ADDRESS_CHAR.match(text[start - 1]):
            break
        if _BODY_BEFORE.search(text[max(0, start - 6) : start]):
            break
        start -= 1
    return start


def _addresses(text: str) -> Iterator[Span]:
    for match in _RE_ADDRESS_AFTER_WORD.finditer(text):
        value = match.group(1).strip()
        start = match.start(1) + (len(match.group(1)) - len(match.group(1).lstrip()))
        # An address announced by 住址 runs to the next delimiter; a following name of a company or a
        # sentence is not part of it, so only text that looks like a place is taken.
        if not _PLACE_WORD.search(value):
            continue
        replacement = _mask_address(value)
        if replacement == value and _address_kept_part(value) == "" and not value.endswith("****"):
            replacement = "****"
        yield Span(Kind.ADDRESS, start, start + len(value), value, replacement, "address_word")
    for match in _RE_ADDRESS_END.finditer(text):
        start = _address_start(text, match.start())
        place = text[start : match.start()]
        if len(place) < 2 or not _ADDRESS_MARK.search(place):
            continue  # 车间3楼, 第2号: no place named
        value = text[start : match.end()]
        yield Span(Kind.ADDRESS, start, match.end(), value, _mask_address(value), "address_shape")
    for match in _RE_VILLAGE.finditer(text):
        value = match.group(1)
        yield Span(Kind.ADDRESS, *match.span(1), value, _mask_address(value), "village")


def mask_name(name: str, style: NameStyle) -> str:
    """张三丰 → 张某某 (or 张某); compound surnames keep both characters (欧阳某某)."""
    if style == NameStyle.FULL or not name:
        return name
    surname = name[:2] if name[:2] in _SURNAMES_2 and len(name) > 2 else name[:1]
    return surname + ("某某" if style == NameStyle.SURNAME_MOUMOU else "某")


# A lookahead, so that a refused candidate (当事人储存) does not hide the next role word (车间主任吴国庆).
_RE_NAME_AFTER_ROLE = re.compile(
    rf"(?=(?P<role>{_ROLE})(?P<sep>[：:为是系\s]*)"
    rf"(?P<name>{_SURNAME}(?:[ 　]{{1,2}}[{_HAN}]|[{_HAN}]{{1,2}})))"
)
_RE_NAME_BEFORE_ID = re.compile(
    rf"(?:^|(?<=[{re.escape(_DELIMITERS)}]))(?P<name>{_SURNAME}[{_HAN}]{{1,2}})"
    rf"[，,（(\s]+(?:[男女][，,\s]*)?(?:[^，。；\n]{{0,16}}?[，,\s])?(?:公民)?身份(?:证|号码)"
)
_RE_OFFICER_AFTER = re.compile(r"[（(](?:行政)?执法(?:证|证件)(?:号|号码|编号)?")
_RE_LISTED_NAME = re.compile(rf"[、和及与](?P<name>{_SURNAME}[{_HAN}]{{1,2}})")
_RE_NAME_MASKED = re.compile(
    rf"({_SURNAME}(?:[某{_MASK_CHARS}]{{2}}|[×Ｘ*＊○〇][{_HAN}]|某))(?![某{_MASK_CHARS}])"
)


def _name_span(candidate: str, start: int, policy: Policy, rule: str) -> Span:
    replacement = mask_name(candidate, policy.name)
    return Span(Kind.NAME, start, start + len(candidate), candidate, replacement, rule)


def _trim_name(candidate: str) -> str:
    """A 3-character candidate is a 2-character name when its third character begins a word (张三在)."""
    if len(candidate) == 3 and candidate[2] in _AFTER_NAME:
        return candidate[:2]
    return candidate


# Two characters that look like surname + given name but are words (公民身份号码, 当事人储存 …).
_NOT_NAMES = {
    *("公民", "储存", "本人", "其本", "于是", "于当", "于本", "应当", "时间", "安全", "经营", "经查"),
    *("宿舍", "单位", "管理", "车间", "车辆", "工资", "信息", "花名", "文化", "金额", "常识", "计划"),
    *("和其", "及其", "以及", "严重", "华为", "明显", "全部", "全体", "上岗", "从事", "作业", "强制"),
}


_RE_TOKEN = re.compile(rf"[{_HAN}0-9A-Za-z（）()]{{2,40}}")
_RE_BODY_END = re.compile(
    r"(公司|.{3,}厂|.{3,}店|商行|经营部|门市部|加工部|合作社|中心|集团|协会|学校|医院|矿业|农场|林场|加油站"
    r"|事务所|研究院|工程队)(（[^（）]*）)?$"
)
_SENTENCE_CHARS = set("在不于的了是为将已未被把向从到和与及也都曾仍又就要会能应可称说去来")
_PLACE_ENDINGS = set("省市县区旗镇乡村州路街巷厂店局所院站队部处科股矿场园")


def _place_or_body(candidate: str, text: str, start: int) -> bool:
    """舒城县, 杭埠镇, 华安公司 …: a place or an organisation, not a person."""
    if candidate[-1] in _PLACE_ENDINGS:
        return True
    after = text[start + len(candidate) : start + len(candidate) + 2]
    if after and (after[0] in _PLACE_ENDINGS or after in {"公司", "有限", "集团", "中心"}):
        return True
    # 当事人：王氏五金有限公司 — the words up to the next delimiter name a body, not a person.
    token = _RE_TOKEN.match(text, start)
    if token is None or not _RE_BODY_END.search(token.group(0)):
        return False
    # 欧阳明华长期不在公司 is a sentence about a person; a body's name holds no such words.
    return not any(c in _SENTENCE_CHARS for c in token.group(0)[len(candidate) :])


def _names(text: str, context: Context, policy: Policy) -> Iterator[Span]:
    found: list[Span] = []
    for pattern, rule in ((_RE_NAME_AFTER_ROLE, "after_role"), (_RE_NAME_BEFORE_ID, "before_id")):
        for match in pattern.finditer(text):
            start = match.start("name")
            candidate = _trim_name(match.group("name"))
            if candidate[:2] in _NOT_NAMES or _place_or_body(candidate, text, start):
                continue
            if any(candidate.startswith(k) or k.startswith(candidate) for k in context.keep if k):
                continue
            if _RE_OFFICER_AFTER.match(text, start + len(candidate)):
                continue  # an officer, named with the certificate: public (行政处罚法第五十五条, 118号)
            following = text[start + len(candidate) : start + len(candidate) + 1]
            strict = rule == "after_role" and match.group("role") == "当事人" and not match.group("sep")
            if strict and following and following not in _DELIMITERS and following not in _AFTER_NAME:
                # 当事人储存车间 …: without a colon, a name must end where a word or a sentence part begins.
                continue
            if candidate[1:2] in {"某", *_MASK_CHARS} and all(
                c in {"某", *_MASK_CHARS} for c in candidate[1:]
            ):
                continue  # already masked (张某, 张某某)
            found.append(_name_span(candidate, start, policy, rule))
    # Names listed after a found one: 员工郑小军、冯丽娟和褚红在 …
    queue = list(found)
    while queue:
        previous = queue.pop()
        listed = _RE_LISTED_NAME.match(text, previous.end)
        if listed is None:
            continue
        candidate = _trim_name(listed.group("name"))
        start = listed.start("name")
        if candidate[:2] in _NOT_NAMES or _place_or_body(candidate, text, start):
            continue
        if _RE_OFFICER_AFTER.match(text, start + len(candidate)):
            continue
        if any(s.start == start for s in found):
            continue
        span = _name_span(candidate, start, policy, "listed")
        found.append(span)
        queue.append(span)
    yield from found
    # A name found once by pattern is a name everywhere in the text (证人王小明 … 王小明证实).
    punished = set(context.punished)
    known = sorted({*context.persons, *context.punished, *(s.original for s in found)}, key=len, reverse=True)
    for name in known:
        if len(name) < 2:
            continue
        style = policy.punished_name if name in punished else policy.name
        replacement = mask_name(name, style)
        rule = "known" if name in context.persons or name in punished else "repeated"
        for match in re.finditer(re.escape(name), text):
            yield Span(Kind.NAME, *match.span(), name, replacement, rule)
    for match in _RE_NAME_MASKED.finditer(text):
        value = match.group(1)
        # 张某 and 张某某 are already masked (either style); 张×明 and 王*强 still show a character.
        done = value.endswith("某") and value.rstrip("某") in {value[:1], value[:2]}
        replacement = value if done else mask_name(value, policy.name)
        yield Span(Kind.NAME, *match.span(1), value, replacement, "masked_name")


def _manual(text: str, context: Context, policy: Policy) -> Iterator[Span]:
    for kind_value, phrase in context.mask:
        if not phrase:
            continue
        kind = Kind(kind_value)
        if kind == Kind.NAME:
            replacement = mask_name(phrase, policy.name)
        elif kind == Kind.ADDRESS:
            replacement = _mask_address(phrase)
            if replacement == phrase:
                replacement = "****"
        elif kind == Kind.RESIDENT_ID:
            replacement = _mask_id(phrase, policy)
        else:
            replacement = "*" * min(len(phrase), 6)
        for match in re.finditer(re.escape(phrase), text):
            yield Span(kind, *match.span(), phrase, replacement, "manual")


# ----------------------------------------------------------------------------------------------------
# Protected regions: what the law keeps public.

_RE_DOC_NUMBER = re.compile(
    r"[（(][^（）()]{1,12}[）)][^，。；\s]{0,12}?[〔\[［(（]\d{4}[〕\]］)）][\d\-－]+号?"
)
_NUMERAL = "[一二三四五六七八九十百零〇\\d]+"
_RE_LAW = re.compile(
    rf"《[^《》]{{2,60}}》(?:第{_NUMERAL}条(?:第{_NUMERAL}款)?(?:第[（(]?{_NUMERAL}[）)]?项)?)*"
)
_RE_AMOUNT = re.compile(r"\d[\d,，]*(?:\.\d+)?\s*(?:万元|元|万)")
_RE_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{4}-\d{2}-\d{2}")


def _protected(text: str, context: Context) -> list[tuple[int, int]]:
    regions: list[tuple[int, int]] = list(_credit_codes(text))
    for pattern in (_RE_DOC_NUMBER, _RE_LAW, _RE_AMOUNT, _RE_DATE):
        regions.extend(m.span() for m in pattern.finditer(text))
    for phrase in context.keep:
        if len(phrase) >= 2:
            regions.extend(m.span() for m in re.finditer(re.escape(phrase), text))
    return regions


def _overlaps(span: Span, regions: Iterable[tuple[int, int]]) -> bool:
    return any(span.start < end and start < span.end for start, end in regions)


# Ties between overlapping candidates: the longer one wins, then the more specific recognizer.
_PRIORITY = {
    "manual": 0,
    "known": 1,
    "repeated": 1,
    "id18": 2,
    "id15": 2,
    "id_masked": 2,
    "luhn": 3,
    "context": 3,
    "email": 3,
    "mobile": 4,
    "fixed": 4,
    "local": 5,
    "plate": 5,
    "address_word": 6,
    "address_shape": 7,
    "village": 7,
    "after_role": 8,
    "before_id": 8,
    "listed": 8,
    "masked_name": 9,
}


def find_spans(text: str, context: Context | None = None, policy: Policy | None = None) -> list[Span]:
    """Every item of ``text`` to be masked, in order, without overlaps; fixed points included."""
    context = context or Context()
    policy = policy or Policy()
    candidates: list[Span] = [
        *_manual(text, context, policy),
        *_names(text, context, policy),
        *_resident_ids(text, policy),
        *_bank_accounts(text),
        *_phones(text),
        *_emails(text),
        *_plates(text),
        *_addresses(text),
    ]
    protected = _protected(text, context)
    keep_names = {k for k in context.keep if k}
    chosen: list[Span] = []
    taken: list[tuple[int, int]] = []
    ordered = sorted(candidates, key=lambda s: (_PRIORITY.get(s.rule, 9), -(s.end - s.start), s.start))
    for span in ordered:
        if span.rule not in {"manual", "known"} and _overlaps(span, protected):
            continue
        if span.rule == "known" and span.original in keep_names:
            continue
        if _overlaps(span, taken):
            continue
        chosen.append(span)
        taken.append((span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _apply(text: str, spans: Iterable[Span]) -> str:
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: s.start):
        parts.append(text[position : span.start])
        parts.append(span.replacement)
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def redact(text: str, context: Context | None = None, policy: Policy | None = None) -> Redaction:
    """The text with every recognised item masked; ``spans`` lists those that changed, in source positions.

    Masking one item can reveal another shape (a name masked next to an address), so the result is redacted
    again until nothing changes; every replacement is a fixed point, so this ends after a pass or two.
    """
    spans = [s for s in find_spans(text, context, policy) if s.replacement != s.original]
    result = _apply(text, spans)
    for _pass in range(3):
        again = [s for s in find_spans(result, context, policy) if s.replacement != s.original]
        if not again:
            break
        result = _apply(result, again)
    return Redaction(source=text, text=result, spans=tuple(spans))


def residual(text: str, context: Context | None = None, policy: Policy | None = None) -> list[Span]:
    """The post-scan: items the recognizers still find unmasked in ``text``. Empty means clean."""
    return [s for s in find_spans(text, context, policy) if s.replacement != s.original]
