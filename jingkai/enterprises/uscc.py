"""统一社会信用代码 (GB 32100-2015): structure and check digits.

Layout: 1 registration authority · 1 category · 6 division code (GB/T 2260) · 9 organisation code
(GB 11714, its own check digit last) · 1 check digit. Characters come from 0-9 and 23 capital
letters (no I, O, Z, S, V).
"""

import re

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
# Registration authority → the category codes it may use (GB 32100-2015, table 1).
_CATEGORIES = {
    "1": "1239", "2": "19", "3": "1234589", "4": "19", "5": "1239", "6": "129", "7": "129",
    "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1",
}
_DIVISION = re.compile(r"^\d{6}$")


def check_digit(first17: str) -> str:
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_digit(first8: str) -> str:
    """GB 11714 organisation-code check digit (0-9 or X)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_problem(code: str) -> str | None:
    """None when `code` is a valid USCC, otherwise the reason in Chinese."""
    if not isinstance(code, str) or len(code) != 18:
        return "统一社会信用代码应为18位"
    bad = [ch for ch in code[:17] if ch not in _VALUE]
    if bad or (code[17] not in _VALUE):
        return f"含有不允许的字符“{(bad or [code[17]])[0]}”（不得使用 I、O、Z、S、V 及小写字母）"
    authority, category = code[0], code[1]
    if authority not in _CATEGORIES:
        return f"第1位登记管理部门代码“{authority}”不存在"
    if category not in _CATEGORIES[authority]:
        return f"第2位机构类别代码“{category}”与登记管理部门“{authority}”不匹配"
    if not _DIVISION.match(code[2:8]):
        return f"第3—8位行政区划代码“{code[2:8]}”应为6位数字"
    org = code[8:17]
    if any(ch not in "0123456789ABCDEFGHJKLMNPQRTUWXY" for ch in org[:8]) or org_check_digit(org[:8]) != org[8]:
        return f"第9—17位组织机构代码“{org}”校验位错误（应为 {org_check_digit(org[:8])}）"
    expected = check_digit(code[:17])
    if code[17] != expected:
        return f"第18位校验码错误（应为 {expected}）"
    return None


def make_uscc(division_code: str, org_body: str, authority: str = "9", category: str = "1") -> str:
    """A valid USCC from a division code and an 8-character organisation-code body (demo data, tests)."""
    org = org_body + org_check_digit(org_body)
    first17 = f"{authority}{category}{division_code}{org}"
    return first17 + check_digit(first17)
