"""Demo data: the Sakha Republic, the Nyurba district with its schools, a second small district."""

PASSWORD = "nyurba-demo-2026"

REGION = {
    "name": "Министерство образования и науки Республики Саха (Якутия)",
    "short_name": "Минобрнауки РС(Я)",
    "locality": "г. Якутск",
    "address": "г. Якутск, ул. Аммосова, 11",
}

NYURBA = {
    "name": "МКУ «Управление образования Нюрбинского района»",
    "short_name": "МКУ «УОНР»",
    "locality": "г. Нюрба",
    "address": "г. Нюрба, ул. Ленина, 29",
    "phone": "+7 (41134) 2-39-41",
}

SUNTAR = {
    "name": "МКУ «Управление образования Сунтарского улуса»",
    "short_name": "МКУ «УО Сунтарского улуса»",
    "locality": "с. Сунтар",
    "address": "с. Сунтар, ул. Ленина, 26",
}

# (login, short name, locality); full names follow the usual pattern.
NYURBA_SCHOOLS = [
    ("nyurba-sosh1", "Нюрбинская СОШ №1", "г. Нюрба"),
    ("nyurba-sosh2", "Нюрбинская СОШ №2", "г. Нюрба"),
    ("nyurba-gymn", "Нюрбинская гимназия", "г. Нюрба"),
    ("nyurba-lyceum", "Нюрбинский технический лицей", "г. Нюрба"),
    ("antonovka", "Антоновская СОШ", "с. Антоновка"),
    ("akana", "Аканинская СОШ", "с. Акана"),
    ("bordon", "Бордонская СОШ", "с. Бордон"),
    ("dikimdya", "Дикимдинская СОШ", "с. Дикимдя"),
    ("kyundyadya", "Кюндядинская СОШ", "с. Кюндядя"),
    ("kyuyokyoy", "Кюкяйская СОШ", "с. Кюкяй"),
    ("maar", "Маарская СОШ", "с. Маар"),
    ("malykay", "Малыкайская СОШ", "с. Малыкай"),
    ("malzhagar", "Мальжагарская СОШ", "с. Мальжагар"),
    ("markha", "Мархинская СОШ", "с. Марха"),
    ("syulya", "Сюлинская СОШ", "с. Сюля"),
    ("tokko", "Токкинская СОШ", "с. Токко"),
    ("ynakhsyt", "Ынахсытская СОШ", "с. Ынахсыт"),
    ("chappanda", "Чаппандинская СОШ", "с. Чаппанда"),
    ("khatyn", "Хатынская СОШ", "с. Хатын"),
    ("khorula", "Хорулинская ООШ", "с. Хорула"),
]

SUNTAR_SCHOOLS = [
    ("suntar-sosh1", "Сунтарская СОШ №1", "с. Сунтар"),
    ("elgyay", "Эльгяйская СОШ", "с. Эльгяй"),
    ("kutana", "Кутанинская СОШ", "с. Кутана"),
]

# (login, full name, role, organization key: "region", "nyurba" or "suntar")
STAFF = [
    ("region-admin", "Александрова Анна Семёновна", "admin", "region"),
    ("nyurba-admin", "Егорова Туйаара Николаевна", "admin", "nyurba"),
    ("suntar-admin", "Петров Айаал Иванович", "admin", "suntar"),
    ("jury-ivanova", "Иванова Сардаана Петровна", "jury", "nyurba"),
    ("jury-nikolaev", "Николаев Ньургун Васильевич", "jury", "nyurba"),
    ("jury-sivtseva", "Сивцева Айталина Иннокентьевна", "jury", "nyurba"),
    ("nyurba-viewer", "Васильева Мария Егоровна", "viewer", "nyurba"),
]


def school_full_name(short_name: str) -> str:
    kinds = {
        "СОШ": "средняя общеобразовательная школа",
        "ООШ": "основная общеобразовательная школа",
    }
    for abbreviation, words in kinds.items():
        if short_name.endswith(abbreviation) or f" {abbreviation} " in short_name:
            return "МБОУ «" + short_name.replace(abbreviation, words) + "»"
    return "МБОУ «" + short_name + "»"
