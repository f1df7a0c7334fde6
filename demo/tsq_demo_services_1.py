# Copyright 2026 Tech Service Quality contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo story, services 1 to 12: plain data read by ``tsq.demo.loader``."""

from .tsq_demo_steps import MARKER

# ---------------------------------------------------------------------------
# The story. Dates are local (Asia/Shanghai) dates of 2026; ``gaps`` are the
# working days spent in S1, S2, S3, S4 and between submission and decision.
# Milestones and progress reports are placed in working days after the
# contract (S3 gate); a milestone reached after its planned day is late.
# ---------------------------------------------------------------------------
SERVICES_1 = [
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
]
