"""The OpenAPI 3.1 description of the JSON API, built as a plain dict (served at openapi.json).

Kept beside the views it describes; tests check that every API route appears here.
"""

from app.core.pagination import MAX_PAGE

STATUSES = ["not_started", "draft", "submitted", "returned", "accepted"]
_ONE_STATUS = "(" + "|".join(STATUSES) + ")"
STATUS_LIST = f"^{_ONE_STATUS}(,{_ONE_STATUS})*$"  # one status, or several separated by commas

DESCRIPTION = """\
Read-only access to monitorings (campaigns), their reports and the schools' responses.

**Authentication.** Create a personal token on your profile page and send it in every request:
`Authorization: Bearer slib_…`. The token is shown once; revoke it on the same page. Tokens of
a deactivated account stop working at once.

**What you see.** The same data as in the browser: district staff and observers see the
campaigns of their district (a regional account: of every district below it), their reports
and the responses of their schools. A school's token gets an empty campaign list and 403 on
reports; it can read the responses of a campaign sent to the school, which are its own only.
Jury members have no API access.

**Numbers.** Decimal figures are strings in plain notation without trailing zeros ("20",
"0.5", "33.3"), exact as computed: means and medians to six decimal places, percents to one.
Counts are integers. Dates are `YYYY-MM-DD`; times are ISO 8601 in UTC.

**Statuses.** By default only counted responses are read: `submitted` and `accepted`. Choose
others with `?status=draft&status=submitted` or `?status=draft,submitted`.
"""


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    schema = {"type": "object", "properties": properties, **extra}
    schema["required"] = list(properties) if required is None else required
    return schema


def _nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


INTEGER = {"type": "integer"}
STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
COUNTS = {"type": "object", "additionalProperties": INTEGER}


def _kind(name: str, properties: dict, description: str) -> dict:
    return _object(
        {"kind": {"const": name}, **properties},
        description=description,
    )


QUESTION_KINDS = {
    "ChoicesReport": _kind(
        "choices",
        {
            "respondents": INTEGER,
            "options": {
                "type": "array",
                "items": _object(
                    {
                        "code": STRING,
                        "label": STRING,
                        "count": INTEGER,
                        "percent": {"anyOf": [_ref("Decimal"), {"type": "null"}]},
                    }
                ),
            },
        },
        "Single, multiple choice and yes/no questions. Percents are of the respondents, so a "
        "multiple choice's may add up to more than 100. A school that was shown a multiple "
        "choice and ticked nothing is a respondent; one that was not shown it (its condition "
        "hid it) is not.",
    ),
    "NumbersReport": _kind(
        "numbers",
        {
            "n": INTEGER,
            **{
                name: {"anyOf": [_ref("Decimal"), {"type": "null"}]}
                for name in ("sum", "mean", "median", "min", "max")
            },
        },
        "Integer, decimal and scale questions.",
    ),
    "DatesReport": _kind(
        "dates",
        {"n": INTEGER, "earliest": _nullable(DATE), "latest": _nullable(DATE)},
        "Date questions.",
    ),
    "MatrixReport": _kind(
        "matrix",
        {
            "respondents": INTEGER,
            "rows": {
                "type": "array",
                "items": _object({"code": STRING, "label": STRING, "counts": COUNTS}),
            },
            "choices": {"type": "array", "items": _object({"code": STRING, "label": STRING})},
        },
        "Matrix questions: for each row, the number of answers per column choice code.",
    ),
    "TableReport": _kind(
        "table",
        {
            "rows_total": INTEGER,
            "schools": INTEGER,
            "per_school_mean": {"anyOf": [_ref("Decimal"), {"type": "null"}]},
            "columns": {
                "type": "object",
                "description": "By column key: numeric columns give n, sum and mean; choice "
                "columns give counts per option code; other columns give n.",
                "additionalProperties": {"type": "object"},
            },
        },
        "Repeatable tables (one row per staff member, for example).",
    ),
    "TextsReport": _kind(
        "texts",
        {
            "n": INTEGER,
            "page": INTEGER,
            "per_page": INTEGER,
            "pages": INTEGER,
            "answers": {
                "type": "array",
                "items": _object({"organization": _ref("Organization"), "text": STRING}),
            },
        },
        "Text, e-mail and phone questions: the number of answers and the first page of them, "
        "in the order of the organizations' names. Every answer is in the responses.",
    ),
    "FilesReport": _kind("files", {"n": INTEGER}, "File questions: how many attached one."),
}

