"""The type column of an XLSForm survey row: pyxform's spellings of the types we read (its
aliases.py and question_type_dictionary.py) turned into ours, and the arguments after it."""

import re

SELECT_SPELLINGS = {
    "select_one": (
        "select one from",
        "select one using",
        "select one",
        "select1",
        "q select1",
        "add select one prompt using",
    ),
    "select_multiple": (
        "select all that apply from",
        "select all that apply",
        "select multiple from",
        "select multiple using",
        "select multiple",
        "q select",
        "add select multiple prompt using",
    ),
}
PLAIN_SPELLINGS = {
    "text": ("string", "q string", "add text prompt"),
    "integer": ("int", "q int", "add integer prompt"),
    "decimal": ("q decimal", "add decimal prompt"),
    "date": ("q date", "add date prompt"),
    "note": ("q note", "add note prompt"),
    "calculate": ("q calculate", "add calculate prompt"),
    "file": ("add file prompt",),
    "phone": ("phone number",),
    "begin_repeat": ("begin looped group", "begin lgroup"),
    "end_repeat": ("end looped group", "end lgroup"),
}


def _alternatives(spellings) -> str:
    """A regex of the spellings, the longest first so that "select one from" wins."""
    return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))


SPELLINGS = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"\Aselect[ _](one|multiple)[ _]from[ _]file(?= )", r"select_\1_from_file"),
        (r"\Aselect[ _]one[ _]external(?= )", "select_one_external"),
        *(
            (rf"\A(?:{_alternatives(names)})(?= )", kind)
            for kind, names in SELECT_SPELLINGS.items()
        ),
        *((rf"\A(?:{_alternatives(n)})\Z", kind) for kind, n in PLAIN_SPELLINGS.items()),
        (r"\A(begin|end)[ _](group|repeat)\b", r"\1_\2"),
        (r" or specify other\Z", " or_other"),
    )
)


def split_type(text: str) -> tuple[str, list[str]]:
    """The type and its arguments, with pyxform's spellings (``select one from X``, ``select
    all that apply X``, ``begin group``, ``phone number``…) turned into ours."""
    text = " ".join(text.split())
    for spelling, kind in SPELLINGS:
        text = spelling.sub(kind, text)
    words = text.split()
    return (words[0].lower(), words[1:]) if words else ("", [])
