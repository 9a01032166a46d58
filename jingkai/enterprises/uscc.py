"""统一社会信用代码 (GB 32100-2015): structure and check digits.

Layout: 1 registration authority · 1 category · 6 division code (GB/T 2260) · 9 organisation code
(GB 11714, its own check digit last) · 1 check digit. Characters come from 0-9 and 21 capital
letters (no I, O, Z, S, V).

Two check digits, two value tables:
- the 18th character (GB 32100-2015 §4.2) values each of the first 17 characters by its index in the
  31-character USCC alphabet (A=10 … H=17, J=18, K=19, L=20, M=21 … Y=30) and is itself a character of
  that alphabet;
- the 9th character of the organisation code (GB 11714-1997 §2.1.2) values the 8 body characters by the
  code set of its 附录A: 0-9 and the full A-Z, A=10 … Z=35 (so J=19, K=20, L=21, M=22 … Y=34). The two
  tables agree on 0-9 and A-H only; every "MA…" organisation code issued since 2015 depends on it.
"""

import re

import numpy as np
import polars as pl

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}  # GB 32100-2015: the 18th check character
# GB 11714-1997 附录A: 0-9 → 0-9, A-Z → 10-35 (I, O, S, V, Z included: the USCC alphabet only excludes them).
_ORG_VALUE = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
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
    """GB 11714 organisation-code check digit (0-9 or X), letters valued A=10 … Z=35 (附录A)."""
    total = sum(_ORG_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
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
    if org_check_digit(org[:8]) != org[8]:  # every character is already in the USCC alphabet
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


# ---- the same rule over a whole column (imports), vectorised with numpy ----

def _lookup_table(values: dict[str, int]) -> np.ndarray:
    table = np.full(256, -1, dtype=np.int64)
    for ch, value in values.items():
        table[ord(ch)] = value
    return table


_CHAR_VALUE = _lookup_table(_VALUE)  # -1 outside the USCC alphabet: the allowed-character test
_ORG_CHAR_VALUE = _lookup_table(_ORG_VALUE)
_ALLOWED_CATEGORY = np.zeros((31, 31), dtype=bool)  # [authority value, category value]
for _authority, _categories in _CATEGORIES.items():
    _ALLOWED_CATEGORY[_VALUE[_authority], [_VALUE[c] for c in _categories]] = True


def uscc_valid(codes: pl.Series) -> pl.Series:
    """Whole-column form of `uscc.uscc_problem(code) is None` (GB 32100-2015 structure and both check
    digits) with numpy: characters → values by a lookup table, weighted sums, modulo. Null → False."""
    text = codes.cast(pl.Utf8).fill_null("")
    sized = (text.str.len_bytes() == 18).to_numpy()
    if not sized.any():
        return pl.Series(codes.name, np.zeros(len(codes), dtype=bool))
    arr = np.frombuffer("".join(text.filter(pl.Series(sized)).to_list()).encode(), dtype=np.uint8).reshape(-1, 18)
    v = _CHAR_VALUE[arr]
    ok = (v >= 0).all(axis=1)
    vc = np.where(v >= 0, v, 0)
    ok &= _ALLOWED_CATEGORY[vc[:, 0], vc[:, 1]]
    ok &= ((arr[:, 2:8] >= ord("0")) & (arr[:, 2:8] <= ord("9"))).all(axis=1)
    org = 11 - (_ORG_CHAR_VALUE[arr[:, 8:16]] * np.array(_ORG_WEIGHTS)).sum(axis=1) % 11
    ok &= arr[:, 16] == np.where(org == 10, ord("X"), np.where(org == 11, ord("0"), ord("0") + org))
    check = (31 - (vc[:, :17] * np.array(_WEIGHTS)).sum(axis=1) % 31) % 31
    ok &= arr[:, 17] == np.frombuffer(ALPHABET.encode(), dtype=np.uint8)[check]
    out = np.zeros(len(codes), dtype=bool)
    out[sized] = ok
    return pl.Series(codes.name, out)