SCHEMAS = {
    "Error": _object({"error": STRING}),
    "Decimal": {
        "type": "string",
        "pattern": r"^-?\d+(\.\d+)?$",
        "description": "An exact decimal in plain notation, without trailing zeros.",
        "examples": ["20", "0.5", "33.3"],
    },
    "Organization": _object({"id": INTEGER, "name": STRING, "locality": STRING}),
    "Campaign": _object(
        {
            "id": INTEGER,
            "title": STRING,
            "organization": {**_ref("Organization"), "description": "Who sent the campaign."},
            "form": _object({"id": INTEGER, "version": INTEGER, "title": STRING}),
            "opens_at": DATE_TIME,
            "closes_at": DATE_TIME,
        }
    ),
    "Response": _object(
        {
            "id": INTEGER,
            "organization": _ref("Organization"),
            "status": {"enum": STATUSES},
            "submitted_at": _nullable(DATE_TIME),
            "answers": {
                "type": "object",
                "description": "The answers keyed by question key, as the school saved them: "
                "numbers and dates as strings, choices as option codes (a list for a multiple "
                "choice, empty when shown and none ticked; missing when not shown), a matrix "
                "as {row code: choice code}, a table as a list of rows keyed by column key, a "
                "file as {id, name}.",
                "additionalProperties": True,
            },
        }
    ),
    "Completion": _object(
        {
            "statuses": {**COUNTS, "description": "Responses by status, whatever ?status= says."},
            "total": INTEGER,
            "on_time": INTEGER,
            "late": INTEGER,
        }
    ),
    **QUESTION_KINDS,
    "QuestionReport": {
        "allOf": [
            _object(
                {"label": STRING, "type": STRING, "section": STRING},
                description="The question's label, type and section key, then its figures.",
            ),
            {
                "oneOf": [_ref(name) for name in QUESTION_KINDS],
                "discriminator": {"propertyName": "kind"},
            },
        ]
    },
    "Report": _object(
        {
            "campaign": _ref("Campaign"),
            "statuses": {"type": "array", "items": {"enum": STATUSES}},
            "completion": _ref("Completion"),
            "sections": {
                "type": "array",
                "items": _object(
                    {
                        "key": STRING,
                        "title": STRING,
                        "questions": {"type": "array", "items": STRING},
                    },
                    description="The form's sections in order, with their question keys.",
                ),
            },
            "questions": {"type": "object", "additionalProperties": _ref("QuestionReport")},
        }
    ),
}


def _page_of(name: str) -> dict:
    return _object(
        {
            "items": {"type": "array", "items": _ref(name)},
            "page": INTEGER,
            "per_page": INTEGER,
            "total": INTEGER,
            "pages": INTEGER,
        },
        description="One page of 50 items; a page past the last one is empty.",
    )


SCHEMAS["CampaignPage"] = _page_of("Campaign")
SCHEMAS["ResponsePage"] = _page_of("Response")

ERRORS = {
    "400": "A parameter is wrong (an unknown status, a page that is no whole number from 1).",
    "401": "No token, or the token is unknown or revoked, or its account is deactivated.",
    "403": "The token's user may not read this (a school asking for a report).",
    "404": "No such campaign, or not one the token's user may see.",
}

PARAMETERS = {
    "campaign_id": {"name": "campaign_id", "in": "path", "required": True, "schema": INTEGER},
    "page": {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    "status": {
        "name": "status",
        "in": "query",
        "description": "Response statuses to read (" + ", ".join(STATUSES) + "); repeated or "
        "comma-separated, without spaces. Default: submitted and accepted.",
        "schema": {"type": "array", "items": {"type": "string", "pattern": STATUS_LIST}},
        "style": "form",
        "explode": True,
    },
}


def _operation(summary: str, schema: str, parameters: list[str], errors: list[str]) -> dict:
    responses = {
        "200": {
            "description": "OK",
            "content": {"application/json": {"schema": _ref(schema)}},
        }
    }
    for code in errors:
        responses[code] = {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    return {
        "get": {
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in parameters],
            "responses": responses,
        }
    }


PATHS = {
    "/campaigns": _operation(
        "Campaigns the token's user may see, newest deadline first",
        "CampaignPage",
        ["page"],
        ["400", "401", "403"],
    ),
    "/campaigns/{campaign_id}/report": _operation(
        "Completion and per-question figures, keyed by question key",
        "Report",
        ["campaign_id", "status"],
        ["400", "401", "403", "404"],
    ),
    "/campaigns/{campaign_id}/responses": _operation(
        "Responses with their answers keyed by question key, by organization name",
        "ResponsePage",
        ["campaign_id", "status", "page"],
        ["400", "401", "403", "404"],
    ),
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "security": [],
            "responses": {"200": {"description": "The OpenAPI document"}},
        }
    },
}


def document(server_url: str) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "School libraries: monitoring API",
            "version": "1.0.0",
            "description": DESCRIPTION,
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "slib_ followed by 43 URL-safe characters",
                    "description": "A personal API token from the profile page.",
                }
            },
            "parameters": PARAMETERS,
            "schemas": SCHEMAS,
        },
    }
