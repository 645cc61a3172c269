"""Attribution verbs of wire copy ("said", "told", "added", "the post read"…)."""

VERBS = (
    r"said|says|say|told|tells|added|adds|wrote|writes|read|reads|stated|explained|noted|"
    r"warned|argued|insisted|continued|recalled|asked|replied|responded|tweeted|posted|"
    r"declared|acknowledged|admitted|conceded|cautioned|urged|complained|remarked|observed|"
    r"predicted|suggested|announced|claimed|maintained|emphasized|emphasised|stressed|"
    r"countered|concluded|agreed|joked|pointed out|put it"
)
