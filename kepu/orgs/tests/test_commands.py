import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kepu.orgs.models import Unit, UnitNameChange


def write_xlsx(path, rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_import_units_keeps_good_rows_and_names_bad_ones(tree, tmp_path):
    sheet = tmp_path / "units.xlsx"
    write_xlsx(
        sheet,
        [
            ["代码", "上级单位代码", "单位名称", "类型", "行政区划代码"],
            ["zjast-hz-xh", "zjast-hz", "西湖区科协", "县级科协", "330106"],  # child first
            ["zjast-hz-xh-lq", "zjast-hz-xh", "灵隐街道科普站", "grassroots", "330106001"],
            ["Bad Code", "zjast-hz", "坏代码", "county", ""],  # row 4
            ["zjast-hz-sc", "nowhere", "上城区科协", "county", "330102"],  # row 5
            ["zjast-hz-bj", "zjast-hz", "滨江区科协", "county", "33"],  # row 6
            ["acad-iop", "acad-bj", "物理研究所（更名）", "institute", ""],  # update
        ],
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_units", str(sheet), stdout=io.StringIO(), stderr=err)
    report = err.getvalue()
    # the report names row and field (in Chinese, the product's language)
    assert "第 4 行，code" in report
    assert "第 5 行，parent" in report and "nowhere" in report
    assert "第 6 行，region_code" in report
    lq = Unit.objects.get(code="zjast-hz-xh-lq")
    assert lq.get_parent().code == "zjast-hz-xh"
    assert Unit.objects.get(code="zjast-hz-xh").kind == "county"
    assert not Unit.objects.filter(code__in=["zjast-hz-sc", "zjast-hz-bj"]).exists()
    assert UnitNameChange.objects.filter(unit=tree.inst_a, new_name="物理研究所（更名）").exists()


def test_import_units_rejects_unknown_columns(db, tmp_path):
    sheet = tmp_path / "units.csv"
    sheet.write_text("code,name,colour\nx1,某单位,red\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colour"):
        call_command("import_units", str(sheet), stdout=io.StringIO())


def test_move_unit_command(tree):
    call_command("move_unit", "acad-iop-lab", "acad-nao", stdout=io.StringIO())
    assert Unit.objects.get(code="acad-iop-lab").get_parent().code == "acad-nao"
    with pytest.raises(CommandError, match="parent"):
        call_command("move_unit", "acad-bj", "acad-nao", stdout=io.StringIO())
    with pytest.raises(CommandError, match="no unit"):
        call_command("move_unit", "acad-bj", "nowhere", stdout=io.StringIO())
