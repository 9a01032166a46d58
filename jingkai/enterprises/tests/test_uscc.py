import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from jingkai.enterprises.uscc import (
    _CATEGORIES,
    _ORG_WEIGHTS,
    ALPHABET,
    check_digit,
    make_uscc,
    org_check_digit,
    uscc_problem,
    uscc_valid,
)

# Real codes issued since 2015 that the platform refused while it valued the letters of the GB 11714
# organisation code by their USCC-alphabet index (J=18, K=19, L=20, M=21 …) instead of GB 11714-1997
# 附录A (A=10 … Z=35: J=19, K=20, L=21, M=22 …). Issue 10.
REFUSED_BEFORE = [
    "91620105MA71T4YW8Q",
    "91620105MA73NBBLXE",
    "91620105L015101280",
    "91310115MA1K3BTP2B",
    "91420684MA4927PJ7B",
    "91340600MA2PBM9HXD",
]
# Published codes of real organisations (their own registration certificates).
REAL = [
    "91350100M000100Y43",  # GB 32100-2015 standard's worked example
    "91110000802100433B",  # 中国石油化工股份有限公司
    *REFUSED_BEFORE,
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert uscc_problem(code) is None
    assert stdnum_uscc.is_valid(code)  # second opinion on the 18th character


def test_real_codes_are_valid_as_a_column():
    assert uscc_valid(pl.Series("uscc", REAL)).to_list() == [True] * len(REAL)


@pytest.mark.parametrize(
    ("body", "digit"),
    [("MA71T4YW", "8"), ("MA73NBBL", "X"), ("L0151012", "8"), ("MA1K3BTP", "2"), ("MA4927PJ", "7"),
     ("MA2PBM9H", "X")],
)
def test_org_code_check_digit_values_letters_by_gb11714_appendix_a(body, digit):
    assert org_check_digit(body) == digit


def test_org_code_check_digit_letters_are_a10_to_z35():
    # 附录A: the letters the USCC alphabet drops still have their place: I=18, so J=19 … Y=34.
    for ch, value in zip("ABCDEFGHJKLMNPQRTUWXY", [10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 25, 26, 27,
                                                   29, 30, 32, 33, 34], strict=True):
        total = value * _ORG_WEIGHTS[0]
        c = 11 - total % 11
        assert org_check_digit(ch + "0000000") == ("X" if c == 10 else "0" if c == 11 else str(c)), ch


def test_why_the_standard_example_passed_both_ways():
    # "M000100Y": only M and Y are letters past H, where the two value tables differ. M is 21 in the
    # USCC alphabet and 22 in GB 11714 附录A (+1 at weight 3); Y is 30 against 34 (+4 at weight 2). The
    # weighted sums differ by 1·3 + 4·2 = 11 ≡ 0 (mod 11), so both tables give the same check digit 4 —
    # which is why the wrong table went unnoticed with this as the only example.
    usccs_index = sum(ALPHABET.index(ch) * w for ch, w in zip("M000100Y", _ORG_WEIGHTS, strict=True))
    appendix_a = sum(int(ch, 36) * w for ch, w in zip("M000100Y", _ORG_WEIGHTS, strict=True))
    assert appendix_a - usccs_index == 11 and usccs_index % 11 == appendix_a % 11
    assert org_check_digit("M000100Y") == "4"
    # The real "MA…" codes do not have that luck: M=22 and A=10 alone shift the sum by 3 (mod 11).
    assert sum(ALPHABET.index(ch) * w for ch, w in zip("MA71T4YW", _ORG_WEIGHTS, strict=True)) % 11 != (
        sum(int(ch, 36) * w for ch, w in zip("MA71T4YW", _ORG_WEIGHTS, strict=True)) % 11)


def test_check_digit_of_the_standard_example():
    assert check_digit("91350100M000100Y4") == "3"


def test_org_code_check_digit_can_be_x():
    # GB 11714 example: D2143569 → check digit X
    assert org_check_digit("D2143569") == "X"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "第18位校验码错误（应为 3）"),
        ("B1350100M000100Y43", "第1位"),
        ("97350100M000100Y43", "第2位"),
        ("9135010OM000100Y43", "不允许的字符“O”"),
        ("91350100M000100Y53", "组织机构代码"),
        ("91620105MA71T4YW6Q", "第9—17位组织机构代码“MA71T4YW6”校验位错误（应为 8）"),
    ],
)
def test_invalid_codes_say_why(code, fragment):
    assert fragment in uscc_problem(code)
    assert uscc_valid(pl.Series([code])).to_list() == [False]


