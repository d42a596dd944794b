"""Product text in English and Chinese: one type for every bilingual string, and the method's prose.

`Text(en, zh)(lang)` gives the string in a workbook's language; iterating
a Text gives both spellings (what a reader accepts). The plays and
diagnoses of the sales method live here, not with the rules that pick them.
"""

from __future__ import annotations

from typing import NamedTuple

LANGS = ("en", "zh")


class Text(NamedTuple):
    en: str
    zh: str

    def __call__(self, lang: str = "en", **fields) -> str:
        """The text in `lang` (Chinese for "zh", else English), with `fields` filled in when given."""
        text = self.zh if lang == "zh" else self.en
        return text.format(**fields) if fields else text


# portfolio diagnosis (DOMAIN section 6) when one value class holds more than MixAlert of the open deals
DIAGNOSES = {
    1: Text("Reserve too thin, every loss hurts: raise activity and prospecting.",
            "储备不足，丢一单都伤筋动骨：加大拜访和开发力度。"),
    2: Text("A growing team: pick the likeliest accounts and grow them into big deals.",
            "成长型团队：挑出最有希望的客户，把它们做成大单。"),
    3: Text("Too short-term: open up new customer groups.",
            "过于短视：开拓新的客户群。"),
    4: Text("A new team: train, and the manager runs one or two big deals personally.",
            "新团队：加强培训，经理亲自带一两个大单。"),
}

# what to put into a deal of each value class (section 6), in short
VALUE_PLAYS = {
    1: Text("Put the best people on it and aim to become the main supplier.", "投入最强资源，争取成为主供应商。"),
    2: Text("Give it good resources, special terms if needed, to get a foot in the door.",
            "给予较好的资源，必要时给特殊条件，先进门。"),
    3: Text("A one-off: get the best terms out of it.", "一次性生意：争取最好的条件。"),
    4: Text("Least effort: a training ground for new reps.", "最少投入：给新人练手。"),
}

# the nine-grid's team diagnosis (section 7)
NEGLECT = Text("Many A positions and no G on our own ground: existing accounts are being neglected.",
               "我方地盘上A位置多而没有G：老客户正在被忽视。")
