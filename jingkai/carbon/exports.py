"""The Word 零碳园区基准年碳排放盘查报告 outline of a zone's account (jingkai.documents, 公文 layout): the data
gate, the energy consumed by carrier, the CO₂ inventory with each line's factor and notice, the green power
counted at zero and its certificates, and the 1+5 gap table. An outline for the zone to complete: what is not
yet confirmed or entered says so (待确认、待录入), never an estimate."""

from __future__ import annotations

from datetime import date

from jingkai.carbon.selectors import ZoneCarbon, energy_balance
from jingkai.documents import (
    DASH,
    paragraph,
    report_opening,
    save,
    table,
)

ISSUER = "甘肃省商务厅"


def _n(x, digits: int = 2) -> str:
    if x is None:
        return "待核算"
    if isinstance(x, str):
        return x
    return f"{x:,.{digits}f}"


def baseline_report_docx(c: ZoneCarbon, issued: date) -> bytes:
    assert c.account is not None
    zone, account, totals = c.zone, c.account, c.totals
    title = f"{zone.name}{account.year}年零碳园区基准年碳排放盘查报告（提纲）"
    doc, part = report_opening(title, ISSUER, issued, "（平台生成的提纲，供园区补充完善）")

    part("盘查范围与数据条件")
    committee = zone.committee.name if zone.committee else "待录入"
    paragraph(doc, f"盘查对象为{zone.name}（管理机构：{committee}），盘查年度{account.year}年，纳入企业"
                   f"{totals['enterprises']}家。核算{'为正式核算' if account.formal else '为试算，数据条件尚未全部确认'}，"
                   f"排放因子集{account.factor_set_version}版{'，已冻结为基准' if account.frozen else ''}。")
    gate = c.gate
    table(doc, ["数据条件", "状态"], [
        ["园区边界（四至）", "已确认" if gate and gate.boundary_confirmed else "未确认"],
        ["园区企业名单", "已确认" if gate and gate.enterprise_list_confirmed else "未确认"],
        ["基准年", f"{gate.baseline_year}年" if gate and gate.baseline_year else "未确认"],
        ["因子集", "已确认" if gate and gate.factor_set_id else "未确认"],
    ], aligns="lc")

    part("能源消费")
    balance = energy_balance(account)
    equivalent = totals["energy_tce_equivalent"]
    paragraph(doc, f"综合能源消费量（当量值）{_n(totals['energy_tce'], 1)}吨标准煤；等价值"
                   + ("待确认（电力等价值系数未配置）" if equivalent is None else f"{_n(equivalent, 1)}吨标准煤")
                   + "。分品种折标准煤（当量值）如下。")
    rows = [[link["source"] if link["target"] == "园区企业" else link["target"], _n(link["value"], 1)]
            for link in balance["links"]]
    table(doc, ["能源品种或去向", "折标准煤（吨）"], rows or [["无能源消费记录", DASH]], aligns="lr")

    part("二氧化碳排放清单")
    paragraph(doc, f"二氧化碳排放合计{_n(totals['co2_t'], 1) if totals['co2_t'] is not None else '待确认'}吨。"
                   "各排放源的因子或参数及其出处如下。")
    table(doc, ["排放来源", "二氧化碳（吨）", "因子或参数", "出处", "状态"],
          [[line.source, "待确认" if line.co2_t is None else _n(line.co2_t, 1), line.basis, line.notice, line.status]
           for line in c.lines], aligns="lrllc", min_chars=(4, 6, 0, 0, 3))

    part("绿电与绿证")
    cover = account.result.get("green_power_cover")
    if cover:
        paragraph(doc, f"企业填报的绿证或直连绿电{_n(cover['claimed_kwh'] / 1e3, 1)}兆瓦时，其中当期已注销绿证"
                       f"{_n(cover['certificate_kwh'] / 1e3, 1)}兆瓦时、绿电直连{_n(cover['direct_kwh'] / 1e3, 1)}兆瓦时，"
                       f"按零排放计{_n(cover['counted_kwh'] / 1e3, 1)}兆瓦时。{cover['rule']}。")
    else:
        paragraph(doc, "本次核算未记录绿证覆盖情况。")

    part("零碳园区“1+5”指标对标与差距")
    paragraph(doc, f"结论：{c.verdict}。{c.core_reason}。"
                   + (f"距核心指标尚需减排{_n(c.gap_co2_t, 0)}吨二氧化碳。" if c.gap_co2_t else ""))
    table(doc, ["指标", "园区数值", "验收要求", "是否达到", "差距"],
          [[i.name, _n(i.value, 3), "待确认" if i.threshold is None else _n(i.threshold, 2), i.passed,
            DASH if i.gap is None else _n(i.gap, 2)] for i in c.indicators], aligns="lrrcr", min_chars=(8, 5, 5, 4, 4))

    part("说明")
    paragraph(doc, "阈值出自第三方解读，待与发改环资〔2025〕910号附件3核对；核心指标“一票否决”，引导指标可说明原因不纳入验收；"
                   "数值等于阈值即为达到。标注“待确认”的因子须与生态环境部、国家统计局公告核对，“待录入”的指标由园区补充。")
    return save(doc, issued)
