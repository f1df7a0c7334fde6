"""Demo services of the demo agency, built through the real lifecycle.

Every service is registered in S1 by a Service User and walked through the real
gates: work items by the responsible Service User, approvals by a Service
Manager who did none of the work ("not by the doer"), the client's plan
confirmation, acceptance signature or objection, return visit and feedback —
all with the models' own methods, acting ``with_user()`` as the demo staff and
the demo clients' portal users. Nothing here bypasses a rule of the models.

The one liberty taken is time. The models stamp every step with "now", so a
freshly installed demo would have a whole year happen within one second. To
give the dashboards a history, each step is given the moment it "happened"
(January to November 2026) and, once all services are built, those moments are
written back with plain SQL UPDATEs over the system timestamps (received <
first response < gate passages < acceptance < return visit), and the stored
values computed from them (stage deadlines, acceptance facts) are recomputed.
This backdating is done here, in the demo loader only, and nowhere else.

The calendar of the story is anchored on 2026-11-24; installed on a later (or
earlier) date, the whole story moves by whole weeks so that it always ends
"yesterday" and keeps its shape: one service late in its stage, the others on
time.
"""

import base64
import io
import math
import zlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..lib.stages import OPEN_STAGES
from ..models.core.res_company import in_agency_language

TZ = ZoneInfo("Asia/Shanghai")


ANCHOR = date(2026, 11, 24)


MODULE = "tech_service_quality"


# The first service of the story: if it exists, the demo has been loaded.
MARKER = "2026 年度高新技术企业认定申报辅导"


# Evidence files for the document items of the gate checklists.
EVIDENCE_FILES = {
    "Signed contract archived": "技术服务合同（双方盖章）扫描件.pdf",
    "Power of attorney signed by the client": "专利代理委托书（客户签章）.pdf",
    "Technology contract registered (技术合同登记)": "技术合同认定登记证明.pdf",
    "Current-state diagnosis report attached": "现状诊断报告.pdf",
    "Incubation entry assessment attached": "入孵评估表.pdf",
    "Policy applicability analysis attached": "政策适用性分析.pdf",
    "Service file archived (all records of the six stages)": "服务档案目录（六阶段记录）.pdf",
}


