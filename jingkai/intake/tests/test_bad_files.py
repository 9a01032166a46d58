"""Files that are not what they claim: the message says in Chinese what is wrong with the file, never a server
path, a library's English text or a Python codec message; a file with headings only is not 导入成功."""

import pytest

from jingkai.intake.services import run_import
from jingkai.intake.tests.test_intake import ENT_HEAD, write_csv


def only_message(result) -> str:
    assert not result.ok and len(result.errors) == 1
    return result.errors[0].message


def test_a_non_zip_xlsx(tmp_path, zones):
    path = tmp_path / "企业.xlsx"
    path.write_text("这不是 Excel 文件")
    message = only_message(run_import("enterprises", path))
    assert message == ("文件不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名；"
                       "请在 Excel 中另存为 .xlsx 后重新上传")


@pytest.mark.parametrize("content", [bytes(range(256)) * 4, b"\x00\x01\x02PK\x03\x04" * 100])
def test_a_binary_csv(tmp_path, zones, content):
    path = tmp_path / "企业.csv"
    path.write_bytes(content)
    message = only_message(run_import("enterprises", path))
    assert message == "CSV 文件无法按文本读取（应为 UTF-8 或 GBK 编码的表格），可能不是 CSV 文件"


def test_a_file_with_headings_only(tmp_path, zones):
    path = write_csv(tmp_path / "空.csv", ENT_HEAD, [])
    assert only_message(run_import("enterprises", path)) == "文件没有数据行（只有表头），未导入任何数据"


def test_headings_with_spaces_are_trimmed_like_values(tmp_path, zones):
    from jingkai.intake.tests.test_intake import LZ1

    path = write_csv(tmp_path / "空格.csv", [f"{h} " if i % 2 else f" {h}" for i, h in enumerate(ENT_HEAD)],
                     [[LZ1, "兰州锂电材料有限公司", "GS-LZ", "C3841", "", "", ""]])
    result = run_import("enterprises", path)
    assert result.ok and result.created == 1, result.errors


def test_a_gbk_csv(tmp_path, zones):
    from jingkai.intake.tests.test_intake import LZ1

    path = tmp_path / "gbk.csv"
    path.write_bytes((",".join(ENT_HEAD) + "\n" + f"{LZ1},兰州锂电材料有限公司,GS-LZ,C3841,,,\n").encode("gbk"))
    result = run_import("enterprises", path)
    assert result.ok and result.created == 1, result.errors


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_characters_across_the_blocks_a_csv_is_read_in(tmp_path, zones, monkeypatch, encoding):
    """A CSV is checked and recoded in blocks (a 1M-row file is never one Python string): a character whose
    bytes fall in two blocks is read as the character, in UTF-8 (with or without the BOM) and in GBK."""
    from jingkai.enterprises.models import Enterprise
    from jingkai.intake import services
    from jingkai.intake.tests.test_intake import LZ1, LZ2

    names = ["兰州锂电材料有限公司", "金昌镍钴新材料股份有限公司"]
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes((",".join(ENT_HEAD) + "\n" + "".join(
        f"{u},{n},GS-LZ,C3841,,,\n" for u, n in zip([LZ1, LZ2], names, strict=True))).encode(encoding))
    for size in (3, 5, 7):  # block edges inside the two- and three-byte characters
        monkeypatch.setattr(services, "CSV_BLOCK_BYTES", size)
        Enterprise.objects.all().delete()
        result = run_import("enterprises", path)
        assert result.ok and result.created == 2, result.errors
        assert sorted(Enterprise.objects.values_list("name", flat=True)) == sorted(names)


def test_a_csv_that_is_neither_utf8_nor_gbk(tmp_path, zones):
    path = tmp_path / "乱码.csv"
    path.write_bytes((",".join(ENT_HEAD) + "\n").encode() + b"\x81\x30\xff\xfe,\x80\n")  # no GB18030 either
    message = only_message(run_import("enterprises", path))
    assert message == "CSV 文件无法按文本读取（应为 UTF-8 或 GBK 编码的表格），可能不是 CSV 文件"


def test_a_zip_bomb_xlsx_is_refused_by_its_declared_size(tmp_path, zones, settings):
    import zipfile

    settings.IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (20 * 1024 * 1024))  # 80 MB of cells
    assert path.stat().st_size < 1024 * 1024
    message = only_message(run_import("enterprises", path))
    assert message.startswith("Excel 文件解压后过大（80 MB），上限 50 MB")


def test_size_and_row_limits_are_settings(tmp_path, zones, settings):
    from jingkai.intake.tests.test_intake import enterprises_csv

    path = enterprises_csv(tmp_path)
    settings.IMPORT_MAX_ROWS = 2
    assert only_message(run_import("enterprises", path)) == "文件行数超过上限 2 行，请分成几个文件导入"
    settings.IMPORT_MAX_ROWS = 100
    settings.IMPORT_MAX_BYTES = 100
    assert only_message(run_import("enterprises", path)).startswith("文件过大（0.0 MB），上限 0 MB")


def test_a_file_of_another_kind_is_named(tmp_path, zones):
    from jingkai.intake.tests.test_intake import enterprises_csv

    result = run_import("zone-indicators", enterprises_csv(tmp_path))
    assert only_message(result) == "这是企业名录模板，不是园区指标值模板，请重新选择数据类别"
