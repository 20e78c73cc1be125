#!/usr/bin/env python3
"""Builds eval.jsonl: the de-identification evaluation set (at least 1,000 paragraphs of
government-style text: 通知、决定、处罚决定与公示、双公示、答复书、信访答复、表彰名单、公示名单、
解读、工作动态, with hard negatives), written for Gongkai. Every paragraph is filled from templates
with names, numbers and places drawn from a seeded generator, so the file is reproducible:

    python3 make_eval.py > eval.jsonl

Each line: {"genre", "text", "spans": [{"kind", "start", "end"}]} with code-point offsets.
`kind` is a kind of personal information the scanner must find, or a `keep_*` label for text
that must stay visible (officials in official capacity, published office contacts, the legal
representative in 双公示, agency addresses); `scripts/deid-eval.py` scores both.
Numbers carry valid check characters unless the template says it is a typo.
"""
import json
import random
import sys

rnd = random.Random(20261204)

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚"
            "卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常"
            "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍")
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐"]
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志鹏飞晓东海燕宇婷雪梅琳颖浩宁凯辉波斌"
         "俊峰亮成林欣怡佳慧晨阳思雨子涵梓轩若曦文博天佑春生秋菊冬梅振华德胜长江永福金凤银花小龙玉珍淑珍瑞雪嘉"
         "乐子豪诗琪可馨一鸣承泽昊然家豪紫萱雨桐欣妍晓峰立新卫东红军爱民建军跃进丽君美玲翠兰凤英秀英桂芳玉梅")
FEMALE = set("芳娜敏静丽艳娟秀霞桂英玉兰萍红燕婷雪梅琳颖欣怡慧思雨涵曦菊凤花珍淑琪馨萱桐妍君玲翠")


def given():
    n = rnd.choice([1, 2, 2, 2])
    return "".join(rnd.choice(GIVEN) for _ in range(n))


def name():
    s = rnd.choice(COMPOUND) if rnd.random() < 0.03 else rnd.choice(SURNAMES[:60] if rnd.random() < 0.7 else SURNAMES)
    return s + given()


def sex(n):
    return "女" if n[-1] in FEMALE else "男"


def id18(birth=None, valid=True):
    region = rnd.choice(["370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323",
                         "370911", "110105", "320102", "410102", "130104", "440305", "510107"])
    if birth is None:
        birth = "%04d%02d%02d" % (rnd.randrange(1940, 2008), rnd.randrange(1, 13), rnd.randrange(1, 29))
    first17 = region + birth + "%03d" % rnd.randrange(1000)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * x for c, x in zip(first17, w)) % 11]
    if not valid:
        check = rnd.choice([c for c in "0123456789" if c != check])
    return first17 + check


def luhn(prefix, length, valid=True):
    body = prefix + "".join(rnd.choice("0123456789") for _ in range(length - len(prefix) - 1))
    digits = [int(c) for c in body + "0"]
    for i in range(len(digits) - 2, -1, -2):
        d = digits[i] * 2
        digits[i] = d - 9 if d > 9 else d
    check = (10 - sum(digits) % 10) % 10
    if not valid:
        check = (check + rnd.randrange(1, 10)) % 10
    return body + str(check)


def bank():
    return luhn(rnd.choice(["622202", "621700", "622848", "622588", "621226", "623058", "620522"]),
                rnd.choice([16, 19, 19]))


def mobile():
    return rnd.choice(["130", "131", "133", "135", "136", "138", "139", "150", "152", "155", "158", "166", "173",
                       "177", "180", "186", "187", "189", "191", "199"]) + "%08d" % rnd.randrange(10 ** 8)


def fmt_mobile(m):
    r = rnd.random()
    if r < 0.12:
        return m[:3] + " " + m[3:7] + " " + m[7:]
    if r < 0.2:
        return m[:3] + "-" + m[3:7] + "-" + m[7:]
    return m


def landline(area=None):
    area = area or rnd.choice(["0533", "0531", "010", "021", "0532", "0536"])
    return area + "-" + "%d%07d" % (rnd.randrange(2, 9), rnd.randrange(10 ** 7))


USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(kind="91"):
    first17 = kind + "3703" + "%02d" % rnd.randrange(100) + "MA" + "".join(rnd.choice(USCC[:10] + "ABCDEFGH")
                                                                          for _ in range(7))
    w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    return first17 + USCC[(31 - sum(USCC.index(c) * x for c, x in zip(first17, w)) % 31) % 31]


PROV = "鲁鲁鲁鲁京津沪冀豫苏浙粤川"
PLATE_L = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def plate():
    p = rnd.choice(PROV) + rnd.choice("ABCDEFGH")
    r = rnd.random()
    body = "".join(rnd.choice("0123456789" + PLATE_L) for _ in range(5))
    if r < 0.25:  # new energy: 8 characters
        return p + rnd.choice("DF") + rnd.choice(PLATE_L + "0123456789") + "%04d" % rnd.randrange(10 ** 4)
    if r < 0.35:
        return p + "".join(rnd.choice("0123456789" + PLATE_L) for _ in range(4)) + rnd.choice("学挂警领")
    if r < 0.42:
        return p + "·" + body
    return p + body


DISTRICTS = [("山东省淄博市", "张店区", ["马尚街道", "科苑街道", "和平街道", "车站街道", "湖田街道", "四宝山街道"]),
             ("淄博市", "淄川区", ["般阳路街道", "松龄路街道", "龙泉镇", "寨里镇", "双杨镇"]),
             ("淄博市", "博山区", ["城东街道", "城西街道", "山头街道", "域城镇"]),
             ("淄博市", "周村区", ["丝绸路街道", "青年路街道", "北郊镇", "王村镇"]),
             ("淄博市", "临淄区", ["辛店街道", "稷下街道", "齐都镇", "凤凰镇"]),
             ("", "桓台县", ["索镇街道", "少海街道", "田庄镇", "荆家镇"]),
             ("", "高青县", ["田镇街道", "芦湖街道", "黑里寨镇"])]
ROADS = ["人民西路", "共青团路", "华光路", "金晶大道", "柳泉路", "西五路", "新村西路", "北京路", "齐都路", "丝绸路",
         "西冶街", "中心路", "昌国路", "世纪路", "兴学街", "联通路"]
ESTATES = ["幸福小区", "阳光花园", "金色家园", "华府公寓", "东方新村", "凯瑞苑", "齐盛花园", "御景园", "绿城小区",
           "康平社区"]
VILLAGES = ["东村", "西庄村", "北刘村", "大王村", "小河村", "前进村", "李家村", "马家庄村"]


def address():
    pre, dist, towns = rnd.choice(DISTRICTS)
    town = rnd.choice(towns)
    head = (pre if rnd.random() < 0.5 else "") + dist + town
    r = rnd.random()
    if r < 0.35:
        tail = "%s%d号%d单元%d室" % (rnd.choice(ROADS), rnd.randrange(1, 300), rnd.randrange(1, 6),
                                  rnd.choice([101, 201, 302, 402, 501, 1203, 602]))
    elif r < 0.6:
        tail = "%s%d号楼%d单元%d室" % (rnd.choice(ESTATES), rnd.randrange(1, 40), rnd.randrange(1, 6),
                                    rnd.choice([101, 202, 301, 502, 702]))
    elif r < 0.78:
        tail = "%s%s组%d号" % (rnd.choice(VILLAGES), rnd.choice(["1", "2", "3", "五", "六"]), rnd.randrange(1, 90))
    elif r < 0.9:
        tail = "%s%d号院%d号楼" % (rnd.choice(ROADS), rnd.randrange(1, 200), rnd.randrange(1, 20))
    else:
        tail = "%s%d栋%d室" % (rnd.choice(ESTATES), rnd.randrange(1, 30), rnd.choice([101, 201, 1102]))
    return head + tail


AGENCY_ADDR = ["淄博市张店区人民西路56号", "淄博市张店区金晶大道288号", "淄博市张店区共青团西路96号",
               "淄博市临淄区齐都路6号", "淄博市周村区正阳路99号"]
