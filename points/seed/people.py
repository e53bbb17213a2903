"""Plausible names, phones, teams and places for synthetic volunteers and communities."""
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红梅鹏飞鑫波宇浩凯健俊帆雪琳晨欣婷颖云龙元海峰建国志文斌"
TEAMS = ("服管委员会", "治安巡逻队", "反诈宣传队", "邻里互助队", "平安志愿者", "网格员队伍", "楼道长", "老娘舅调解队")
PLACES = "振宇 保利 罗塘 天目 春晖 凤凰 梅园 三水 东桥 溱湖 望海 新城 长安 城西 城南 北关 锦绣 阳光 花园 滨河".split()
# Mobile prefixes; the last nine digits come from the member's number, one to one.
PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "187", "188", "182", "183")
SCRAMBLE = 387_420_489  # 9**9: coprime with 10**8, so n -> n * SCRAMBLE mod 10**8 is one to one


def community_name(number: int) -> str:
    place = PLACES[number % len(PLACES)]
    return f"{place}社区" if number < len(PLACES) else f"{place}{number // len(PLACES) + 1}社区"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def phone(number: int) -> str:
    """A distinct, real-looking mobile number for every `number` below 10**8 (a prefix and eight digits)."""
    return f"{PREFIXES[number % len(PREFIXES)]}{number * SCRAMBLE % 10**8:08d}"


def team(rng: random.Random) -> str | None:
    return rng.choice(TEAMS) if rng.random() < 0.8 else None
