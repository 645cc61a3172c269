"""The demo's desks, people, sources and a day's wire, written for Newsroom.

The people, quotes and the anonymous source's identity are invented for the demo. The keys
of SOURCES are only the demo's own handles, used by the stories' quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article, Contributor
from sources.models import Source

DESKS = [
    ("Washington", "washington", "en"),
    ("VOA Mandarin", "voa-mandarin", "zh-Hans"),
    ("Nairobi", "nairobi", "en"),
]
TOPICS = [
    ("Politics", "politics"),
    ("Economy", "economy"),
    ("Technology", "technology"),
    ("Climate", "climate"),
    ("Weather", "weather"),
]
REGIONS = [("United States", "united-states"), ("East Asia", "east-asia"), ("Africa", "africa")]
# (name, kind, desk slug)
CONTRIBUTORS = [
    ("Hannah Loftus", Contributor.Kind.STAFF, "washington"),
    ("Marcus Delacroix", Contributor.Kind.STAFF, "washington"),
    ("Lin Yuwen", Contributor.Kind.STAFF, "voa-mandarin"),
    ("王思远", Contributor.Kind.STAFF, "voa-mandarin"),
    ("Wanjiru Kamau", Contributor.Kind.STAFF, "nairobi"),
    ("Otieno Barasa", Contributor.Kind.STRINGER, "nairobi"),
]

# Key → fields. Keys are only the demo's own handles for the stories below.
SOURCES = {
    "pennington": dict(
        name="Laura Pennington", title="chair", affiliation="Senate Commerce Committee"
    ),
    "hughes": dict(name="Darnell Hughes", title="policy director", affiliation="Rural Connect"),
    "ashworth": dict(
        name="Celia Ashworth", title="spokesperson", affiliation="U.S. Department of Commerce"
    ),
    "tsai": dict(
        name="Tsai Ming-hui", title="deputy minister", affiliation="Taiwan economy ministry"
    ),
    "diplomat": dict(
        name="a senior diplomat",
        kind=Source.Kind.UNNAMED,
        confidential=True,
        anonymity_reason="Not authorized to discuss private talks; would lose access if named.",
    ),
    "chen": dict(name="陈志明", title="预报员", affiliation="中央气象署"),
    "huang": dict(name="黄美玲", title="局长", affiliation="台北市消防局"),
    "nkatha": dict(name="Grace Nkatha", title="county drought coordinator", affiliation="Marsabit"),
    "lekishon": dict(name="Samuel Lekishon", title="herder", affiliation="Dirib Gombo village"),
    "mwangi": dict(name="Peter Mwangi", title="chairman", affiliation="Matatu Owners Association"),
    "achieng": dict(name="Ruth Achieng", title="chief economist", affiliation="Lakeview Capital"),
    "kiprono": dict(name="Joseph Kiprono", title="governor", affiliation="Central Bank of Kenya"),
    "calloway": dict(name="Dana Calloway", title="economist", affiliation="Federal Reserve Board"),
}
# Held encrypted; shown only to Standards.
CONFIDENTIAL_IDENTITY = "Elias Marchetti, deputy chief of mission (demo identity)"
CONFIDENTIAL_CONTACT = "Signal only, via the Washington desk's secure line (demo contact)"


@dataclass
class DemoStory:
    desk: str
    slug: str
    headline: str
    summary: str
    dateline: str
    paragraphs: list[str]
    subheads: dict[int, str]
    # (source key, quote text as printed, kind, verb, paragraph index)
    quotes: list[tuple[str, str, str, str, int]]
    # (contributor name, role, desk label, place)
    credits: list[tuple[str, str, str, str]]
    topics: list[str]
    regions: list[str]
    language: str = "en"
    priority: int = Article.Priority.ROUTINE
    # What happens to it after filing: publish, correct, kill, embargo or submit.
    fate: str = "publish"
    # correct: (corrected paragraphs, note); kill: reason; embargo: hours ahead
    follow_up: dict = field(default_factory=dict)


def _p(*sentences: str) -> str:
    return " ".join(sentences)


BROADBAND_PARAGRAPHS = [
    _p(
        "A Senate panel on Tuesday advanced a bill that would pay for fiber lines to",
        "farms and small towns, voting 14-9 to send it to the full chamber.",
    ),
    _p(
        '"Nobody should have to drive to a library parking lot to file their taxes,"',
        "said Laura Pennington, the committee's chair.",
    ),
    _p(
        "The measure sets aside grants for rural cooperatives and requires carriers to",
        "publish coverage maps that can be checked house by house.",
    ),
    _p(
        "Darnell Hughes of the advocacy group Rural Connect said the maps mattered more",
        'than the money. "If the map is wrong, the money goes to the wrong county," he said.',
    ),
    _p(
        "A Commerce Department spokesperson, Celia Ashworth, said the agency was",
        '"ready to move quickly once Congress acts."',
    ),
]

STORIES = [
    DemoStory(
        desk="washington",
        slug="senate-panel-rural-broadband",
        headline="Senate panel advances rural broadband bill",
        summary="The committee sends fiber grants for farms and small towns to the full Senate.",
        dateline="Washington",
        paragraphs=BROADBAND_PARAGRAPHS,
        subheads={2: "Maps before money"},
        quotes=[
            (
                "pennington",
                "Nobody should have to drive to a library parking lot to file their taxes,",
                "direct",
                "said",
                1,
            ),
            (
                "hughes",
                "If the map is wrong, the money goes to the wrong county,",
                "direct",
                "said",
                3,
            ),
            ("ashworth", "ready to move quickly once Congress acts.", "partial", "said", 4),
        ],
        credits=[("Hannah Loftus", "byline", "", "")],
        topics=["politics", "technology"],
        regions=["united-states"],
        fate="correct",
        follow_up={
            "paragraphs": [
                BROADBAND_PARAGRAPHS[0].replace("14-9", "15-8"),
                *BROADBAND_PARAGRAPHS[1:],
            ],
            "note": "An earlier version of this story misstated the committee vote. It was 15-8.",
        },
    ),
    DemoStory(
        desk="washington",
        slug="us-taiwan-chip-export-talks",
        headline="U.S. and Taiwan officials discuss tighter chip export rules",
        summary="Officials met for a second day on controls for advanced semiconductors.",
        dateline="Washington",
        paragraphs=[
            _p(
                "U.S. and Taiwanese officials met for a second day on Wednesday to discuss",
                "export rules for the most advanced semiconductors, officials said.",
            ),
            _p(
                '"We are aligned on the goal and still working through the details,"',
                "Taiwan's deputy economy minister Tsai Ming-hui told VOA.",
            ),
            _p(
                "A senior diplomat familiar with the talks said the two sides had not yet",
                "agreed on how to treat older chip designs.",
            ),
            _p(
                '"The hard part is the equipment, not the chips," the diplomat said,',
                "speaking on condition of anonymity to discuss private talks.",
            ),
            _p(
                "The Commerce Department said in a statement that any new rule would be",
                "published for comment before it took effect.",
            ),
        ],
        subheads={2: "Older designs unresolved"},
        quotes=[
            (
                "tsai",
                "We are aligned on the goal and still working through the details,",
                "direct",
                "told VOA",
                1,
            ),
            (
                "diplomat",
                "the two sides had not yet agreed on how to treat older chip designs.",
                "paraphrase",
                "said",
                2,
            ),
            ("diplomat", "The hard part is the equipment, not the chips,", "direct", "said", 3),
        ],
        credits=[
            ("Marcus Delacroix", "byline", "", ""),
            ("Lin Yuwen", "contributor", "VOA Mandarin", ""),
        ],
        topics=["technology", "economy"],
        regions=["united-states", "east-asia"],
        priority=Article.Priority.URGENT,
    ),
    DemoStory(
        desk="voa-mandarin",
        slug="taipei-typhoon-preparations",
        headline="台风逼近台湾 台北市加强防灾准备",
        summary="中央气象署预计台风周四晚间登陆，台北市开设防灾应变中心。",
        dateline="台北",
        language="zh-Hans",
        paragraphs=[
            "中央气象署周三表示，强烈台风预计周四晚间在台湾东部登陆，北部山区可能出现超大豪雨。",
            "“这个台风的雨量非常集中，山区民众要提早撤离，”气象署预报员陈志明说。",
            "台北市周三下午开设防灾应变中心，并在河滨公园拖吊车辆。",
            "“我们已经把抽水站全部检查过一遍，”台北市消防局局长黄美玲说。",
        ],
        subheads={2: "台北开设应变中心"},
        quotes=[
            ("chen", "这个台风的雨量非常集中，山区民众要提早撤离，", "direct", "说", 1),
            ("huang", "我们已经把抽水站全部检查过一遍，", "direct", "说", 3),
        ],
        credits=[("王思远", "byline", "", "")],
        topics=["weather"],
        regions=["east-asia"],
    ),
    DemoStory(
        desk="nairobi",
        slug="marsabit-drought-water-trucking",
        headline="Kenya expands water trucking as drought grips Marsabit",
        summary="County officials say boreholes have dried up across the north.",
        dateline="Marsabit, Kenya",
        paragraphs=[
            _p(
                "Kenyan authorities expanded emergency water deliveries in Marsabit county",
                "on Thursday after a third failed rainy season dried up boreholes.",
            ),
            _p(
                '"We are trucking water to forty villages, and the list grows every week,"',
                "said Grace Nkatha, the county drought coordinator.",
            ),
            "Herders have walked their animals for days in search of pasture.",
            _p(
                '"I had sixty goats in March. Now I have eleven," said Samuel Lekishon,',
                "a herder in Dirib Gombo village.",
            ),
            _p(
                "Forecasters expect the short rains to arrive late, and below normal, across",
                "much of northern Kenya.",
            ),
        ],
        subheads={2: "Herds on the move"},
        quotes=[
            (
                "nkatha",
                "We are trucking water to forty villages, and the list grows every week,",
                "direct",
                "said",
                1,
            ),
            ("lekishon", "I had sixty goats in March. Now I have eleven,", "direct", "said", 3),
        ],
        credits=[
            ("Wanjiru Kamau", "byline", "", ""),
            ("Otieno Barasa", "contributor", "", "from Marsabit"),
        ],
        topics=["climate"],
        regions=["africa"],
    ),
    DemoStory(
        desk="nairobi",
        slug="nairobi-matatu-fare-strike",
        headline="Nairobi minibus operators threaten strike over fares",
        summary="Operators say a fuel levy leaves them no choice but to raise fares.",
        dateline="Nairobi, Kenya",
        paragraphs=[
            _p(
                "Minibus operators in Nairobi threatened on Friday to stop work next week",
                "unless they are allowed to raise fares.",
            ),
            _p(
                '"Our members cannot keep paying the new levy out of their own pockets,"',
                "said Peter Mwangi, chairman of the Matatu Owners Association.",
            ),
            "Commuters said they were already spending a fifth of their income on transport.",
            "The transport ministry did not respond to requests for comment.",
        ],
        subheads={2: "Commuters squeezed"},
        quotes=[
            (
                "mwangi",
                "Our members cannot keep paying the new levy out of their own pockets,",
                "direct",
                "said",
                1,
            ),
        ],
        credits=[("Otieno Barasa", "byline", "", "")],
        topics=["economy"],
        regions=["africa"],
        fate="kill",
        follow_up={
            "reason": "The association says the fare notice the story relied on was not issued "
            "by it; the strike threat could not be confirmed."
        },
    ),
    DemoStory(
        desk="nairobi",
        slug="east-africa-central-bank-rates",
        headline="Kenya's central bank holds its key rate at 9%",
        summary="The bank says inflation is back inside its target range.",
        dateline="Nairobi, Kenya",
        paragraphs=[
            "The Central Bank of Kenya kept its benchmark lending rate at 9% on Tuesday.",
            _p(
                '"Inflation has returned to the middle of our target range," governor',
                "Joseph Kiprono told reporters.",
            ),
            _p(
                "Ruth Achieng, chief economist at Lakeview Capital, said the decision was",
                "expected and that markets would look to the next meeting in two months.",
            ),
            "The shilling was steady against the dollar after the announcement.",
        ],
        subheads={2: "Markets steady"},
        quotes=[
            (
                "kiprono",
                "Inflation has returned to the middle of our target range,",
                "direct",
                "told reporters",
                1,
            ),
            (
                "achieng",
                "the decision was expected and that markets would look to the next meeting",
                "paraphrase",
                "said",
                2,
            ),
        ],
        credits=[("Wanjiru Kamau", "byline", "", "")],
        topics=["economy"],
        regions=["africa"],
        priority=Article.Priority.URGENT,
        fate="embargo",
        follow_up={"hours": 6},
    ),
    DemoStory(
        desk="washington",
        slug="fed-beige-book-regional-outlook",
        headline="Fed survey finds hiring cooling in most regions",
        summary="Businesses in eight of twelve districts reported slower hiring.",
        dateline="Washington",
        paragraphs=[
            _p(
                "Hiring slowed in most parts of the country over the past six weeks, the",
                "Federal Reserve said on Wednesday in its survey of regional businesses.",
            ),
            _p(
                '"Employers are filling the jobs they lose, not adding new ones," said',
                "Dana Calloway, an economist at the Federal Reserve Board.",
            ),
            "Prices rose modestly, the survey found, with food costs rising fastest.",
            "TK: reaction from retailers in the Midwest.",
        ],
        subheads={2: "Prices"},
        quotes=[
            (
                "calloway",
                "Employers are filling the jobs they lose, not adding new ones,",
                "direct",
                "said",
                1,
            ),
        ],
        credits=[("Hannah Loftus", "byline", "", "")],
        topics=["economy"],
        regions=["united-states"],
        fate="submit",
    ),
]