TITLES = ["局长", "副局长", "政委", "支队长", "副支队长", "大队长", "所长", "主任", "科长", "处长", "书记", "副主任"]
BODIES = ["市公安局", "张店分局", "交警支队", "治安支队", "指挥中心", "市政府", "淄川分局", "出入境管理支队",
          "户政管理处", "法制支队", "网安支队", "经侦支队"]
COMPANIES = ["淄博鑫源化工有限公司", "山东齐鲁建设工程有限公司", "淄博宏达物流有限公司", "张店区惠民超市有限公司",
             "淄博市金泰酒店管理有限公司", "山东瑞丰新材料股份有限公司", "淄博华远汽车销售服务有限公司"]
SHOPS = ["张店区小王烧烤店", "淄川区家和便利店", "博山区老李五金店", "周村区丽人美发店"]
SCHOOLS = ["淄博第一中学", "张店区实验中学", "淄博实验中学", "临淄中学", "博山区第六中学"]
HOSPITALS = ["淄博市中心医院", "张店区人民医院", "淄川区中医院", "马尚卫生院"]


def date(y=None):
    y = y or rnd.randrange(2019, 2027)
    return "%d年%d月%d日" % (y, rnd.randrange(1, 13), rnd.randrange(1, 29))


def birth_text():
    y, m, d = rnd.randrange(1945, 2008), rnd.randrange(1, 13), rnd.randrange(1, 29)
    cn = "〇一二三四五六七八九"
    r = rnd.random()
    if r < 0.35:
        return "%d年%d月%d日" % (y, m, d)
    if r < 0.55:
        return "%d年%d月" % (y, m)
    if r < 0.7:
        return "%d-%02d-%02d" % (y, m, d)
    if r < 0.8:
        return "%02d.%02d.%02d" % (y % 100, m, d)
    if r < 0.9:
        num = lambda n: ("十" if n == 10 else ("十" + cn[n - 10] if n < 20 else cn[n // 10] + "十" + (cn[n % 10] if n % 10 else ""))) if n >= 10 else cn[n]
        return "".join(cn[int(c)] for c in str(y)) + "年" + num(m) + "月" + num(d) + "日"
    return "%d.%d.%d" % (y, m, d)


class Para:
    """A paragraph being written: text pieces and labelled spans."""

    def __init__(self, genre):
        self.genre, self.parts, self.spans, self.n = genre, [], [], 0

    def t(self, s):
        self.parts.append(s)
        self.n += len(s)
        return self

    def l(self, kind, s):
        self.spans.append({"kind": kind, "start": self.n, "end": self.n + len(s)})
        return self.t(s)

    def done(self):
        text = "".join(self.parts)
        for s in self.spans:
            assert 0 <= s["start"] < s["end"] <= len(text)
        return {"genre": self.genre, "text": text, "spans": self.spans}


# ---- templates: each writes one paragraph -----------------------------------------------------

def penalty_person():
    p, n = Para("行政处罚决定书"), name()
    cue = rnd.choice(["违法行为人：", "当事人：", "被处罚人：", "违法行为人", "当事人"])
    p.t(cue).l("person_name", n).t("，%s，" % sex(n))
    if rnd.random() < 0.6:
        b = birth_text()
        p.l("birth_date", b).t("出生，") if rnd.random() < 0.5 else p.t("出生日期：").l("birth_date", b).t("，")
    p.t(rnd.choice(["公民身份号码：", "身份证号码", "身份证号：", "居民身份证号码"])).l("id_card", id18()).t("，")
    p.t(rnd.choice(["住址：", "户籍地：", "现住", "住", "家住"])).l("address", address())
    if rnd.random() < 0.5:
        p.t("，联系电话：").l("phone_mobile", fmt_mobile(mobile()))
    p.t("。")
    return p


def penalty_facts():
    p, a, b = Para("行政处罚决定书"), name(), name()
    p.t("经查，%s%d时许，违法行为人" % (date(), rnd.randrange(1, 24))).l("person_name", a)
    p.t(rnd.choice(["在%s某KTV内殴打他人，致" % rnd.choice(["张店区", "淄川区", "临淄区"]),
                    "因琐事与邻居发生纠纷，将", "在%s附近酒后滋事，将" % rnd.choice(ROADS)]))
    p.l("person_name", b).t(rnd.choice(["轻微伤。", "打伤。", "的车辆损坏。"]))
    p.l("person_name", a).t("的行为违反了《中华人民共和国治安管理处罚法》第%s条之规定。" %
                            rnd.choice(["二十六", "四十三", "四十九", "五十"]))
    return p


def penalty_decision():
    p, n = Para("行政处罚决定书"), name()
    p.t("根据《中华人民共和国治安管理处罚法》第%s条第一款之规定，决定对" % rnd.choice(["二十三", "四十三", "七十"]))
    p.l("person_name", n).t("处以行政拘留%s日并处罚款人民币%d元。" % (rnd.choice(["五", "十", "七"]), rnd.choice([200, 500, 1000])))
    p.t("处罚决定书文号：淄公（%s）行罚决字〔%d〕%d号。" % (rnd.choice("张淄博周临"), rnd.randrange(2019, 2027), rnd.randrange(1, 9999)))
    return p


def traffic():
    p, n, pl = Para("行政处罚决定书"), name(), plate()
    p.t(rnd.choice(["驾驶人", "当事人", "机动车驾驶人"])).l("person_name", n)
    p.t("（驾驶证号").l("id_card", id18()).t("）驾驶").l("plate", pl)
    p.t(rnd.choice(["号小型轿车", "号牌的小型普通客车", "号新能源汽车", "号重型货车"]))
    p.t("，于%s在%s与%s交叉口%s。" % (date(), rnd.choice(ROADS), rnd.choice(ROADS), rnd.choice(["闯红灯", "未按规定让行", "违法停车", "超速行驶"])))
    return p


def double_public_lp():
    p, rep, c = Para("双公示"), name(), rnd.choice(COMPANIES)
    kind = rnd.choice(["行政处罚", "行政许可"])
    p.t("%s决定书文号：淄公%s字〔%d〕%d号；行政相对人名称：%s；统一社会信用代码：%s；法定代表人：" %
        (kind, "罚" if kind == "行政处罚" else "许", rnd.randrange(2020, 2027), rnd.randrange(1, 500), c, uscc()))
    p.l("keep_legal_rep", rep)
    if kind == "行政处罚":
        p.t("；处罚事由：未按规定落实%s；处罚依据：《%s》第%s条；处罚结果：罚款人民币%d元；处罚机关：淄博市公安局%s；处罚日期：%s。" %
            (rnd.choice(["治安保卫制度", "易制毒化学品管理制度", "旅馆业登记制度"]), rnd.choice(["企业事业单位内部治安保卫条例", "易制毒化学品管理条例", "旅馆业治安管理办法"]),
             rnd.choice(["十九", "四十", "十五"]), rnd.choice([2000, 5000, 10000, 20000]), rnd.choice(["张店分局", "治安支队", "临淄分局"]), date()))
    else:
        p.t("；许可内容：%s；许可机关：淄博市公安局；许可决定日期：%s；有效期至：%s。" %
            (rnd.choice(["剧毒化学品购买许可", "大型群众性活动安全许可", "爆破作业单位许可", "保安服务公司设立许可"]), date(), date(2029)))
    return p


def double_public_individual():
    p, n, shop = Para("双公示"), name(), rnd.choice(SHOPS)
    p.t("行政相对人名称：%s；行政相对人类别：个体工商户；统一社会信用代码：" % shop).l("uscc_individual", uscc("92"))
    p.t("；经营者：").l("person_name", n).t("；处罚事由：未按规定登记住宿旅客信息；处罚结果：罚款人民币%d元。" % rnd.choice([500, 1000, 2000]))
    return p


def reply_letter():
    p, n = Para("答复书"), name()
    p.l("person_name", n).t("：\n    本机关于%s收到您通过%s提交的政府信息公开申请，您申请公开“%s”。经审查，现答复如下：" %
                            (date(), rnd.choice(["信函", "网上申请平台", "当面递交", "电子邮件"]),
                             rnd.choice(["2023年张店区电动自行车登记数量", "本人户籍迁移审批材料", "某路段交通事故统计", "2024年度行政处罚案件数量"])))
    p.t(rnd.choice(["该信息属于公开范围，现予提供。", "经检索，本机关未制作、获取该信息。", "该信息属于内部管理信息，不予公开。"]))
    p.t("如有疑问，请与%s联系，联系电话：" % rnd.choice(["市公安局政务公开办公室", "指挥中心", "法制支队"])).l("keep_contact", landline("0533")).t("。")
    return p


def reply_applicant():
    p, n = Para("答复书"), name()
    p.t("申请人：").l("person_name", n).t("，联系电话：").l("phone_mobile", fmt_mobile(mobile()))
    p.t("，通讯地址：").l("address", address())
    if rnd.random() < 0.5:
        em = "%s%d@%s" % (rnd.choice(["zhang", "li", "wang", "liu", "chen", "yang"]), rnd.randrange(1960, 2005), rnd.choice(["163.com", "qq.com", "126.com", "sina.com"]))
        p.t("，电子邮箱：").l("email", em)
    p.t("。")
    return p


def reply_remedy():
    p = Para("答复书")
    p.t("如对本答复不服，可以自收到本答复书之日起60日内向淄博市人民政府申请行政复议，或者自收到本答复书之日起6个月内向%s人民法院提起行政诉讼。" %
        rnd.choice(["张店区", "淄川区", "淄博市中级"]))
    p.t("本机关地址：").l("keep_agency_address", rnd.choice(AGENCY_ADDR)).t("，邮政编码：255000，咨询电话：").l("keep_contact", landline("0533")).t("。")
    return p


def petition():
    p, n, child = Para("信访答复"), name(), None
    p.t(rnd.choice(["信访人", "来信人", "来访人"])).l("person_name", n).t("，身份证号码：").l("id_card", id18()).t("，现住")
    p.l("address", address()).t("，反映其")
    if rnd.random() < 0.5:
        child = n[0] + given()
        p.t(rnd.choice(["子", "女儿", "儿子"])).l("person_name", child).t("户口迁移问题。")
    else:
        p.t("房屋被他人占用问题。")
    p.t("经%s调查核实，现答复如下。" % rnd.choice(["张店分局", "淄川分局", "户政管理处"]))
    return p


def petition_greeting():
    p, n = Para("信访答复"), name()
    p.l("person_name", n).t(rnd.choice(["女士", "先生", ""])).t("：您于%s通过“12345”政务服务便民热线反映的关于%s的问题收悉。" %
                                                              (date(), rnd.choice(["小区噪音扰民", "路口信号灯配时", "电动车充电", "户籍办理"])))
    p.t("经%s%s调查核实，现答复如下。" % (rnd.choice(BODIES), rnd.choice(["治安大队", "派出所", "交警大队"])))
    return p


def officials():
    p, a, b = Para("通知"), name(), name()
    p.t("会议由%s%s" % (rnd.choice(BODIES), rnd.choice(TITLES))).l("keep_official", a).t("主持，")
    p.t("%s%s" % (rnd.choice(BODIES), rnd.choice(TITLES))).l("keep_official", b).t(rnd.choice(["作动员讲话。", "出席会议并讲话。", "通报了上半年工作情况。"]))
    p.t("各分局、局直各单位主要负责同志参加会议。")
    return p


def official_signoff():
    p, a, b = Para("通知"), name(), name()
    p.t("签发人：").l("keep_official", a).t("　　%s%s" % (rnd.choice(BODIES), rnd.choice(TITLES))).l("keep_official", b)
    p.t("同志审核。")
    return p


def notice_contact():
    p = Para("通知")
    p.t("请各单位于%s前将工作总结报送至指挥中心网上公安办公室，电子版发送至zbgaww@zibo.gov.cn。" % date())
    p.t(rnd.choice(["联系电话：", "咨询电话：", "监督电话：", "办公电话："])).l("keep_contact", landline("0533"))
    p.t("；传真：").l("keep_contact", landline("0533")).t("。")
    return p


def service_numbers():
    p = Para("解读")
    p.t("群众如有疑问，可拨打%s政务服务便民热线，或拨打%s的%s" %
        (rnd.choice(["12345", "12389", "12110"]), rnd.choice(BODIES), rnd.choice(["咨询电话", "监督电话", "举报电话", "服务热线"])))
    p.l("keep_contact", landline("0533")).t("，紧急情况请拨打110。")
    return p


def private_landline():
    p, n = Para("答复书"), name()
    p.t("经联系").l("person_name", n).t("本人（%s：" % rnd.choice(["住宅电话", "家庭电话", "联系电话"])).l("phone_landline", landline()).t("），其表示对处理结果满意。")
    return p


def commendation():
    p = Para("表彰名单")
    k = rnd.randrange(3, 9)
    p.t(rnd.choice(["经研究，决定授予", "市见义勇为基金会决定授予", "现对以下同志予以通报表扬："]))
    names = [name() for _ in range(k)]
    for i, n in enumerate(names):
        if i:
            p.t("、")
        p.l("person_name", n)
    p.t("等%d人“%s”称号。" % (k, rnd.choice(["见义勇为先进个人", "优秀志愿者", "平安建设先进个人", "优秀网格员"])))
    return p


def list_table():
    p = Para("公示名单")
    kind = rnd.choice(["中考加分", "体检合格", "低保", "捐款", "拟录用"])
    p.t("%s人员名单公示\n序号\t姓名\t性别\t%s\n" % (kind, {"中考加分": "毕业学校", "体检合格": "报考岗位", "低保": "所在村居", "捐款": "金额", "拟录用": "毕业院校"}[kind]))
    for i in range(rnd.randrange(3, 10)):
        n = name()
        shown = n
        if len(n) == 2 and rnd.random() < 0.3:
            shown = n[0] + "　" + n[1]
        p.t("%d\t" % (i + 1)).l("person_name", shown).t("\t%s\t" % sex(n))
        p.t({"中考加分": rnd.choice(SCHOOLS), "体检合格": rnd.choice(["交警支队辅警", "特警支队辅警", "文职人员"]),
             "低保": rnd.choice(VILLAGES), "捐款": "%d元" % rnd.choice([100, 200, 500, 1000]),
             "拟录用": rnd.choice(["山东警察学院", "山东大学", "青岛大学"])}[kind] + "\n")
    return p


def household_list():
    p = Para("公示名单")
    a, b = name(), None
    b, c = a[0] + given(), a[0] + given()
    p.t("经村民代表会议评议，").l("person_name", a).t("、").l("person_name", b).t("及").l("person_name", c)
    p.t("等三户符合%s条件，现予公示，公示期%d天。" % (rnd.choice(["最低生活保障", "危房改造补助", "临时救助"]), rnd.choice([5, 7])))
    return p


def donors():
    p = Para("公示名单")
    p.t("爱心捐款名单：")
    for i in range(rnd.randrange(3, 7)):
        if i:
            p.t("；")
        p.l("person_name", name()).t(" %d元" % rnd.choice([50, 100, 200, 300, 500, 1000]))
    p.t("。")
    return p


def news():
    p, n = Para("工作动态"), name()
    org = rnd.choice(["清华大学公共管理学院", "山东大学法学院", "市社会科学院", "山东理工大学", "市律师协会"])
    role = rnd.choice(["教授", "副教授", "研究员", "律师", "博士"])
    p.t("%s，" % date()).t("%s%s" % (org, role)).l("person_name", n)
    p.t(rnd.choice(["应邀为全市公安机关政务公开工作人员作专题辅导。", "在座谈会上介绍了个人信息保护的经验。",
                    "对《条例》修订后的新要求进行了解读。"]))
    return p


def news2():
    p, n = Para("工作动态"), name()
    p.t(rnd.choice(["全国三八红旗手", "全国射击冠军", "市劳动模范", "退休教师", "返乡大学生", "快递员"]))
    p.l("person_name", n).t(rnd.choice(["也出席了发布会。", "讲述了自己参与社区治理的故事。", "当天为群众义务服务。",
                                        "在接受采访时表示，将继续做好本职工作。"]))
    return p


def news3():
    p, a, b = Para("工作动态"), name(), name()
    p.t("近日，%s民警在巡逻中发现一名走失老人，经多方查找，联系上其家属" % rnd.choice(["车站派出所", "和平派出所", "湖田派出所"]))
    p.l("person_name", a).t("。").l("person_name", a).t("说：“多亏了").l("keep_official", b).t("警官，老人才能平安回家。”")
    return p


def interp_negative():
    p = Para("解读")
    p.t(rnd.choice([
        "《中华人民共和国个人信息保护法》自2021年11月1日起施行，明确了处理个人信息应当遵循合法、正当、必要和诚信原则。",
        "本办法自%s起施行，有效期5年。《淄博市公安局政府信息公开工作规范》（淄公发〔2019〕5号）同时废止。" % date(),
        "该协定于%s生效，双方应于生效之日起三十日内完成备案。" % date(),
        "申请材料齐全、符合法定形式的，应当当场受理；材料不齐全的，一次性告知需要补正的全部内容。",
        "2023年，全市公安机关共受理群众来电13620件，办结率100%%，投入资金%d.%d万元，新建高清监控点位1200个。" % (rnd.randrange(100, 999), rnd.randrange(10)),
        "向原告送达的文书应当载明权利义务，原告对被告的答辩意见有异议的，可以在十日内提出。",
        "各单位要严格落实勾稽关系核对，确保统计数据真实准确，严禁弄虚作假。",
        "市公安局联合%s、%s开展专项行动，检查%s%d家。" % (rnd.choice(HOSPITALS), rnd.choice(SCHOOLS), rnd.choice(["旅馆", "网吧", "寄递企业"]), rnd.randrange(10, 300)),
        "万元以上的项目应当经集体研究决定，齐全的档案材料应当在结案后30日内归档。",
        "示例：联系电话0000-00000000，身份证号000000000000000000，仅为格式示范，请勿拨打。",
        "政策文件与解读材料应当同步组织、同步审签、同步部署，解读材料应当在文件公开后3个工作日内发布。",
        "张店区、淄川区、博山区、周村区、临淄区公安分局要结合实际制定实施方案，于6月底前报市局。",
    ]))
    return p


def agency_address():
    p = Para("通知")
    p.t("办理地点：%s（%s），办公时间：工作日上午9:00至12:00。" % (rnd.choice(["市公安局出入境接待大厅", "张店分局户政窗口", "交警支队车管所"]), ""))
    p.parts[-1] = p.parts[-1].replace("（）", "")
    p.n = sum(len(x) for x in p.parts)
    p.t("地址：").l("keep_agency_address", rnd.choice(AGENCY_ADDR)).t("。")
    return p


def typos():
    p, n = Para("行政处罚决定书"), name()
    r = rnd.random()
    p.t("当事人").l("person_name", n).t("，")
    if r < 0.3:
        p.t(rnd.choice(["身份证号", "身份证号码", "公民身份号码"])).l("id_card", id18(valid=False))
    elif r < 0.45:
        bad = id18()
        p.t("身份证号码").l("id_card", bad[:10] + rnd.choice("0123456789") + bad[10:])
    elif r < 0.7:
        p.t(rnd.choice(["银行账号", "账号", "银行卡号"])).l("bank_card", luhn("622202", 19, valid=False))
    else:
        m = mobile()
        m = m + rnd.choice("0123456789") if rnd.random() < 0.5 else m[:-1]
        p.t(rnd.choice(["手机", "手机号码", "联系电话"])).l("phone_mobile", m)
    p.t("，因%s被立案调查。" % rnd.choice(["赌博", "盗窃", "非法营运"]))
    return p


def alias():
    p, n, a = Para("行政处罚决定书"), name(), name()
    p.t("违法嫌疑人").l("person_name", n).t("（曾用名").l("person_name", a).t("），%s，" % sex(n))
    p.l("birth_date", birth_text()).t("出生，户籍地").l("address", address()).t("。")
    return p


def misc_ids():
    p, n = Para("警情通报"), name()
    r = rnd.random()
    p.t("嫌疑人").l("person_name", n)
    if r < 0.3:
        p.t("使用的微信号为").l("wechat", rnd.choice(["wx", "lz", "abc", "zb"]) + "_%d" % rnd.randrange(1000, 99999))
        p.t("，QQ号").l("qq", str(rnd.randrange(10 ** 7, 10 ** 10)))
    elif r < 0.6:
        p.t("持护照（号码").l("passport", "E" + rnd.choice("ABCDEFGH") + "%07d" % rnd.randrange(10 ** 7)).t("）出境")
    else:
        p.t("向其账户").l("bank_card", bank()).t("转账%d元" % rnd.randrange(1000, 90000))
    p.t("，手机").l("phone_mobile", fmt_mobile(mobile())).t("已停机。")
    return p


def ip_email():
    p = Para("警情通报")
    ip = "%d.%d.%d.%d" % (rnd.randrange(1, 223), rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
    p.t("经查，嫌疑人使用的IP地址为").l("ip_address", ip).t("，注册邮箱为")
    p.l("email", "%s%d@%s" % (rnd.choice(["hz", "zb", "abc", "king"]), rnd.randrange(100, 9999), rnd.choice(["163.com", "qq.com", "gmail.com"])))
    p.t("，相关日志已依法调取。")
    return p


def alert():
    p, a = Para("警情通报"), name()
    p.t("%s，%s发生一起电信网络诈骗案件，受害人%s某被骗人民币%d万元。" % (date(), rnd.choice(["张店区", "淄川区"]), rnd.choice(SURNAMES), rnd.randrange(1, 30)))
    p.t("经侦查，犯罪嫌疑人").l("person_name", a).t("（%s，%d岁）已于%d月%d日被抓获。" % (sex(a), rnd.randrange(18, 60), rnd.randrange(1, 13), rnd.randrange(1, 29)))
    return p


def plate_neg():
    p = Para("通知")
    p.t("根据《机动车登记规定》，号牌号码由发牌机关代号和序号组成，新能源汽车号牌序号为6位。本次采购执法车辆%d辆，预算%d万元。" %
        (rnd.randrange(2, 30), rnd.randrange(50, 800)))
    return p


def decision():
    p = Para("决定")
    p.t("为规范政府信息公开工作，%s决定：自%s起，" % (rnd.choice(["市公安局", "指挥中心"]), date()))
    p.t("对%s类信息实行%s，由%s负责组织实施，%s配合。" % (rnd.choice(["行政许可", "行政处罚", "财政预决算"]), rnd.choice(["实时更新", "定期更新"]),
                                                 rnd.choice(BODIES), rnd.choice(BODIES)))
    return p


def mixed_person_official():
    p, a, b = Para("信访答复"), name(), name()
    p.t("您反映的问题已由%s办理，办理人员：%s%s " % (rnd.choice(BODIES), rnd.choice(BODIES), rnd.choice(["户政科", "秩序科", "综合科"])))
    p.l("keep_official", a).t("，办公电话").l("keep_contact", landline("0533")).t("。来信人").l("person_name", b).t("对办理结果表示满意。")
    return p


TEMPLATES = [
    (penalty_person, 8), (penalty_facts, 5), (penalty_decision, 4), (traffic, 5), (double_public_lp, 6),
    (double_public_individual, 3), (reply_letter, 5), (reply_applicant, 5), (reply_remedy, 3), (petition, 5),
    (petition_greeting, 4), (officials, 5), (official_signoff, 2), (notice_contact, 4), (service_numbers, 3),
    (private_landline, 3), (commendation, 5), (list_table, 5), (household_list, 3), (donors, 3), (news, 4),
    (news2, 4), (news3, 3), (interp_negative, 8), (agency_address, 3), (typos, 5), (alias, 3), (misc_ids, 4),
    (ip_email, 2), (alert, 4), (plate_neg, 2), (decision, 3), (mixed_person_official, 3),
]


def main(n=1200):
    fns = [f for f, w in TEMPLATES for _ in range(w)]
    for _ in range(n):
        print(json.dumps(rnd.choice(fns)().done(), ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1200)