def test_made_codes_are_valid():
    code = make_uscc("620100", "MA7C1234")
    assert len(code) == 18 and uscc_problem(code) is None and stdnum_uscc.is_valid(code)


@pytest.mark.parametrize("code", REFUSED_BEFORE)
def test_make_uscc_rebuilds_the_real_codes(code):
    assert make_uscc(code[2:8], code[8:16]) == code


# ---- python-stdnum's cn.uscc as a second opinion. It checks the length, digits in the first 8, the USCC
# alphabet and the 18th character; not the registration authority/category pair nor the GB 11714 digit.
# It also wants digits in positions 1-8, so it refuses the letter authorities of GB 32100-2015 table 1
# (A 中央军委改革和编制办公室, N 农业农村, Y 其他) that the standard allows: the comparison below covers
# the digit authorities 1-9, and the letter ones are pinned as the one known disagreement.

body = st.text(alphabet=ALPHABET, min_size=8, max_size=8)
division = st.text(alphabet="0123456789", min_size=6, max_size=6)
authority_category = st.sampled_from([(a, c) for a, cs in _CATEGORIES.items() for c in cs if a.isdigit()])


@pytest.mark.parametrize("authority", ["A", "N", "Y"])
def test_letter_authorities_are_ours_not_stdnums(authority):
    code = make_uscc("620100", "MA71T4YW", authority, "1")
    assert uscc_problem(code) is None and not stdnum_uscc.is_valid(code)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_check_digit_agrees_with_stdnum(first17):
    assert check_digit(first17) == stdnum_uscc.calc_check_digit(first17)


@settings(max_examples=300, deadline=None)
@given(division, body, authority_category)
def test_made_codes_pass_both(div, org_body, ac):
    code = make_uscc(div, org_body, *ac)
    assert uscc_problem(code) is None and stdnum_uscc.is_valid(code)
    assert uscc_valid(pl.Series([code])).to_list() == [True]



@st.composite
def candidates(draw):
    code = make_uscc(draw(division), draw(body), *draw(authority_category))
    edits = draw(st.lists(st.tuples(st.integers(0, 17), st.sampled_from(ALPHABET + "IOSVZa")), max_size=2))
    for i, ch in edits:
        code = code[:i] + ch + code[i + 1:]
    return code


@settings(max_examples=500, deadline=None)
@given(candidates())
def test_ours_is_stdnum_plus_the_structure_checks(code):
    assume(code[0].isdigit())  # letter authorities: see test_letter_authorities_are_ours_not_stdnums
    ours = uscc_problem(code) is None
    structure = (code[0] in _CATEGORIES and code[1] in _CATEGORIES[code[0]]
                 and code[8:17].upper() == code[8:17] and set(code[8:17]) <= set(ALPHABET)
                 and org_check_digit(code[8:16]) == code[16])
    # stdnum upper-cases its input; the platform upper-cases cells before checking (imports).
    assert ours == (code == code.upper() and stdnum_uscc.is_valid(code) and structure)
    assert uscc_valid(pl.Series([code])).to_list() == [ours]


def test_column_check_agrees_with_the_scalar_on_a_sample():
    import random

    rng = random.Random(10)
    codes = []
    for _ in range(5000):
        code = make_uscc(f"{rng.randrange(10**6):06d}", "".join(rng.choice(ALPHABET) for _ in range(8)))
        if rng.random() < 0.5:
            i = rng.randrange(18)
            code = code[:i] + rng.choice(ALPHABET) + code[i + 1:]
        codes.append(code)
    assert uscc_valid(pl.Series(codes)).to_list() == [uscc_problem(c) is None for c in codes]
    assert all(stdnum_uscc.is_valid(c) for c in codes if uscc_problem(c) is None and c[0].isdigit())
