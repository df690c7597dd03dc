"""The default negative list (14 items), drafted from the usual criteria for weak
and lax village Party organisations, with gang and evil-force problems included."""

from __future__ import annotations

from baolei.accounts.models import AgencyKind

NAME = "软弱涣散村党组织负面清单"

ITEMS = [
    (
        "01",
        "村党组织书记长期空缺、不胜任或不在岗，工作处于停滞状态",
        "班子建设",
        AgencyKind.ORGANISATION,
    ),
    (
        "02",
        "班子不团结、内耗严重，村“两委”矛盾突出，工作不能正常开展",
        "班子建设",
        AgencyKind.ORGANISATION,
    ),
    ("03", "组织生活长期不正常，“三会一课”等制度不落实", "组织生活", AgencyKind.ORGANISATION),
    ("04", "村级事务管理混乱，财务不公开或账目不清", "村务管理", AgencyKind.DISCIPLINE),
    ("05", "村干部违纪违法问题突出，群众反映强烈", "纪律作风", AgencyKind.DISCIPLINE),
    ("06", "村干部涉黑涉恶，或充当黑恶势力“保护伞”", "涉黑涉恶", AgencyKind.DISCIPLINE),
    ("07", "黑恶势力、“村霸”横行，欺压群众，群众安全感低", "涉黑涉恶", AgencyKind.POLICE),
    ("08", "宗族家族势力干扰村级组织运行或换届选举", "宗族势力", AgencyKind.POLITICAL_LEGAL),
    ("09", "存在非法宗教活动、邪教活动或境外渗透", "社会稳定", AgencyKind.POLITICAL_LEGAL),
    ("10", "信访矛盾集中，群体性事件多发", "社会稳定", AgencyKind.POLITICAL_LEGAL),
    ("11", "治安问题突出，刑事案件多发", "社会治安", AgencyKind.POLICE),
    ("12", "换届选举中存在贿选、拉票等违规违法行为", "换届选举", AgencyKind.ORGANISATION),
    ("13", "集体经济薄弱，无集体经济收入或资产资源被侵占", "集体经济", AgencyKind.ORGANISATION),
    ("14", "服务群众意识差，惠民政策落实不到位，群众满意度低", "为民服务", AgencyKind.ORGANISATION),
]