# A blank one-page PDF, the body of every demo file.
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# ---------------------------------------------------------------------------
# The story. Dates are local (Asia/Shanghai) dates of 2026; ``gaps`` are the
# working days spent in S1, S2, S3, S4 and between submission and decision.
# Milestones and progress reports are placed in working days after the
# contract (S3 gate); a milestone reached after its planned day is late.
# ---------------------------------------------------------------------------
SERVICES = [
    # ------------------------------------------------------------ closed
    {
        "name": MARKER,
        "category": "policy",
        "client": "contact_huiyan_zhou_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "done",
        "received": "2026-01-08 09:20",
        "channel": "visit",
        "response_minutes": 40,
        "gaps": (2, 5, 4, 32, 2),
        "summary": "客户总经理来访：企业拟于 2026 年申报国家高新技术企业，希望对研发费用归集、"
        "知识产权和科技成果转化等指标做一次诊断，并由我方全程辅导申报。",
        "response": "当面接待并登记需求，约定两个工作日内给出指标诊断初步意见。",
        "needs": "<p>企业 2025 年销售收入约 1.2 亿元，研发人员 36 人，已授权发明专利 2 件、"
        "实用新型专利 14 件。</p><p>主要短板：研发费用辅助账不规范；近三年科技成果转化"
        "证明材料不完整；研发组织管理制度未成文。</p>",
        "feasibility": "属于本机构科技政策咨询主营业务，团队近三年辅导高企认定 40 余家，"
        "企业指标整改后可满足认定条件，同意承接。",
        "plan": {
            "objectives": "完成高新技术企业认定申报材料编制并按期网上提交，力争一次通过认定。",
            "scope": "指标诊断；研发项目立项梳理；研发费用辅助账整改与专项审计对接；"
            "知识产权与成果转化材料整理；申报书编制与网上填报；专家评审答辩辅导。",
            "content": "<ol><li>指标诊断与差距分析（2 周）</li><li>研发辅助账整改、"
            "专项审计对接（4 周）</li><li>申报书编制、网上填报与答辩辅导（2 周）</li></ol>",
            "deliverables": "高企认定指标诊断报告；高企认定申报书及附件（电子版、纸质版各一套）；"
            "答辩辅导纪要",
            "fee": 38000,
            "risks": "研发费用占销售收入比例接近 3% 的临界值；专项审计报告出具时间受会计师"
            "事务所排期影响。",
        },
        "milestones": [
            ("指标诊断报告提交客户", 8, 7),
            ("研发费用专项审计报告取得", 22, 24),
            ("申报材料网上提交", 30, 30),
        ],
        "reports": [
            (
                12,
                "<p>已完成 2023–2025 年研发项目立项资料梳理，共整理 RD01–RD09 九个项目；"
                "研发辅助账整改完成约 80%。</p>",
            ),
            (
                26,
                "<p>专项审计报告已出具，近三年研发费用占比 3.4%，满足认定条件；申报书初稿"
                "已发客户审阅。</p>",
            ),
        ],
        "contract": ("HT-2026-001", 34),
        "deliverables": [
            ("高新技术企业认定指标诊断报告", "含 6 项指标的差距分析与整改建议"),
            ("高企认定申报书及附件", "网上填报版与纸质装订版各一套"),
        ],
        "acceptance": [{"accept": "portal"}],
        "visit": ("5", "辅导过程专业，材料准备细致，申报材料已按期提交，期待认定结果。", "phone"),
    },
    {
        "name": "发明专利申请代理：一种滚珠丝杠副预紧力自适应调节装置",
        "category": "ip",
        "client": "contact_huiyan_sun_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "done",
        "received": "2026-01-20 14:10",
        "channel": "email",
        "response_minutes": 95,
        "gaps": (1, 4, 3, 18, 3),
        "summary": "客户技术部来函：新研发的滚珠丝杠副预紧力自适应调节结构拟申请发明专利，"
        "希望先做查新检索，再委托撰写与申请。",
        "response": "邮件回复已收到技术交底书，安排专利代理师张伟对接，两个工作日内完成初步检索。",
        "needs": "<p>技术方案：通过碟簧组与温度补偿套筒实现预紧力随温升自适应调节，解决高速"
        "工况下预紧力衰减问题。</p><p>客户需求：查新检索、发明专利撰写与提交，同步布局"
        "一件实用新型。</p>",
        "feasibility": "技术领域为机械传动，本部门有对口专利代理师；初检未发现影响新颖性的"
        "对比文件，可以承接。",
        "plan": {
            "objectives": "提交一件发明专利申请和一件实用新型专利申请，取得受理通知书。",
            "scope": "专利检索与可专利性分析、权利要求布局、说明书撰写、附图绘制、提交申请、"
            "答复补正通知。",
            "content": "<ul><li>检索报告（5 个工作日）</li><li>申请文件撰写与客户确认"
            "（10 个工作日）</li><li>电子提交与受理跟踪</li></ul>",
            "deliverables": "专利检索报告；发明及实用新型申请文件定稿；受理通知书",
            "fee": 12800,
            "risks": "实质审查阶段可能需要修改权利要求；审查周期约 18–24 个月。",
        },
        "milestones": [
            ("检索报告提交", 5, 5),
            ("申请文件定稿", 15, 15),
            ("取得受理通知书", 18, 18),
        ],
        "reports": [
            (7, "<p>检索报告已提交：检索到 3 篇相关文献，均未公开温度补偿套筒结构。</p>"),
        ],
        "contract": ("HT-2026-004", 20),
        "deliverables": [
            ("专利检索报告", "中英文数据库检索，附对比文件分析"),
            ("发明专利申请文件及受理通知书", "申请号 2026100XXXXXX.X"),
        ],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("4", "撰写质量不错，沟通及时；希望后续答复审查意见时费用更透明。", "phone"),
    },
    {
        "name": "石墨烯导热膜制备技术成果转化对接",
        "category": "transfer",
        "client": "contact_najing_wu_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "chen_jing",
        "stage": "done",
        "received": "2026-02-25 10:30",
        "channel": "portal",
        "response_minutes": 70,
        "gaps": (2, 6, 5, 28, 2),
        "summary": "客户希望引进高校的石墨烯导热膜连续化制备技术，请我方寻找技术来源、"
        "评估技术成熟度并撮合许可谈判。",
        "response": "电话回复吴总，说明技术转移服务流程，约定次日上门了解产线条件。",
        "needs": "<p>客户现有涂布产线两条，目标产品为厚度 25–50 μm、面内导热系数 ≥1500 W/(m·K)"
        "的导热膜。</p><p>需求：技术来源筛选、技术成熟度（TRL）评估、许可方式与价格谈判支持。</p>",
        "feasibility": "我方与三所高校技术转移中心有合作，已有 2 个匹配成果，可以承接。",
        "plan": {
            "objectives": "促成一项导热膜制备技术的普通许可，签订技术许可合同并完成技术合同登记。",
            "scope": "技术来源筛选、尽职调查、TRL 评估、许可方案设计、谈判撮合、合同登记协助。",
            "content": "<ol><li>筛选并推荐 2–3 个技术来源</li><li>技术尽调与 TRL 评估</li>"
            "<li>许可条件谈判与合同起草</li></ol>",
            "deliverables": "技术来源评估报告；技术许可合同（定稿）；技术合同登记证明",
            "fee": 60000,
            "risks": "高校审批流程较长；中试放大存在良率不确定性。",
        },
        "milestones": [
            ("技术来源评估报告", 10, 9),
            ("许可条件达成一致", 22, 25),
            ("许可合同签订", 27, 27),
        ],
        "reports": [
            (10, "<p>推荐 2 个技术来源（某大学材料学院、某研究院），TRL 分别为 6 和 5。</p>"),
            (20, "<p>许可费用谈判进入第二轮：入门费 80 万元 + 销售额 3% 提成。</p>"),
        ],
        "changes": [
            {
                "offset": 18,
                "name": "许可谈判延期两周",
                "description": "高校技术转移中心需上会审批许可条件，客户同意谈判节点顺延两周。",
                "impact": "schedule",
                "requested_by": "agency",
                "settle": "consented",
            }
        ],
        "contract": ("HT-2026-009", 32),
        "deliverables": [
            ("技术来源评估报告", "含 TRL 评估与风险提示"),
            ("技术许可合同（定稿）及登记证明", ""),
        ],
        "acceptance": [{"accept": "portal"}],
        "visit": ("5", "撮合效率高，谈判中帮我们守住了提成比例，非常满意。", "portal"),
    },
    {
        "name": "储能电池模组安全性能第三方检测（GB/T 36276）",
        "category": "tic",
        "client": "contact_lvneng_he_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "zhao_min",
        "stage": "done",
        "received": "2026-03-10 08:45",
        "channel": "phone",
        "response_minutes": 35,
        "gaps": (1, 3, 2, 15, 2),
        "summary": "客户来电：280Ah 磷酸铁锂储能电池模组需按 GB/T 36276 做安全性能检测，"
        "用于储能项目投标。",
        "response": "电话确认检测标准与样品数量，发送送样须知和检测委托单。",
        "needs": "<p>检测对象：1P52S 储能电池模组 3 组。</p><p>检测项目：过充、过放、短路、"
        "挤压、跌落、热失控扩散等 12 项；需要 CMA/CNAS 报告。</p>",
        "feasibility": "合作实验室具备 GB/T 36276 的 CNAS 资质和热失控测试舱，排期可满足，同意承接。",
        "plan": {
            "objectives": "按 GB/T 36276 完成 12 项安全性能检测并出具带 CMA/CNAS 标识的检测报告。",
            "scope": "检测方案、样品接收、检测实施、报告编制与寄送。",
            "content": "<p>样品到达后 15 个工作日内完成全部检测项目并出具报告。</p>",
            "deliverables": "检测方案；检测报告（CMA/CNAS）",
            "fee": 86000,
            "risks": "热失控扩散试验为破坏性试验，如不合格需补样重测。",
        },
        "milestones": [("样品接收与状态确认", 2, 2), ("全部检测项目完成", 12, 13)],
        "reports": [(7, "<p>已完成过充、过放、短路、挤压 4 项，结果均符合要求。</p>")],
        "contract": ("HT-2026-012", 31),
        "deliverables": [("储能电池模组安全性能检测报告", "报告编号 TSQ-TR-2603-017")],
        "acceptance": [
            {
                "object": "检测报告第 5 页热失控扩散试验的样品编号与送样单不一致，"
                "且未注明试验环境温度。",
                "outcome": "核实为报告录入错误：已更正样品编号并补充环境温度 25±2 ℃，"
                "出具报告修订版，原报告作废收回。",
                "revision": ("储能电池模组安全性能检测报告（修订版）", "报告编号 TSQ-TR-2603-017A"),
            },
            {"accept": "portal"},
        ],
        "visit": ("3", "检测结果没问题，但第一版报告有录入错误，耽误了我们投标文件准备。", "phone"),
    },
    {
        "name": "工业物联网网关外壳结构与散热设计",
        "category": "rnd",
        "client": "contact_zhilian_gao_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "chen_jing",
        "stage": "done",
        "received": "2026-04-02 10:15",
        "channel": "email",
        # answered after 29 hours: the committed 24 hours were missed
        "response_minutes": 29 * 60 + 5,
        "gaps": (2, 6, 3, 30, 3),
        "summary": "客户新一代边缘网关功耗提高到 35 W，现有外壳温升超标，委托做结构与散热"
        "设计并出具仿真报告。",
        "response": "邮件回复：清明假期前后人员紧张，致歉回复延迟；已安排结构工程师对接。",
        "needs": "<p>约束：IP65 防护、无风扇被动散热、环境温度 -20～60 ℃、壳体温升 ≤25 K。</p>"
        "<p>需求：外壳结构设计、热仿真、样机试制配合与温升测试。</p>",
        "feasibility": "合作设计院有同类户外设备散热设计经验，需求明确，同意承接。",
        "plan": {
            "objectives": "完成网关外壳结构与被动散热设计，样机温升测试 ≤25 K。",
            "scope": "方案设计、热仿真、结构详细设计、样机试制配合、温升测试。",
            "content": "<ol><li>方案设计与热仿真</li><li>详细设计与设计评审</li>"
            "<li>样机试制与温升测试</li></ol>",
            "deliverables": "热仿真报告；三维模型与二维工程图；样机温升测试报告",
            "fee": 150000,
            "risks": "压铸模具周期可能影响样机进度；实测与仿真存在偏差。",
        },
        "milestones": [
            ("方案设计与热仿真完成", 10, 10),
            ("详细设计评审通过", 20, 21),
            ("样机温升测试完成", 29, 29),
        ],
        "reports": [
            (10, "<p>热仿真：60 ℃ 环境下壳体最高温升 21.6 K，满足要求。</p>"),
            (24, "<p>样机压铸件已到货，开始组装与温升测试。</p>"),
        ],
        "contract": ("HT-2026-018", 45),
        "deliverables": [
            ("热仿真报告", "含三种工况仿真结果"),
            ("三维模型与二维工程图", "STEP 与 PDF 格式"),
            ("样机温升测试报告", ""),
        ],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("4", "设计达到指标；样机阶段沟通可以更主动一些。", "visit"),
    },
    {
        "name": "注塑车间数字化诊断与 MES 实施规划",
        "category": "digital",
        "client": "contact_yongda_chen_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "done",
        "received": "2026-05-06 13:40",
        "channel": "referral",
        "response_minutes": 120,
        "gaps": (2, 7, 4, 25, 2),
        "summary": "经区经信局推荐：客户拟申报数字化车间，需要先做数字化现状诊断，"
        "并编制 MES 实施规划。",
        "response": "电话联系陈主管，约定下周到厂调研，发送调研清单。",
        "needs": "<p>注塑机 46 台（海天、恩格尔），无设备联网；生产计划靠 Excel，质量追溯"
        "依赖纸质单据。</p><p>需求：数字化成熟度诊断、MES 功能规划与选型建议、"
        "投资估算。</p>",
        "feasibility": "属于本机构数字化转型咨询业务，已服务同类模具企业 5 家，同意承接。",
        "plan": {
            "objectives": "完成数字化成熟度诊断和 MES 实施规划，支撑客户申报市级数字化车间。",
            "scope": "现场调研、成熟度评估、业务蓝图、MES 功能规划、选型建议、投资估算。",
            "content": "<ul><li>现场调研与访谈（5 天）</li><li>诊断报告</li>"
            "<li>MES 实施规划与路线图</li></ul>",
            "deliverables": "数字化成熟度诊断报告；MES 实施规划书；供应商短名单",
            "fee": 98000,
            "risks": "客户 IT 人员不足，后续实施需外部支持。",
        },
        "milestones": [("现场调研完成", 6, 6), ("诊断报告评审", 15, 15), ("实施规划定稿", 24, 24)],
        "reports": [(8, "<p>现场调研完成，访谈 14 人，采集 46 台设备台账。</p>")],
        "contract": ("HT-2026-023", 30),
        "deliverables": [
            ("数字化成熟度诊断报告", "按 GB/T 39116 成熟度模型评估"),
            ("MES 实施规划书", "含三年路线图与投资估算"),
        ],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("5", "报告很实用，已据此启动 MES 招标。", "phone"),
    },
    {
        "name": "知识产权质押融资对接（授信 2000 万元）",
        "category": "financing",
        "client": "contact_qiming_guo_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "zhao_min",
        "stage": "done",
        "received": "2026-06-15 09:05",
        "channel": "phone",
        "response_minutes": 55,
        "gaps": (2, 5, 3, 20, 3),
        "summary": "客户希望以 6 件发明专利质押，向银行申请 2000 万元知识产权质押贷款，"
        "用于临床前研究。",
        "response": "电话回复郭秘书，说明质押融资流程，请其提供专利清单与近两年财报。",
        "needs": "<p>质押物：6 件已授权发明专利（化合物及制备方法）。</p><p>需求：专利价值"
        "评估机构对接、银行对接与方案设计、贴息政策申报。</p>",
        "feasibility": "与 3 家合作银行有知识产权质押产品，专利权属清晰，同意承接。",
        "plan": {
            "objectives": "协助客户取得 2000 万元知识产权质押授信并申报贷款贴息。",
            "scope": "专利价值评估对接、银行方案比选、授信材料准备、质押登记协助、贴息申报。",
            "content": "<ol><li>评估机构与银行对接</li><li>授信材料准备与尽调配合</li>"
            "<li>质押登记与放款跟踪</li></ol>",
            "deliverables": "融资方案比选报告；授信申报材料；质押登记通知书（复印件）",
            "fee": 80000,
            "risks": "银行授信审批结果不确定；评估值可能低于预期。",
        },
        "milestones": [("专利价值评估报告出具", 9, 9), ("银行授信批复", 18, 18)],
        "reports": [(9, "<p>专利评估值 3650 万元；两家银行已出具意向方案。</p>")],
        "contract": ("HT-2026-031", 42),
        "deliverables": [
            ("融资方案比选报告", ""),
            ("授信申报材料与质押登记通知书", ""),
        ],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("5", "授信批复比预期快两周，贴息也已申报。", "phone"),
    },
    {
        "name": "创业团队入孵辅导与天使轮商业计划书打磨",
        "category": "incubation",
        "client": "contact_yunheng_lin_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "done",
        "received": "2026-03-02 15:20",
        "channel": "visit",
        "response_minutes": 30,
        "gaps": (2, 4, 2, 26, 2),
        "summary": "团队创始人来访：拟入驻孵化器，需要入孵辅导，并打磨天使轮商业计划书、"
        "对接早期投资人。",
        "response": "当面接待，介绍入孵条件与辅导内容，发放入孵申请表。",
        "needs": "<p>团队 7 人，产品为工业数据治理 SaaS，已有 2 家试点客户。</p><p>需求："
        "入孵评估、商业计划书打磨、路演辅导与投资人对接。</p>",
        "feasibility": "团队技术背景强、方向符合孵化器定位，入孵评估合格，同意承接。",
        "plan": {
            "objectives": "完成入孵手续，商业计划书定稿并完成 2 场投资人路演。",
            "scope": "入孵评估、工位与政策对接、商业计划书辅导、路演辅导、投资人对接。",
            "content": "<ul><li>入孵手续与政策对接</li><li>商业计划书三轮打磨</li>"
            "<li>路演辅导与投资人对接</li></ul>",
            "deliverables": "入孵协议；商业计划书（定稿）；路演记录与投资人反馈汇总",
            "fee": 20000,
            "risks": "融资结果取决于市场与投资人判断，不作承诺。",
        },
        "milestones": [
            ("入孵手续完成", 3, 3),
            ("商业计划书定稿", 15, 16),
            ("完成两场路演", 25, 25),
        ],
        "reports": [(12, "<p>商业计划书第二稿完成，市场规模测算已按行业数据修订。</p>")],
        "contract": ("HT-2026-007", 40),
        "deliverables": [
            ("商业计划书（定稿）", ""),
            ("路演记录与投资人反馈汇总", "对接投资机构 6 家"),
        ],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("4", "辅导很有帮助，已有一家机构在做尽调。", "visit"),
    },
    {
        "name": "集成电路布图设计专有权登记（HY-PMU-2608 电源管理芯片）",
        "category": "ip",
        "client": "contact_huayue_shen_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "done",
        "received": "2026-08-20 11:00",
        "channel": "email",
        "response_minutes": 65,
        "gaps": (2, 5, 4, 16, 3),
        "summary": "客户法务来函：新流片的电源管理芯片 HY-PMU-2608 需在首次商业利用后两年内"
        "完成布图设计登记。",
        "response": "邮件回复沈主管，列出登记所需的复制件、样品与首次商业利用证明。",
        "needs": "<p>布图设计已于 2026 年 6 月首次商业利用。</p><p>需求：登记申请文件准备、"
        "图样脱密处理建议、提交与补正跟踪。</p>",
        "feasibility": "本部门有集成电路布图设计登记经验，时间窗口充足，同意承接。",
        "plan": {
            "objectives": "提交布图设计登记申请并取得登记证书。",
            "scope": "材料清单、图样准备与脱密建议、申请表填写、提交、补正答复。",
            "content": "<p>10 个工作日内完成材料准备并提交；跟踪至发证。</p>",
            "deliverables": "登记申请文件；布图设计登记证书",
            "fee": 9800,
            "risks": "图样分层不清可能被要求补正。",
        },
        "milestones": [("申请文件提交", 6, 6), ("取得登记证书", 15, 15)],
        "reports": [(7, "<p>申请已提交并受理，受理号 BS.26500XXXX.X。</p>")],
        "contract": ("HT-2026-052", 60),
        "deliverables": [("布图设计登记证书（扫描件）", "")],
        "acceptance": [{"accept": "recorded"}],
        "visit": ("5", "办理顺利，后续的专利布局也想请你们做。", "phone"),
    },
    # ------------------------------------------------- declined, cancelled
    {
        "name": "美国 ITC 337 调查应诉代理咨询",
        "category": "ip",
        "client": "contact_huayue_shen_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "declined",
        "received": "2026-03-18 16:30",
        "channel": "phone",
        "response_minutes": 50,
        "gaps": (1,),
        "summary": "客户来电：收到美国 ITC 337 调查立案通知，希望我方代理应诉。",
        "response": "电话说明我方业务范围，承诺次日给出是否承接的书面意见。",
        "needs": "<p>涉外知识产权诉讼，需美国执业律师出庭应诉，时限紧（20 天内答辩）。</p>",
        "decline": "超出本机构服务范围与执业资质（涉外诉讼代理需美国执业律师）；"
        "已向客户推荐两家具备资质的律师事务所，并提供国内证据整理方面的配合。",
    },
    {
        "name": "数据治理平台原型联合开发",
        "category": "rnd",
        "client": "contact_yunheng_lin_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "chen_jing",
        "stage": "cancelled",
        "cancel_in": "s3",
        "received": "2026-06-08 10:00",
        "channel": "visit",
        "response_minutes": 45,
        "gaps": (2, 6, 4),
        "summary": "客户希望与高校实验室联合开发数据治理平台原型，由我方组织研发资源并管理项目。",
        "response": "当面沟通研发目标，约定一周内提交研发方案。",
        "needs": "<p>原型范围：元数据采集、数据质量规则引擎、血缘分析。</p>",
        "feasibility": "合作高校实验室有对口研究方向，需求可以分解，同意承接。",
        "plan": {
            "objectives": "三个月内交付可演示的数据治理平台原型。",
            "scope": "需求细化、架构设计、原型开发与演示。",
            "content": "<p>双周迭代，共 6 个迭代。</p>",
            "deliverables": "需求规格说明书；原型系统与源代码；演示报告",
            "fee": 260000,
            "risks": "客户需求可能随融资进度调整。",
        },
        "milestones": [("需求规格确认", 8, None), ("原型演示", 55, None)],
        "contract_draft": "HT-2026-038",
        "cancel": "客户天使轮融资延后，项目预算冻结；经双方协商不再签订合同，已出具终止确认函。",
    },
    # ------------------------------------------------------- in progress
    {
        "name": "计算机软件著作权登记（智联网关管理平台 V3.0）",
        "category": "ip",
        "client": "contact_zhilian_gao_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "s1",
        "received": "2026-11-23 09:40",
        "channel": "email",
        "response_minutes": 80,
        "summary": "客户来函：网关管理平台 V3.0 需办理软件著作权登记，用于高企认定与项目验收。",
        "response": "邮件回复高经理，发送软著登记材料清单（源程序、用户手册、权属证明）。",
        "needs": "<p>软件为 B/S 架构，源代码约 12 万行；需加急办理（30 个工作日内出证）。</p>",
    },
    {
        "name": "科技型企业信用贷款与贷款贴息申报",
        "category": "financing",
        "client": "contact_lvneng_ma_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "zhao_min",
        "stage": "s1",
        "received": "2026-11-23 14:15",
        "channel": "phone",
        "response_minutes": 40,
        "summary": "客户财务总监来电：拟申请 1000 万元科技信用贷款用于储能项目备货，"
        "咨询贷款渠道与市级贴息政策。",
        "response": "电话初步沟通，请其提供近两年审计报告与在手订单清单。",
    },
    {
        "name": "江苏省专精特新中小企业认定申报辅导",
        "category": "policy",
        "client": "contact_najing_wu_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "s2",
        "received": "2026-11-10 10:20",
        "channel": "portal",
        "response_minutes": 60,
        "gaps": (2,),
        "summary": "客户通过门户提交咨询：拟申报 2027 年第一批江苏省专精特新中小企业，请协助评估并辅导。",
        "response": "门户回复并电话确认，约定到企业做指标评估。",
        "needs": "<p>企业主营导热材料，细分市场占有率较高；研发投入占比约 6%。</p>"
        "<p>需求：专精特新指标评分、申报材料编制。</p>",
        "feasibility": "企业指标初评得分 78 分（合格线 60 分），属于政策咨询主营业务，同意承接。",
        "plan": {
            "objectives": "完成专精特新中小企业申报材料并在申报窗口期内提交。",
            "scope": "指标评分、佐证材料清单、申报书编制、系统填报。",
            "content": "<ol><li>指标评分与佐证材料梳理</li><li>申报书编制</li><li>系统填报</li></ol>",
            "deliverables": "指标评分表；申报书及佐证材料",
            "fee": 18000,
            "risks": "申报窗口期以主管部门通知为准。",
        },
        "milestones": [("指标评分表确认", 5, None), ("申报材料提交", 20, None)],
        "plan_partial": "awaiting_client",
    },
    {
        "name": "研发项目管理数字化（PLM 选型咨询）",
        "category": "digital",
        "client": "contact_huayue_shen_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "s2",
        "received": "2026-11-13 15:00",
        "channel": "email",
        "response_minutes": 90,
        "gaps": (2,),
        "summary": "客户研发中心希望引入 PLM 系统管理芯片设计文档与版本，请我方做需求梳理与选型咨询。",
        "response": "邮件回复，约定下周一进行需求访谈。",
        "needs": "<p>研发人员 120 人，设计数据分散在个人电脑与共享盘；需要与 EDA 工具集成。</p>",
        "feasibility": "数字化咨询团队有 PLM 选型经验，同意承接。",
        "plan": {
            "objectives": "完成 PLM 需求规格书与选型评估报告。",
            "scope": "需求访谈、需求规格书、厂商短名单与评测。",
        },
        "plan_partial": "draft",
    },
    {
        "name": "抗肿瘤小分子候选化合物专利许可交易撮合",
        "category": "transfer",
        "client": "contact_qiming_guo_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "chen_jing",
        "stage": "s3",
        "received": "2026-09-21 09:30",
        "channel": "referral",
        "response_minutes": 75,
        # S2 ends on 19 October: the contract (10 working days) is long overdue
        "gaps": (2, 12),
        "summary": "经合作律所推荐：客户拟对外许可一个临床前抗肿瘤候选化合物的专利组合，"
        "请我方寻找被许可方并撮合交易。",
        "response": "电话回复郭秘书，约定签署保密协议后提供非保密摘要。",
        "needs": "<p>专利组合：化合物专利 2 件（已授权），晶型专利 1 件（审查中）。</p>"
        "<p>需求：被许可方筛选、交易结构设计、谈判支持。</p>",
        "feasibility": "我方有医药 BD 渠道资源，项目数据完整，同意承接。",
        "plan": {
            "objectives": "撮合完成一项专利许可交易（首付款 + 里程碑 + 销售提成）。",
            "scope": "非保密摘要、潜在被许可方筛选与路演、交易条款谈判支持、合同登记。",
            "content": "<ol><li>项目包装与非保密摘要</li><li>被许可方筛选与路演</li>"
            "<li>条款谈判与合同签订</li></ol>",
            "deliverables": "项目推介材料；意向书；专利许可合同",
            "fee": 300000,
            "risks": "许可谈判周期长；临床前数据可能不足以支撑首付款预期。",
        },
        "milestones": [("意向书签署", 25, None), ("许可合同签订", 60, None)],
        "contract_draft": "HT-2026-061",
        "terms": ["term_parties", "term_scope", "term_confidentiality"],
    },
    {
        "name": "模具产品外观设计专利与商标组合申请",
        "category": "ip",
        "client": "contact_yongda_xu_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "s3",
        "received": "2026-11-02 13:30",
        "channel": "visit",
        "response_minutes": 30,
        "gaps": (3, 9),
        "summary": "客户副总来访：新系列汽车灯具模具拟申请外观设计专利，并在第 7 类、第 40 类注册商标。",
        "response": "当面沟通申请策略，现场做商标近似查询。",
        "needs": "<p>外观设计 4 件；商标“甬达精模”在第 7、40 类申请。</p>",
        "feasibility": "商标近似查询无在先障碍，外观设计材料齐全，同意承接。",
        "plan": {
            "objectives": "提交 4 件外观设计专利与 2 个类别的商标注册申请。",
            "scope": "外观设计图片规范化、简要说明撰写、商标查询与申请、受理跟踪。",
            "content": "<p>10 个工作日内完成全部申请提交。</p>",
            "deliverables": "外观设计申请文件及受理通知书；商标注册申请受理通知书",
            "fee": 15600,
            "risks": "商标审查中可能出现驳回，需复审。",
        },
        "milestones": [("外观设计申请提交", 6, None), ("商标申请提交", 8, None)],
        "contract_draft": "HT-2026-077",
        "terms": [
            "term_parties",
            "term_scope",
            "term_deliverables",
            "term_timeline",
            "term_fees",
        ],
    },
    {
        "name": "储能 BMS 主动均衡算法联合开发",
        "category": "rnd",
        "client": "contact_lvneng_he_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "zhao_min",
        "stage": "s4",
        "received": "2026-08-05 10:00",
        "channel": "phone",
        "response_minutes": 45,
        "gaps": (2, 8, 5),
        "delivery": "2026-12-31",
        "summary": "客户希望联合高校团队开发 BMS 主动均衡算法，提升电池簇一致性。",
        "response": "电话回复何部长，约定组织高校团队技术交流。",
        "needs": "<p>目标：簇内 SOC 差异由 5% 降到 2% 以内；需在现有 BMS 硬件上实现。</p>",
        "feasibility": "合作高校电力电子团队有均衡算法研究成果，同意承接。",
        "plan": {
            "objectives": "开发并验证 BMS 主动均衡算法，簇内 SOC 差异 ≤2%。",
            "scope": "算法设计、仿真验证、嵌入式移植、台架测试。",
            "content": "<ol><li>算法设计与仿真</li><li>嵌入式移植</li><li>台架测试与报告</li></ol>",
            "deliverables": "算法设计说明书；嵌入式代码；台架测试报告",
            "fee": 220000,
            "risks": "现有硬件均衡电流受限，可能需硬件改版。",
        },
        "milestones": [
            ("算法设计与仿真完成", 20, 21),
            ("嵌入式移植完成", 68, None),
            ("台架测试完成", 85, None),
        ],
        "reports": [
            (21, "<p>仿真结果：SOC 差异由 4.8% 收敛到 1.6%，满足目标。</p>"),
            (45, "<p>嵌入式移植进行中，已完成均衡控制与通信模块。</p>"),
        ],
        "changes": [
            {
                "offset": 30,
                "name": "增加低温工况（-10 ℃）台架测试",
                "description": "客户北方项目需要，增加低温工况测试，费用增加 2 万元，节点不变。",
                "impact": "fee",
                "requested_by": "client",
                "settle": "consented",
            }
        ],
        "contract": ("HT-2026-049", 0),
    },
    {
        "name": "省级孵化器入驻加速服务（智能硬件方向）",
        "category": "incubation",
        "client": "contact_zhilian_gao_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "s4",
        "received": "2026-09-14 14:00",
        "channel": "visit",
        "response_minutes": 40,
        "gaps": (2, 7, 4),
        "delivery": "2027-01-15",
        "summary": "客户拟将智能硬件事业部孵化为独立公司，入驻孵化器加速营。",
        "response": "当面接待，介绍加速营课程与资源。",
        "needs": "<p>需求：公司设立辅导、供应链对接、首批客户对接、政策申报。</p>",
        "feasibility": "符合加速营入营条件，同意承接。",
        "plan": {
            "objectives": "完成新公司设立与入驻，对接 3 家供应链伙伴和 2 家种子客户。",
            "scope": "公司设立辅导、供应链对接、客户对接、政策申报。",
            "content": "<p>为期 4 个月的加速营，含 8 次导师辅导。</p>",
            "deliverables": "入驻协议；辅导记录；资源对接清单",
            "fee": 30000,
            "risks": "种子客户对接结果不作承诺。",
        },
        "milestones": [("新公司设立与入驻", 10, 9), ("供应链对接完成", 40, None)],
        "reports": [(12, "<p>新公司已完成设立并入驻 B3 座 506 室；首次导师辅导已举行。</p>")],
        "changes": [
            {
                "offset": 28,
                "name": "增加一次海外渠道专题辅导",
                "description": "客户希望增加海外渠道（东南亚）专题辅导一次，不增加费用。",
                "impact": "scope",
                "requested_by": "client",
                "settle": "draft",
            }
        ],
        "contract": ("HT-2026-066", 0),
    },
    {
        "name": "设备联网与数据采集（数字化车间一期）",
        "category": "digital",
        "client": "contact_huiyan_zhou_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "s3",
        "received": "2026-09-07 09:50",
        "channel": "phone",
        "response_minutes": 35,
        "gaps": (2, 8, 4),
        "delivery": "2026-12-18",
        "summary": "客户在高企认定后启动数字化车间建设，一期为 28 台加工中心联网与数据采集。",
        "response": "电话回复周总，安排现场勘查设备控制系统型号。",
        "needs": "<p>设备：FANUC、三菱系统加工中心 28 台；需要采集运行状态、产量与报警。</p>",
        "feasibility": "设备协议均可支持，同意承接。",
        "plan": {
            "objectives": "完成 28 台加工中心联网与数据采集，设备综合效率（OEE）看板上线。",
            "scope": "现场勘查、网络改造方案、采集网关部署、数据平台与看板。",
            "content": "<ol><li>勘查与方案</li><li>网络改造与网关部署</li><li>看板上线与培训</li></ol>",
            "deliverables": "实施方案；设备联网清单；OEE 看板与操作手册",
            "fee": 168000,
            "risks": "部分老旧设备需加装采集模块。",
        },
        "milestones": [
            ("网络改造完成", 15, 14),
            ("网关部署与数据接入", 45, None),
            ("OEE 看板上线", 58, None),
        ],
        "reports": [
            (14, "<p>车间网络改造完成，已部署 4 台采集网关。</p>"),
            (30, "<p>已接入 19 台设备，剩余 9 台 FANUC 0i-MD 系统需加装采集模块。</p>"),
        ],
        # in S4, moved back to S3 for a supplementary agreement (being negotiated)
        "move_back": {
            "offset": 36,
            "reason": "客户要求将二期 12 台加工中心纳入联网范围，需签订补充协议并调整交付日期，"
            "退回合同阶段。",
            "note": "补充协议草案（HT-2026-058-B1）已发客户审阅：增加 12 台设备联网，"
            "交付日期建议调整为 2027-01-29。",
        },
        "contract": ("HT-2026-058", 0),
    },
    {
        "name": "导热膜材料导热系数与耐热老化性能检测",
        "category": "tic",
        "client": "contact_najing_wu_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "zhao_min",
        "stage": "s5",
        "received": "2026-10-12 09:10",
        "channel": "portal",
        "response_minutes": 50,
        "gaps": (1, 3, 2, 19),
        "summary": "客户通过门户委托：石墨烯导热膜样品需检测面内导热系数及 150 ℃ 老化后性能。",
        "response": "门户回复并发送送样单，确认检测标准 ASTM E1461。",
        "needs": "<p>样品 3 批次，每批 5 片；检测面内/垂直导热系数、150 ℃×500 h 老化后复测。</p>",
        "feasibility": "合作实验室具备激光闪射法资质，排期可满足，同意承接。",
        "plan": {
            "objectives": "出具导热系数与耐热老化性能检测报告（CNAS）。",
            "scope": "样品接收、初始导热系数检测、老化试验、复测、报告编制。",
            "content": "<p>老化试验 500 h，报告于试验结束后 3 个工作日内出具。</p>",
            "deliverables": "检测报告（CNAS）",
            "fee": 24000,
            "risks": "老化箱故障可能导致试验重做。",
        },
        "milestones": [("初始导热系数检测", 3, 3), ("老化试验与复测完成", 18, 18)],
        "reports": [(4, "<p>初始检测完成：三批样品面内导热系数 1520–1610 W/(m·K)。</p>")],
        "contract": ("HT-2026-070", 20),
        "deliverables": [("导热膜导热系数与耐热老化检测报告", "报告编号 TSQ-TR-2611-008")],
        "acceptance": [
            {
                "object_open": "检测报告第 3 页样品编号与送样单不一致（应为 NJ-2611-03），"
                "且未附 150 ℃ 老化后的垂直导热系数数据。",
            }
        ],
    },
    {
        "name": "研发费用加计扣除政策辅导与专项申报",
        "category": "policy",
        "client": "contact_yunheng_lin_demo",
        "team": "team_consulting_demo",
        "user": "li_qiang",
        "manager": "chen_jing",
        "stage": "s5",
        "received": "2026-09-28 11:30",
        "channel": "phone",
        "response_minutes": 60,
        "gaps": (2, 4, 3, 25),
        "summary": "客户咨询研发费用加计扣除政策，希望梳理研发项目并准备留存备查资料。",
        "response": "电话回复林总，发送政策要点与资料清单。",
        "needs": "<p>研发项目 4 个，研发人员工时未单独记录。</p>",
        "feasibility": "属于政策咨询主营业务，同意承接。",
        "plan": {
            "objectives": "完成研发项目梳理与留存备查资料，支持年度汇算清缴加计扣除。",
            "scope": "研发项目鉴定、工时与费用归集方法、留存备查资料编制。",
            "content": "<p>三周完成研发项目梳理与资料编制。</p>",
            "deliverables": "研发项目立项资料；研发费用辅助账；留存备查资料清单",
            "fee": 16000,
            "risks": "税务机关对研发活动的判断可能与企业不同。",
        },
        "milestones": [("研发项目梳理完成", 8, 8), ("留存备查资料编制完成", 22, 22)],
        "reports": [(9, "<p>4 个研发项目立项资料已补齐，辅助账模板已交客户财务。</p>")],
        "contract": ("HT-2026-063", 20),
        "deliverables": [
            ("研发项目立项资料汇编", ""),
            ("研发费用辅助账与留存备查资料", ""),
        ],
        "acceptance": [{"wait": True}],
    },
    {
        "name": "PCT 国际专利申请（石墨烯复合导热材料）",
        "category": "ip",
        "client": "contact_najing_wu_demo",
        "team": "team_ip_demo",
        "user": "zhang_wei",
        "manager": "liu_yang",
        "stage": "s6",
        "received": "2026-08-31 10:40",
        "channel": "email",
        "response_minutes": 55,
        "gaps": (2, 5, 3, 30, 2),
        "summary": "客户拟以已受理的中国发明专利为优先权，提交 PCT 国际申请，目标国家为美、日、韩、欧。",
        "response": "邮件回复吴总，提示优先权期限，约定翻译与撰写计划。",
        "needs": "<p>优先权日 2025-12-18，PCT 申请须在 2026-12-18 前提交。</p>",
        "feasibility": "时间充足，本部门有涉外代理资质，同意承接。",
        "plan": {
            "objectives": "在优先权期限内提交 PCT 国际申请并取得国际申请号。",
            "scope": "申请文件英文翻译、权利要求调整、PCT 申请提交、国际检索报告跟踪。",
            "content": "<p>翻译与校对 3 周，提交后跟踪国际检索报告。</p>",
            "deliverables": "PCT 申请文件（英文）；国际申请号通知书",
            "fee": 45000,
            "risks": "国际检索报告可能引用新的对比文件。",
        },
        "milestones": [("英文翻译定稿", 16, 16), ("PCT 申请提交", 25, 25)],
        "reports": [(16, "<p>英文译稿已完成两轮校对，权利要求按美国实践做了调整。</p>")],
        "contract": ("HT-2026-055", 40),
        "deliverables": [("PCT 申请文件与国际申请号通知书", "PCT/CN2026/XXXXXX")],
        "acceptance": [{"accept": "portal"}],
    },
    {
        "name": "科技贷款贴息与政策性担保融资申报",
        "category": "financing",
        "client": "contact_yongda_xu_demo",
        "team": "team_consulting_demo",
        "user": "wang_fang",
        "manager": "zhao_min",
        "stage": "s6",
        "received": "2026-08-10 15:10",
        "channel": "phone",
        "response_minutes": 70,
        "gaps": (2, 5, 3, 30, 2),
        "summary": "客户拟申请 500 万元政策性担保贷款用于设备更新，并申报市级科技贷款贴息。",
        "response": "电话回复徐总，说明担保机构条件与贴息申报时间。",
        "needs": "<p>设备更新项目总投资 800 万元；近两年纳税信用 A 级。</p>",
        "feasibility": "符合政策性担保与贴息条件，同意承接。",
        "plan": {
            "objectives": "取得 500 万元担保贷款并完成贴息申报。",
            "scope": "担保机构与银行对接、申报材料编制、贴息申报。",
            "content": "<p>两个月内完成放款与贴息申报。</p>",
            "deliverables": "融资申报材料；贴息申报受理回执",
            "fee": 25000,
            "risks": "担保审批结果不确定。",
        },
        "milestones": [("担保审批通过", 16, 16), ("放款与贴息申报", 28, 28)],
        "reports": [(16, "<p>担保机构已审批通过，银行放款流程进行中。</p>")],
        "contract": ("HT-2026-044", 30),
        "deliverables": [("融资申报材料与贴息申报受理回执", "")],
        "acceptance": [{"accept": "recorded"}],
    },
]


