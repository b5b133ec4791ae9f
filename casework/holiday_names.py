"""Russian names for the `holidays` package's Kazakh public holidays.

The package ships Kazakh and English names only. These English msgids are translated
in our own catalogs; suffixes such as "(observed)" are translated separately so new
years need no new strings.
"""

import re

from django.utils.translation import gettext, gettext_noop

BASE_NAMES = [
    gettext_noop("New Year's Day"),
    gettext_noop("Orthodox Christmas"),
    gettext_noop("International Women's Day"),
    gettext_noop("Nowruz Holiday"),
    gettext_noop("Kazakhstan's People Solidarity Holiday"),
    gettext_noop("Defender of the Fatherland Day"),
    gettext_noop("Victory Day"),
    gettext_noop("Capital Day"),
    gettext_noop("Constitution Day"),
    gettext_noop("Republic Day"),
    gettext_noop("Independence Day"),
    gettext_noop("First President Day"),
    gettext_noop("Eid al-Adha"),
]

_OBSERVED = re.compile(r"^(?P<base>.+) \(observed\)$")
_ESTIMATED = re.compile(r"^(?P<base>.+) \(estimated\)$")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (?P<m>\d\d)/(?P<d>\d\d)/(?P<y>\d{4})\)$")


def translate_holiday_name(name: str) -> str:
    if match := _SUBSTITUTED.match(name):
        worked = f"{match['d']}.{match['m']}.{match['y']}"
        return gettext("Day off (transferred from %(date)s)") % {"date": worked}
    if match := _OBSERVED.match(name):
        return gettext("%(holiday)s (transferred day off)") % {"holiday": gettext(match["base"])}
    if match := _ESTIMATED.match(name):
        return gettext("%(holiday)s (date estimated)") % {"holiday": gettext(match["base"])}
    return gettext(name)
