"""Attribution verbs of wire copy ("said", "told", "added", "the post read"…)."""

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
