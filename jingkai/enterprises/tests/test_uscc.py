import pytest

from jingkai.enterprises.uscc import check_digit, make_uscc, org_check_digit, uscc_problem

# Published codes of real organisations (their own registration certificates).
REAL = [
    "91350100M000100Y43",  # GB 32100-2015 standard's worked example
    "91110000802100433B",  # 中国石油化工股份有限公司
]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_are_valid(code):
    assert uscc_problem(code) is None


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
    ],
)
def test_invalid_codes_say_why(code, fragment):
    assert fragment in uscc_problem(code)


def test_made_codes_are_valid():
    code = make_uscc("620100", "MA7C1234")
    assert len(code) == 18 and uscc_problem(code) is None
