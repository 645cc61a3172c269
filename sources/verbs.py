"""The vocabulary of attribution in wire copy: its verbs ("said", "told", "the post read"…)
and the nouns that say who is speaking (institutions, job titles, groups of people)."""

import re

VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|read|reads|stated|explained|noted|"
    r"warned|argued|insisted|continued|recalled|asked|replied|responded|tweeted|posted|"
    r"declared|acknowledged|admitted|conceded|cautioned|urged|complained|remarked|observed|"
    r"predicted|suggested|announced|claimed|maintained|emphasized|emphasised|stressed|"
    r"countered|concluded|agreed|joked|pointed out|put it"
)

# Verbs that end the subject of a reporting sentence ("The Federation of Free Farmers
# called the cut …"): a name never runs on into one of them.
SUBJECT_VERBS = frozenset(
    re.split(
        r"\s+",
        """said says told tells added adds wrote writes stated
    noted warned warns argued argues insisted recalled asked replied
    responded announced announces claimed claims called calls described describes
    dismissed dismisses welcomed welcomes urged urges criticised criticized criticises
    criticizes condemned condemns praised praises rejected rejects denied denies
    estimated estimates accused accuses blamed blames defended defends demanded
    demands predicted predicts expects expected hailed hails labelled labeled
    branded slammed questioned vowed pledged promised threatened acknowledged admitted
    confirmed reported reports cautioned explained explains insists put puts
    believes believed""",
    )
)


def words(text: str) -> frozenset[str]:
    """A word list written as one string, as a set."""
    return frozenset(text.split())


# Words that make a capitalised phrase an institution rather than a person.
ORG_WORDS = words(
    """ministry ministries office council group authority association institute institution
    university college school bank company co co. corp corp. corporation inc inc. ltd ltd. llc plc
    agency commission committee department fund party union federation front forum alliance
    organization organisation service services foundation center centre network trust board court
    police army navy embassy government parliament assembly senate congress secretariat programme
    program airlines airways holdings industries motors petroleum telecom systems technologies
    partners capital exchange society coalition movement initiative bureau directorate command
    forces guard club press news times post journal media television radio logistics minerals
    mining energy oil gas watch international consultancy cabinet presidency municipality
    administration observatory laboratory lab hospital clinic church mosque diocese federation
    league confederation chamber cooperative co-operative trade worldwide global ports port
    railways railway institute academy"""
)
# Descriptions that say "this is an institution" in an appositive ("the country's largest bottler").
ORG_DESCRIPTORS = ORG_WORDS | words(
    """firm retailer bottler distributor operator producer maker manufacturer exporter importer
    lender insurer carrier airline chain body regulator watchdog charity utility broadcaster
    outlet newspaper developer miner supplier provider conglomerate giant startup start-up
    subsidiary unit nonprofit non-profit ngo consultancy tank brand platform app website
    business enterprise cooperative"""
)
# Head nouns of a person's job title ("vice president", "sewing machine operator").
TITLE_WORDS = words(
    """professor lecturer researcher scientist economist analyst director president chairman
    chairwoman chair chairperson secretary minister spokesman spokeswoman spokesperson publisher
    editor fellow head chief officer executive ceo cfo coo founder co-founder manager governor
    mayor senator lawmaker legislator ambassador diplomat commissioner adviser advisor consultant
    lawyer attorney judge coordinator representative envoy general colonel commander leader
    member operator farmer worker teacher doctor nurse student resident owner driver engineer
    expert strategist historian author activist organizer organiser official administrator
    superintendent inspector prosecutor deputy trader broker banker journalist reporter
    correspondent producer planner treasurer clerk captain pilot priest imam bishop rabbi pastor
    mediator negotiator campaigner advocate specialist physician surgeon dean provost rector
    principal chancellor premier king queen prince princess emir sheikh sultan vice-president
    vice-chair partner associate economist statistician accountant auditor curator architect
    photographer director-general secretary-general commissioner-general spokesperson-general
    councillor councilor councilman councilwoman speaker deputy-director mother father
    survivor witness shopkeeper vendor fisherman miner villager elder pensioner retiree
    businessman businesswoman entrepreneur investor landlord tenant shepherd herder nurse
    midwife paramedic firefighter soldier officer sergeant lieutenant admiral marshal"""
)
# Capitalised titles that come before a name ("Deputy Agriculture Minister Olha Marchenko").
CAP_TITLE_WORDS = words(
    """minister president professor prof prof. dr dr. director secretary secretary-general
    spokesman spokeswoman spokesperson chairman chairwoman chair governor mayor senator sen sen.
    rep rep. representative ambassador general gen gen. colonel col col. lt lt. captain capt
    capt. commissioner chancellor king queen prince princess judge justice chief ceo sheikh
    bishop archbishop pope cardinal rabbi imam speaker premier emir sultan lawmaker sir dame lord
    attorney superintendent inspector sergeant sgt sgt. admiral adm adm. marshal commander
    councillor councilman councilwoman economist analyst mr mr. mrs mrs. ms ms. director-general
    vice-president president-elect deputy"""
)
HONORIFICS = words("mr mr. mrs mrs. ms ms. miss dr dr. sir dame")
PRONOUNS = words("he she they it we i")
# Plural or collective nouns that open a sentence with a capital but name nobody.
PEOPLE_NOUNS = words(
    """experts analysts critics officials residents farmers traders witnesses activists economists
    diplomats lawmakers legislators authorities police protesters demonstrators workers villagers
    locals observers investors doctors teachers students parents voters scientists researchers
    officers soldiers rebels militants refugees survivors families relatives neighbors neighbours
    supporters opponents sources organizers organisers leaders members employees staff executives
    managers owners drivers passengers fishermen miners women men people others some many several
    most few observers advocates campaigners prosecutors investigators insiders aides allies
    donors buyers sellers consumers shoppers users doctors nurses medics rescuers
    firefighters scholars historians bankers brokers"""
)
_DETERMINERS = words(
    """a an one two three four five six seven eight nine ten some several many most about other
    another few all both various dozens hundreds thousands numerous at least more than"""
)
_POSTMODIFIERS = words(
    """who whom whose that which familiar with from of in at for close involved speaking
    briefed based working living outside inside near behind along across by on under"""
)
NAME_CONNECTORS = words("of for and the on de du des la le van von al el bin ibn y & da do")
_NOT_NAMES = words(
    """the a an in on at but and however meanwhile according after before when while if as this
    that these those it we i they he she his her their our its there here then so yet also
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tomorrow earlier
    later last next since until during despite although though because"""
)
_CONJUNCTIONS = words("and or but nor so yet for to by with without from into")
_INANIMATE = words(
    "sign banner placard poster graffiti slogan headline caption billboard notice inscription "
    "leaflet flyer t-shirt"
)
_FEMALE = words(
    "spokeswoman chairwoman businesswoman congresswoman councilwoman mrs mrs. ms ms. miss dame "
    "queen princess mother"
)
_MALE = words("spokesman chairman businessman congressman councilman mr mr. sir king prince father")
