#!/usr/bin/env python3
"""Builds fresh.jsonl: 400 paragraphs from templates written after the scanner was tuned on
eval.jsonl, scored once to see how the pass does on phrasings it was not developed on
(court judgments, household certificates, accident findings, lost-and-found notices, party
membership and commendation lists, refund notices, meeting minutes). Same format and helpers
as make_eval.py.

    python3 make_fresh.py > fresh.jsonl
"""
import json
import random
import sys

import make_eval as E

E.rnd.seed(20261205)
rnd = E.rnd
Para = E.Para


def judgment():
    p, a, b = Para("判决书"), E.name(), E.name()
    p.t("原告").l("person_name", a).t("，%s，" % E.sex(a))
    p.l("birth_date", "%d年%d月%d日" % (rnd.randrange(1950, 2000), rnd.randrange(1, 13), rnd.randrange(1, 28))).t("生，汉族，住")
    p.l("address", E.address()).t("。被告").l("person_name", b).t("，%s。" % E.sex(b))
    p.t("原告").l("person_name", a).t("诉被告").l("person_name", b).t("民间借贷纠纷一案，本院依法适用简易程序公开开庭进行了审理。")
    return p


def certificate():
    p, n = Para("户籍证明"), E.name()
    p.t("兹证明").l("person_name", n).t("（公民身份号码：").l("id_card", E.id18()).t("）系我所辖区常住人口，现住")
    p.l("address", E.address()).t("。特此证明。%s派出所（盖章）" % rnd.choice(["和平", "车站", "湖田", "马尚"]))
    return p


def accident():
    p, a, b = Para("事故认定书"), E.name(), E.name()
    p.t("当事人甲：").l("person_name", a).t("，驾驶证号").l("id_card", E.id18()).t("，驾驶").l("plate", E.plate()).t("号小型轿车；")
    p.t("当事人乙：").l("person_name", b).t("，联系电话").l("phone_mobile", E.mobile()).t("，驾驶电动自行车。")
    p.t("经调查，").l("person_name", a).t("未按规定让行，承担事故主要责任。")
    return p


def lost_found():
    p, n = Para("失物招领"), E.name()
    p.t("%s，%s派出所民警在巡逻中拾得钱包一个，内有" % (E.date(), rnd.choice(["和平", "车站", "湖田"])))
    p.l("person_name", n).t("的身份证及银行卡（卡号").l("bank_card", E.bank()).t("）。请失主携带有效证件到派出所认领，咨询电话：")
    p.l("keep_contact", E.landline("0533")).t("。")
    return p


def party_list():
    p = Para("发展党员公示")
    p.t("根据发展党员工作程序，现将拟接收预备党员人选公示如下：")
    for i in range(rnd.randrange(2, 5)):
        n = E.name()
        if i:
            p.t("；")
        p.l("person_name", n).t("，%s，" % E.sex(n)).l("birth_date", "%d年%d月" % (rnd.randrange(1980, 2002), rnd.randrange(1, 13)))
        p.t("出生，大学学历，%s科员" % rnd.choice(["治安支队", "交警支队", "指挥中心"]))
    p.t("。公示期为%d个工作日。" % rnd.choice([5, 7]))
    return p


def commend_table():
    p = Para("拟表彰对象公示")
    p.t("拟表彰对象名单\n姓名\t所在单位\t事迹\n")
    for _ in range(rnd.randrange(3, 7)):
        n = E.name()
        p.l("person_name", n).t("\t%s\t%s\n" % (rnd.choice(["张店区和平街道", "淄川区城东社区", "临淄区辛店街道"]),
                                               rnd.choice(["见义勇为", "拾金不昧", "救助落水群众"])))
    return p


def refund():
    p, n = Para("退款告知书"), E.name()
    p.l("person_name", n).t("：\n    经复核，你缴纳的罚款人民币%d元应予退还，退款将汇入你提供的银行账户" % rnd.choice([200, 500, 1000]))
    p.l("bank_card", E.bank()).t("（户名：").l("person_name", n).t("）。如有疑问请拨打监督电话").l("keep_contact", E.landline("0533")).t("。")
    return p


def minutes():
    p, a, b, c = Para("会议纪要"), E.name(), E.name(), E.name()
    p.t("出席：%s%s" % (rnd.choice(E.BODIES), rnd.choice(E.TITLES))).l("keep_official", a)
    p.t("、%s%s" % (rnd.choice(E.BODIES), rnd.choice(E.TITLES))).l("keep_official", b)
    p.t("。记录：%s" % rnd.choice(["指挥中心", "办公室"])).l("keep_official", c).t("。会议研究了政务公开重点工作。")
    return p


def deputy_reply():
    p, n = Para("建议答复"), E.name()
    p.l("keep_official", n).t("代表：\n    您提出的关于%s的建议收悉，现答复如下。" % rnd.choice(["规范电动自行车停放", "加强校园周边治安", "优化户籍办理流程"]))
    return p


def wanted():
    p, n = Para("协查通报"), E.name()
    p.t("犯罪嫌疑人").l("person_name", n).t("，%s，" % E.sex(n)).l("birth_date", E.birth_text()).t("出生，身份证号").l("id_card", E.id18())
    p.t("，户籍地").l("address", E.address()).t("。如发现其踪迹，请立即拨打110或联系").l("keep_contact", E.landline("0533")).t("。")
    return p


def interp_fresh():
    p = Para("政策解读")
    p.t(rnd.choice([
        "本次修订新增了电子证照互认条款，群众办理户口迁移时可凭电子证照申请，不再提交纸质复印件。",
        "《办法》共五章三十条，自发布之日起三十日后施行，有效期至2030年12月31日。",
        "对申请材料不齐全的，窗口工作人员应当一次性告知需要补正的全部材料，不得要求群众多次往返。",
        "2025年全市共办理居住证12.6万张，其中网上办理占比达到63%，平均办理时限压缩至3个工作日。",
        "万众一心、齐抓共管，各单位要把政务公开作为转变作风的重要抓手，确保向社会公开的信息准确完整。",
    ]))
    return p


TEMPLATES = [(judgment, 4), (certificate, 4), (accident, 4), (lost_found, 3), (party_list, 3),
             (commend_table, 3), (refund, 3), (minutes, 3), (deputy_reply, 2), (wanted, 3), (interp_fresh, 3)]


def main(n=400):
    fns = [f for f, w in TEMPLATES for _ in range(w)]
    for _ in range(n):
        print(json.dumps(rnd.choice(fns)().done(), ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