STAFF = ("zhang_wei", "wang_fang", "li_qiang", "liu_yang", "chen_jing", "zhao_min")


def _signature(name):
    """A hand-drawn-looking signature stroke, different for every signer."""
    from PIL import Image, ImageDraw

    seed = zlib.crc32(name.encode()) % 1000
    img = Image.new("RGBA", (320, 100), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    points = [
        (
            20 + x,
            52
            + 20 * math.sin(x / (9 + seed % 7)) * math.cos(x / (31 + seed % 11))
            + 6 * math.sin(x / 4.0 + seed),
        )
        for x in range(0, 270, 2)
    ]
    draw.line(points, fill=(25, 45, 125, 255), width=3, joint="curve")
    draw.line([(60, 84), (250, 78 - seed % 9)], fill=(25, 45, 125, 255), width=2)
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


class _DemoBuilder:
    """Walks the demo services through their stages and remembers, for every
    step, the moment it is told to have happened."""

    def __init__(self, env):
        self.env = env
        self.staff = {key: env.ref(f"{MODULE}.user_{key}_demo") for key in STAFF}
        self.portal = {
            user.partner_id: user
            for user in (
                env.ref(f"{MODULE}.user_client{i}_demo", raise_if_not_found=False)
                for i in (1, 2, 3)
            )
            if user
        }
        today = fields.Date.context_today(env["res.partner"])
        # whole weeks, so that weekdays stay weekdays
        self.shift = timedelta(weeks=(today - ANCHOR).days // 7)
        self.exceptions = {
            rec["date"]: rec["kind"]
            for rec in env["tsq.calendar.exception"]
            .sudo()
            .search_read([("company_id", "=", False)], ["date", "kind"])
        }
        self.updates = []  # (table, column, ids, value)
        self.services = env["project.project"]
        self.acceptances = env["tsq.acceptance"]
        self.activity_dates = {}  # mail.activity id -> date
        self.msg_mark = self.first_msg = self._max_id("mail_message")
        self.signatures = {}

    # ------------------------------------------------------------ time
    def _max_id(self, table):
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM %s", SQL.identifier(table)))
        return self.env.cr.fetchone()[0]

    def _workday(self, day):
        kind = self.exceptions.get(day)
        if kind:
            return kind == "workday"
        return day.weekday() < 5

    def _add_wd(self, day, count):
        while count > 0 or not self._workday(day):
            day += timedelta(days=1)
            if self._workday(day):
                count -= 1
        return day

    def _utc(self, day, hour, minute=0):
        """Local time on ``day`` of the story, moved to today's frame, as naive UTC."""
        local = datetime.combine(day + self.shift, time(hour, minute), TZ)
        return local.astimezone(UTC).replace(tzinfo=None)

    def _date(self, day):
        return day + self.shift

    @staticmethod
    def _parse(value):
        return datetime.strptime(value, "%Y-%m-%d %H:%M")

    # ------------------------------------------------------- bookkeeping
    def _set(self, records, column, value):
        if records:
            self.updates.append((records._table, column, tuple(records.ids), value))

    def _step(self, when):
        """Everything logged in the chatter since the last step happened at ``when``."""
        last = self._max_id("mail_message")
        if last > self.msg_mark:
            self.updates.append(("mail_message", "date", ("range", self.msg_mark, last), when))
        self.msg_mark = last

    def _attachment(self, user, service, name):
        return (
            self.env["ir.attachment"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(_PDF),
                    "mimetype": "application/pdf",
                    "res_model": "project.project",
                    "res_id": service.id,
                }
            )
        )

    def _signature(self, name):
        if name not in self.signatures:
            self.signatures[name] = _signature(name)
        return self.signatures[name]

    # --------------------------------------------------------- the walk
    def build(self, spec):
        user = self.staff[spec["user"]]
        manager = self.staff[spec["manager"]]
        client = self.env.ref(f"{MODULE}.{spec['client']}")
        category = self.env.ref(f"{MODULE}.service_category_{spec['category']}")
        received = self._parse(spec["received"])
        received_utc = self._utc(received.date(), received.hour, received.minute)
        ctx = {"user": user, "manager": manager, "client": client, "spec": spec}

        service = (
            self.env["project.project"]
            .with_user(user)
            .create(
                {
                    "name": spec["name"],
                    "is_service": True,
                    "partner_id": client.id,
                    "service_category_id": category.id,
                    "service_team_id": self.env.ref(f"{MODULE}.{spec['team']}").id,
                    "user_id": user.id,
                    "inquiry_received_at": received_utc,
                    "inquiry_channel": spec["channel"],
                    "inquiry_summary": spec["summary"],
                }
            )
        )
        service = service.with_user(self.env.user)
        ctx["service"] = service
        self.services |= service
        self._set(service, "create_date", received_utc)
        self._set(service, "stage_entered_at", received_utc)
        self._step(received_utc)

        # first response (the only thing some new inquiries have)
        response_at = received + timedelta(minutes=spec["response_minutes"])
        response_utc = self._utc(response_at.date(), response_at.hour, response_at.minute)
        service.with_user(user).write(
            {"first_response_at": response_utc, "first_response_note": spec["response"]}
        )
        self._step(response_utc)
        day = response_at.date()
        if spec.get("needs"):
            service.with_user(user).write({"needs_analysis": spec["needs"]})
            self._step(self._utc(day, min(response_at.hour + 2, 17), 10))
        if spec["stage"] == "s1":
            return

        gaps = spec["gaps"]
        # S1: feasibility, then decline or gate
        day = self._add_wd(day, gaps[0])
        if spec.get("decline"):
            service.with_user(manager).write(
                {
                    "feasibility": "decline",
                    "feasibility_reason": spec["decline"],
                    "feasibility_user_id": manager.id,
                }
            )
            service.with_user(manager).action_decline()
            self._moved(service, self._utc(day, 11, 30))
            return
        service.with_user(manager).write(
            {
                "feasibility": "accept",
                "feasibility_reason": spec["feasibility"],
                "feasibility_user_id": manager.id,
            }
        )
        self._step(self._utc(day, 10, 0))
        self._pass_gate(ctx, day, 16, 30)

        # S2: the plan, the internal review, the client's confirmation
        s2_start = day
        plan = spec["plan"]
        day = self._add_wd(day, 1)
        vals = {
            "plan_objectives": plan["objectives"],
            "plan_scope": plan["scope"],
            "service_member_ids": [Command.set((user | manager).ids)],
        }
        if spec.get("plan_partial") == "draft":
            service.with_user(user).write(vals)
            self._step(self._utc(day, 15, 20))
            return
        vals.update(
            plan_content=plan["content"],
            plan_deliverables=plan["deliverables"],
            plan_fee=plan["fee"],
            plan_risks=plan["risks"],
        )
        service.with_user(user).write(vals)
        self._step(self._utc(day, 11, 0))
        s2_end = self._add_wd(s2_start, gaps[1]) if len(gaps) > 1 else day
        # milestones are planned from the expected contract date
        expected_contract = self._add_wd(s2_end, gaps[2] if len(gaps) > 2 else 5)
        service.with_user(user).write(
            {
                "service_milestone_ids": [
                    Command.create(
                        {
                            "name": name,
                            "sequence": 10 * (i + 1),
                            "planned_date": self._date(self._add_wd(expected_contract, planned)),
                        }
                    )
                    for i, (name, planned, _done) in enumerate(spec.get("milestones", []))
                ]
            }
        )
        self._step(self._utc(day, 11, 20))
        review_day = self._add_wd(day, 1) if s2_end > day else day
        self._do_items(ctx, review_day, 13)
        if spec.get("plan_partial") == "awaiting_client":
            return
        self._confirm_plan(ctx, s2_end)
        self._pass_gate(ctx, s2_end, 16, 0, items=False)

        # S3: the contract
        day = s2_end
        if (spec["stage"] == "s3" and "move_back" not in spec) or spec.get("cancel_in") == "s3":
            draft_day = self._add_wd(day, 2)
            terms = dict.fromkeys(spec.get("terms", []), True)
            service.with_user(user).write({"contract_ref": spec["contract_draft"], **terms})
            self._step(self._utc(draft_day, 14, 0))
            if spec.get("cancel"):
                cancel_day = self._add_wd(day, gaps[2])
                self.env["tsq.stage.move.wizard"].with_user(manager).create(
                    {"service_id": service.id, "mode": "cancel", "reason": spec["cancel"]}
                ).action_confirm()
                self._moved(service, self._utc(cancel_day, 17, 0))
            return
        day = self._add_wd(day, gaps[2])
        contract_ref, delivery_wd = spec["contract"]
        s4_end = self._add_wd(day, gaps[3]) if len(gaps) > 3 else None
        if spec.get("delivery"):
            delivery = datetime.strptime(spec["delivery"], "%Y-%m-%d").date()
        else:
            delivery = self._add_wd(day, delivery_wd)
        self._sign_contract(ctx, day, contract_ref, delivery)
        contract_day = day

        # S4: milestones, progress reports, change requests
        events = []
        for i, (_name, _planned, done) in enumerate(spec.get("milestones", [])):
            if done is not None:
                events.append((done, "milestone", i))
        for offset, summary in spec.get("reports", []):
            events.append((offset, "report", summary))
        for change in spec.get("changes", []):
            events.append((change["offset"], "change", change))
        move_back = spec.get("move_back")
        if move_back:
            events.append((move_back["offset"], "back", move_back))
        milestones = service.service_milestone_ids.sorted("sequence")
        for offset, kind, data in sorted(events, key=lambda e: (e[0], e[1])):
            when_day = self._add_wd(contract_day, offset)
            if kind == "milestone":
                milestones[data].with_user(user).write({"done_date": self._date(when_day)})
                self._step(self._utc(when_day, 11, 0))
            elif kind == "report":
                report = (
                    self.env["tsq.progress.report"]
                    .with_user(user)
                    .create(
                        {
                            "service_id": service.id,
                            "date": self._date(when_day),
                            "summary": data,
                        }
                    )
                )
                report.action_send()
                when = self._utc(when_day, 14, 0)
                self._set(report, "create_date", when)
                self._set(report, "sent_at", when)
                self._step(when)
            elif kind == "change":
                self._change_request(ctx, when_day, data)
            else:
                self._move_back(ctx, when_day, data)
                return
        if spec["stage"] == "s4":
            return
        self._do_items(ctx, s4_end, 15)
        self._pass_gate(ctx, s4_end, 16, 30, items=False)

        # S5: deliverables, submission(s), the client's decision
        day = self._add_wd(s4_end, 1)
        deliverables = self.env["tsq.deliverable"]
        for seq, (name, description) in enumerate(spec["deliverables"], start=1):
            deliverable = (
                self.env["tsq.deliverable"]
                .with_user(user)
                .create(
                    {
                        "service_id": service.id,
                        "sequence": seq * 10,
                        "name": name,
                        "description": description or False,
                        "due_date": self._date(delivery),
                        "attachment_ids": [
                            Command.link(self._attachment(user, service, f"{name}.pdf").id)
                        ],
                    }
                )
            )
            deliverables |= deliverable
        deliverables.with_user(user).action_hand_over()
        self._set(deliverables, "create_date", self._utc(day, 9, 30))
        self._set(deliverables, "handed_over_at", self._utc(day, 9, 40))
        self._step(self._utc(day, 9, 40))
        decided_day = self._acceptance(ctx, day, gaps[4] if len(gaps) > 4 else 2)
        if spec["stage"] == "s5":
            return
        self._do_items(ctx, decided_day, 16)
        self._pass_gate(ctx, decided_day, 17, 0, items=False)

        # S6: the return visit, the file archived
        if "visit" not in spec:
            return
        visit = service.return_visit_ids[:1]
        visit_day = self._add_wd(decided_day + timedelta(days=category.return_visit_days - 1), 1)
        score, comments, channel = spec["visit"]
        portal = self.portal.get(client)
        if channel == "portal" and portal:
            visit.with_user(portal).sudo()._record(score, comments, "portal", client.name)
        else:
            visit.with_user(user)._record(score, comments, channel, client.name)
        when = self._utc(visit_day, 10, 30)
        self._set(visit, "done_at", when)
        feedback = self.env["tsq.feedback"].sudo().search([("service_id", "=", service.id)])
        self._set(feedback, "submitted_at", when)
        self._set(feedback, "create_date", when)
        self._step(when)
        self._do_items(ctx, visit_day, 15)
        self._pass_gate(ctx, visit_day, 16, 0, items=False)

    # ------------------------------------------------------------ steps
    def _moved(self, service, when):
        """Date the passage just recorded and the start of the new stage."""
        passage = service.gate_passage_ids.sorted("id")[-1:]
        self._set(passage, "date", when)
        self._set(passage, "create_date", when)
        self._set(service, "stage_entered_at", when)
        self._step(when)

    def _do_items(self, ctx, day, hour):
        """The current gate's checklist: work by the responsible, evidence where
        required, approvals by the manager (who did none of the work)."""
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        items = service.gate_item_ids.filtered(
            lambda i: i.stage == service.service_stage and not i.done
        )
        work = items.filtered(lambda i: i.kind != "approval")
        for item in work:
            if item.evidence_required:
                name = EVIDENCE_FILES.get(item.name, f"{item.name}.pdf")
                item.with_user(user).write(
                    {"attachment_ids": [Command.link(self._attachment(user, service, name).id)]}
                )
            item.with_user(user).write({"done": True})
        self._set(work, "done_at", self._utc(day, hour, 0))
        approvals = items - work
        for item in approvals:
            approver = manager
            if item.approver_group_id and item.approver_group_id not in approver.groups_id:
                approver = next(
                    u
                    for u in self.staff.values()
                    if item.approver_group_id in u.groups_id and u != user
                )
            item.with_user(approver).write({"done": True})
        self._set(approvals, "done_at", self._utc(day, hour, 40))
        self._step(self._utc(day, hour, 40))

    def _pass_gate(self, ctx, day, hour, minute, items=True):
        service = ctx["service"]
        if items:
            self._do_items(ctx, day, max(hour - 1, 9))
        service.with_user(ctx["user"]).action_pass_gate()
        self._moved(service, self._utc(day, hour, minute))

    def _confirm_plan(self, ctx, day):
        service, user, client = ctx["service"], ctx["user"], ctx["client"]
        portal = self.portal.get(client)
        if portal:
            service.with_user(portal).sudo()._tsq_confirm_plan(client.name, "portal")
        else:
            evidence = self._attachment(user, service, "服务方案确认函（客户盖章）.pdf")
            service.with_user(user).write(
                {"plan_confirm_attachment_ids": [Command.link(evidence.id)]}
            )
            service.with_user(user).action_record_plan_confirmation()
        when = self._utc(day, 14, 30)
        self._set(service, "plan_confirmed_at", when)
        self._step(when)

    def _sign_contract(self, ctx, day, contract_ref, delivery):
        service, user = ctx["service"], ctx["user"]
        vals = {name: True for name in service._fields if name.startswith("term_")}
        contract = self._attachment(user, service, f"{contract_ref} 技术服务合同.pdf")
        vals.update(
            contract_ref=contract_ref,
            contract_signed_date=self._date(day),
            contract_delivery_date=self._date(delivery),
            contract_attachment_ids=[Command.link(contract.id)],
        )
        service.with_user(user).write(vals)
        self._step(self._utc(day, 11, 0))
        self._pass_gate(ctx, day, 17, 0)

    def _change_request(self, ctx, day, data):
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        change = (
            self.env["tsq.change.request"]
            .with_user(user)
            .create(
                {
                    "service_id": service.id,
                    "name": data["name"],
                    "description": data["description"],
                    "impact": data["impact"],
                    "requested_by": data["requested_by"],
                }
            )
        )
        self._set(change, "create_date", self._utc(day, 10, 0))
        self._step(self._utc(day, 10, 0))
        if data["settle"] == "draft":
            return
        change.with_user(manager).action_approve()
        self._set(change, "approved_at", self._utc(day, 15, 0))
        self._step(self._utc(day, 15, 0))
        consent_day = self._add_wd(day, 1)
        evidence = self._attachment(user, service, f"变更确认函：{data['name']}.pdf")
        change.with_user(user).write({"consent_attachment_ids": [Command.link(evidence.id)]})
        change.with_user(user).action_record_consent()
        self._set(change, "consent_at", self._utc(consent_day, 11, 0))
        self._step(self._utc(consent_day, 11, 0))

    def _move_back(self, ctx, day, data):
        """Back to S3 (with the reason) for a supplementary agreement."""
        service, user, manager = ctx["service"], ctx["user"], ctx["manager"]
        self.env["tsq.stage.move.wizard"].with_user(manager).create(
            {
                "service_id": service.id,
                "mode": "back",
                "target_stage": "s3",
                "reason": data["reason"],
            }
        ).action_confirm()
        self._moved(service, self._utc(day, 10, 30))
        next_day = self._add_wd(day, 1)
        service.with_user(user).message_post(body=data["note"], subtype_xmlid="mail.mt_note")
        self._step(self._utc(next_day, 15, 0))

    def _acceptance(self, ctx, day, decision_gap):
        """Submit the deliverables; the client accepts or objects. Returns the
        day of the last decision."""
        service, user, client = ctx["service"], ctx["user"], ctx["client"]
        portal = self.portal.get(client)
        Acceptance = self.env["tsq.acceptance"]
        for decision in ctx["spec"]["acceptance"]:
            acceptance = Acceptance.with_user(user).create(
                {"service_id": service.id, "note": "交付物已移交，请审阅后签署验收。"}
            )
            self.acceptances |= acceptance
            submitted = self._utc(day, 10, 0)
            self._set(acceptance, "submitted_at", submitted)
            self._set(acceptance, "create_date", submitted)
            self._step(submitted)
            if decision.get("wait"):
                return day
            if decision.get("accept"):
                day = self._add_wd(day, decision_gap)
                if decision["accept"] == "portal" and portal:
                    acceptance.with_user(portal).sudo()._accept(
                        client.name, self._signature(client.name), "portal"
                    )
                else:
                    # demo content written by a person, not an interface string
                    acceptance.with_user(user).message_post(  # pylint: disable=translation-required
                        body="客户签署的验收单扫描件。",
                        attachments=[("验收单（客户签字盖章）.pdf", _PDF)],
                    )
                    acceptance.with_user(user).with_context(
                        tsq_signature=self._signature(client.name)
                    ).action_record_acceptance()
                decided = self._utc(day, 15, 0)
                self._set(acceptance, "decided_at", decided)
                visit = service.return_visit_ids[:1]
                self._set(visit, "create_date", decided)
                due = self._date(day) + timedelta(
                    days=service.service_category_id.return_visit_days
                )
                self._set(visit, "due_date", due)
                for activity in visit.activity_ids:
                    self.activity_dates[activity.id] = due
                self._step(decided)
                return day
            # an objection, raised by the client in the portal
            day = self._add_wd(day, 1)
            reason = decision.get("object") or decision.get("object_open")
            raiser = acceptance.with_user(portal).sudo() if portal else acceptance.sudo()
            before = service.activity_ids
            raiser._raise_objection(reason, "portal" if portal else "recorded")
            raised = self._utc(day, 14, 0)
            deadline = service.company_id._tsq_add_limit(
                raised, service.service_category_id.objection_days, "working_days"
            )
            self._set(acceptance, "decided_at", raised)
            self._set(acceptance, "objection_deadline", deadline)
            for activity in service.activity_ids - before:
                self.activity_dates[activity.id] = fields.Datetime.context_timestamp(
                    service, deadline
                ).date()
            self._step(raised)
            if decision.get("object_open"):
                return day
            # handled: outcome written, objection closed, a revised deliverable
            day = self._add_wd(day, 2)
            acceptance.with_user(user).write({"objection_outcome": decision["outcome"]})
            acceptance.with_user(user).action_close_objection()
            closed = self._utc(day, 16, 0)
            self._set(acceptance, "objection_closed_at", closed)
            self._step(closed)
            day = self._add_wd(day, 1)
            name, description = decision["revision"]
            revision = (
                self.env["tsq.deliverable"]
                .with_user(user)
                .create(
                    {
                        "service_id": service.id,
                        "sequence": 100,
                        "name": name,
                        "description": description,
                        "attachment_ids": [
                            Command.link(self._attachment(user, service, f"{name}.pdf").id)
                        ],
                    }
                )
            )
            revision.with_user(user).action_hand_over()
            self._set(revision, "create_date", self._utc(day, 9, 0))
            self._set(revision, "handed_over_at", self._utc(day, 9, 10))
            self._step(self._utc(day, 9, 10))
        return day

    # -------------------------------------------------------- backdating
    def backdate(self):
        """Write the story's moments over the system's "now" (demo only), then
        recompute what is stored from them."""
        env = self.env
        env.flush_all()
        cr = env.cr
        for table, column, ids, value in self.updates:
            if ids and ids[0] == "range":
                where = SQL("id > %s AND id <= %s", ids[1], ids[2])
            else:
                where = SQL("id = ANY(%s)", list(ids))
            cr.execute(
                SQL(
                    "UPDATE %s SET %s = %s WHERE %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                    value,
                    where,
                )
            )
        env.invalidate_all()
        # stored values computed from the backdated moments
        self.services.modified(["stage_entered_at"])
        self.acceptances.modified(["submitted_at", "decided_at"])
        env.flush_all()
        # the open to-dos follow the story's deadlines
        for service in self.services.filtered(lambda s: s.service_stage in OPEN_STAGES):
            deadline = service.stage_deadline
            if not deadline:
                continue
            day = service.company_id._tsq_due_date(deadline)
            stage_type = env.ref(f"{MODULE}.mail_activity_type_stage_gate")
            for activity in service.activity_ids.filtered(
                lambda a, t=stage_type: a.activity_type_id == t and a.id not in self.activity_dates
            ):
                self.activity_dates[activity.id] = day
        for activity_id, day in self.activity_dates.items():
            env["mail.activity"].browse(activity_id).exists().sudo().write({"date_deadline": day})
        # the e-mails of the story belong to its past: count them as sent, as
        # the mail queue does, instead of mailing the demo clients at install
        mails = (
            env["mail.mail"]
            .sudo()
            .search([("mail_message_id", ">", self.first_msg), ("is_notification", "=", True)])
        )
        env["mail.notification"].sudo().search([("mail_mail_id", "in", mails.ids)]).write(
            {"notification_status": "sent"}
        )
        mails.unlink()
        env.flush_all()


class TsqDemoLoader(models.AbstractModel):
    _name = "tsq.demo.loader"
    _description = "Demo Agency Loader"

    @api.model
    def _load_demo_languages(self):
        """The demo agency and its clients and suppliers read Chinese (when it is
        installed): their e-mails, portal and printed records are in Chinese; and
        the dependencies' own demo records (helpdesk_mgmt's sample tickets) are not
        the agency's story."""
        if self.env["res.lang"]._get_data(code="zh_CN"):
            partners = self.env["res.partner"].search(
                [
                    "|",
                    ("id", "=", self.env.company.partner_id.id),
                    ("id", "in", self._demo_partner_ids()),
                ]
            )
            partners.write({"lang": "zh_CN"})
        samples = self.env["ir.model.data"].search(
            [("module", "=", "helpdesk_mgmt"), ("model", "=", "helpdesk.ticket")]
        )
        self.env["helpdesk.ticket"].browse(samples.mapped("res_id")).exists().write(
            {"active": False}
        )
        return True

    @api.model
    def _demo_partner_ids(self):
        """The partners of the add-on's demo data (clients, contacts, suppliers)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "tech_service_quality"), ("model", "=", "res.partner")]
        )
        return data.mapped("res_id")

    @api.model
    @in_agency_language
    def _load_demo(self):
        if (
            self.env["project.project"]
            .sudo()
            .search_count([("is_service", "=", True), ("name", "=", MARKER)])
        ):
            return True
        env = self.env(
            context=dict(
                self.env.context,
                mail_notify_force_send=False,
                no_reset_password=True,
                tz="Asia/Shanghai",
            )
        )
        builder = _DemoBuilder(env)
        for spec in SERVICES:
            builder.build(spec)
        builder.backdate()
        return True
