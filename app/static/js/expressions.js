/*
 * The browser's evaluator of the expression language (see app/questionnaires/expressions/).
 *
 * The server parses an expression into a syntax tree of plain JSON lists and hands it to the
 * page; this file only walks such trees. It mirrors app/questionnaires/expressions/evaluator.py,
 * functions.py, values.py and regex_safety.py function by function, and the conformance table
 * (tests/fixtures/expressions/conformance.json) holds both to one behaviour. No eval, no
 * new Function: a tree is data.
 */
(function () {
  "use strict";

  // Values: number, string, boolean, XDate, or an Array (a nodeset).

  class XDate {
    constructor(days) {
      this.days = days;
    }
  }

  const FIRST_DAY = -719162; // 0001-01-01, the first day Python's dates know
  const LAST_DAY = 2932896; // 9999-12-31
  const NUMERIC = /^[ \t\n\r]*(-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+)[ \t\n\r]*$/;
  const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  const SPACES = /[ \t\n\r]+/;
  const KEY_IN_TEXT = /^\$\{([^}]*)\}$/;
  const MONTHS = [
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
  ];
  const MAX_DIGITS = 15;
  const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
    1e14, 1e15];

  function own(object, key) {
    if (object && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key)) {
      return object[key];
    }
    return undefined;
  }

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  // Numbers

  // Negative zero never appears: every number made here passes through num().
  function num(value) {
    return value === 0 ? 0 : value;
  }

  function formatNumber(value) {
    if (Number.isNaN(value)) return "NaN";
    if (value === Infinity) return "Infinity";
    if (value === -Infinity) return "-Infinity";
    if (value === 0) return "0";
    return plainDecimal(String(value));
  }

  // Shortest round-trip digits without the exponent: "1e+21" -> "1000000000000000000000".
  function plainDecimal(text) {
    const sign = text.startsWith("-") ? "-" : "";
    const unsigned = text.replace(/^-/, "");
    const [mantissa, exponent] = unsigned.split("e");
    const [whole, fraction = ""] = mantissa.split(".");
    const joined = whole + fraction;
    const stripped = joined.replace(/^0+/, "");
    let digits = stripped || "0";
    let point = whole.length - (joined.length - stripped.length);
    point += exponent ? parseInt(exponent, 10) : 0;
    digits = digits.replace(/0+$/, "") || "0";
    let result;
    if (point <= 0) result = "0." + "0".repeat(-point) + digits;
    else if (point >= digits.length) result = digits + "0".repeat(point - digits.length);
    else result = digits.slice(0, point) + "." + digits.slice(point);
    return sign + result;
  }

  // Dates: days since 1970-01-01 (H. Hinnant's civil calendar algorithms).

  function daysFromCivil(year, month, day) {
    const y = month <= 2 ? year - 1 : year;
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100)
      + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
  }

  function civilFromDays(days) {
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const dayOfEra = z - era * 146097;
    const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460)
      + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
    const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4)
      - Math.floor(yearOfEra / 100));
    const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
    const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
    const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
    return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
  }

  function pad(value, width) {
    return String(value).padStart(width, "0");
  }

  function isoText(date) {
    const [year, month, day] = civilFromDays(date.days);
    return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  }

  function isLeap(year) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  }

  function isoDate(text) {
    const match = ISO_DATE.exec(text);
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > lengths[month - 1]) return null;
    return new XDate(daysFromCivil(year, month, day));
  }

  function dateFromDays(days) {
    if (!Number.isFinite(days)) return null;
    const whole = Math.floor(days);
    return whole >= FIRST_DAY && whole <= LAST_DAY ? new XDate(whole) : null;
  }

  function toDate(value) {
    if (Array.isArray(value)) return value.length ? toDate(value[0]) : null;
    if (value instanceof XDate) return value;
    if (typeof value === "string") {
      const found = isoDate(value);
      if (found) return found;
    }
    if (typeof value === "boolean") return null;
    return dateFromDays(asNumber(value));
  }

  function dayNumber(value) {
    if (typeof value === "string") {
      const found = isoDate(value);
      if (found) return found.days;
    }
    return asNumber(value);
  }

  function formatDate(date, pattern) {
    const [year, month, day] = civilFromDays(date.days);
    const directives = {
      Y: pad(year, 4), y: pad(year % 100, 2), m: pad(month, 2), n: String(month),
      d: pad(day, 2), e: String(day), b: MONTHS[month - 1],
    };
    let result = "";
    let at = 0;
    while (at < pattern.length) {
      const directive = pattern[at] === "%" ? pattern.charAt(at + 1) : "";
      if (directive && Object.prototype.hasOwnProperty.call(directives, directive)) {
        result += directives[directive];
        at += 2;
      } else {
        result += pattern[at];
        at += 1;
      }
    }
    return result;
  }

  // Conversions

  function asNumber(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    if (typeof value === "string") {
      const match = NUMERIC.exec(value);
      return match ? num(Number(match[1])) : NaN;
    }
    if (value instanceof XDate) return value.days;
    if (Array.isArray(value)) return value.length ? asNumber(value[0]) : NaN;
    return NaN;
  }

  function asString(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return formatNumber(value);
    if (typeof value === "string") return value;
    if (value instanceof XDate) return isoText(value);
    if (Array.isArray(value)) return value.length ? asString(value[0]) : "";
    return "";
  }

  function asBoolean(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return !Number.isNaN(value) && value !== 0;
    if (typeof value === "string" || Array.isArray(value)) return value.length > 0;
    return value instanceof XDate;
  }

  // What a calculate stores: null for '' and for NaN/±Infinity.
  function storedValue(value) {
    if (Array.isArray(value)) return value.length ? storedValue(value[0]) : null;
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") return Number.isFinite(value) ? value : null;
    if (value instanceof XDate) return isoText(value);
    return value || null;
  }

  // The value as JSON with its type, as the conformance table writes it.
  function typed(value) {
    if (Array.isArray(value)) {
      return { type: "nodeset", value: value.map((item) => typed(item).value) };
    }
    if (typeof value === "boolean") return { type: "boolean", value };
    if (typeof value === "number") {
      return { type: "number", value: Number.isFinite(value) ? value : formatNumber(value) };
    }
    if (value instanceof XDate) return { type: "date", value: isoText(value) };
    return { type: "string", value };
  }

  function isNumeric(text) {
    return NUMERIC.test(text);
  }

  function splitCodes(value) {
    return asString(value).split(SPACES).filter((code) => code !== "");
  }

  function codePoints(text) {
    return Array.from(text);
  }

  // Python compares strings by code points; JavaScript's < by UTF-16 units.
  function compareText(a, b) {
    const left = codePoints(a);
    const right = codePoints(b);
    const length = Math.min(left.length, right.length);
    for (let index = 0; index < length; index += 1) {
      const difference = left[index].codePointAt(0) - right[index].codePointAt(0);
      if (difference !== 0) return difference < 0 ? -1 : 1;
    }
    return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
  }

  function readAnswer(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean" || typeof value === "string") return value;
    if (typeof value === "number") return num(value);
    if (Array.isArray(value)) {
      return value.map(code).filter((item) => item !== null).join(" ");
    }
    if (isObject(value) && typeof own(value, "name") === "string") return value.name;
    return "";
  }

  function code(item) {
    if (typeof item === "string") return item;
    if (typeof item === "number") return formatNumber(num(item));
    return null;
  }

  // Operators

  function arithmetic(op, a, b) {
    if (op === "+") return num(a + b);
    if (op === "-") return num(a - b);
    if (op === "*") return num(a * b);
    if (op === "div") {
      if (b === 0) return a === 0 || Number.isNaN(a) ? NaN : a > 0 ? Infinity : -Infinity;
      return num(a / b);
    }
    return num(a % b);
  }

  function ordered(op, a, b) {
    if (op === "<") return a < b;
    if (op === "<=") return a <= b;
    if (op === ">") return a > b;
    return a >= b;
  }

  function isIso(value) {
    return typeof value === "string" && isoDate(value) !== null;
  }

  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") return asBoolean(a) === asBoolean(b);
    if (typeof a === "number" || typeof b === "number") return asNumber(a) === asNumber(b);
    if (a instanceof XDate || b instanceof XDate) return dayNumber(a) === dayNumber(b);
    return asString(a) === asString(b);
  }

  function compare(op, a, b) {
    if (Array.isArray(a) || Array.isArray(b)) {
      const lefts = Array.isArray(a) ? a : [a];
      const rights = Array.isArray(b) ? b : [b];
      return lefts.some((left) => rights.some((right) => compare(op, left, right)));
    }
    if (op === "=" || op === "!=") return equal(a, b) === (op === "=");
    if (a instanceof XDate || b instanceof XDate || (isIso(a) && isIso(b))) {
      return ordered(op, dayNumber(a), dayNumber(b));
    }
    if (typeof a === "string" && typeof b === "string" && !isNumeric(a) && !isNumeric(b)) {
      return ordered(op, compareText(a, b), 0);
    }
    return ordered(op, asNumber(a), asNumber(b));
  }

  // Regular expressions: the subset of regex_safety.py, checked the same way.

  const MAX_PATTERN = 200;
  const MAX_TEXT = 10000;
  const MAX_REPEAT = 1000;
  const STEP_BUDGET = 1e8;
  const TEXT_LADDER = [MAX_TEXT, 5000, 2000, 1000, 500, 300, 200, 100, 50];
  const WIDE_REPEAT = 20;
  const SYNTAX = "^$\\.*+?()[]{}|/";
  const CLASS_ESCAPES = "dDwW";
  const CONTROL = { n: "\n", t: "\t", r: "\r" };
  const BRACES = /^\{([0-9]+)(,([0-9]*))?\}/;
  const patterns = new Map();

  function refused() {
    throw new Error("refused");
  }

  // The longest text of TEXT_LADDER a search stays within STEP_BUDGET on, if any.
  function textLimit(openRepetitions, alternatives) {
    for (const length of TEXT_LADDER) {
      let steps = alternatives;
      for (let round = 0; round <= openRepetitions; round += 1) {
        steps *= length;
        if (steps > STEP_BUDGET) break;
      }
      if (steps <= STEP_BUDGET) return length;
    }
    return null;
  }

  // Checks a pattern as regex_safety.py's _Scanner does, method by method.
  class PatternScanner {
    constructor(chars) {
      this.chars = chars;
      this.at = 0;
      this.groups = [{ risky: false, branches: 1 }];
      this.last = null; // null, "atom", "anchor", "quantified", or a closed group
      this.openRepetitions = 0;
      this.alternatives = 1; // the product of every group's number of alternatives
    }

    // The longest text the pattern is matched against; throws for a refused pattern.
    run() {
      while (this.at < this.chars.length) this.step(this.chars[this.at]);
      if (this.groups.length > 1) refused();
      this.countAlternatives(this.groups[0]);
      const limit = textLimit(this.openRepetitions, this.alternatives);
      if (limit === null) refused();
      return limit;
    }

    countAlternatives(group) {
      this.alternatives = Math.min(this.alternatives * group.branches, STEP_BUDGET + 1);
    }

    step(char) {
      const group = this.groups[this.groups.length - 1];
      if (char === "\\") this.escape();
      else if (char === "(") {
        if (this.chars[this.at + 1] === "?") refused();
        this.groups.push({ risky: false, branches: 1 });
        this.advance(null, 1);
      } else if (char === ")") this.closeGroup();
      else if (char === "|") {
        group.risky = true;
        group.branches += 1;
        this.advance(null, 1);
      } else if (char === "[") {
        this.advance("atom", scanClass(this.chars, this.at) - this.at);
      } else if (char === "*" || char === "+" || char === "?") {
        this.quantifier(char, 1, char !== "?");
      } else if (char === "{") this.braces();
      else if (char === "}" || char === "]") refused();
      else if (char === "^" || char === "$") this.advance("anchor", 1);
      else this.advance("atom", 1);
    }

    advance(last, width) {
      this.last = last;
      this.at += width;
    }

    escape() {
      const next = this.chars[this.at + 1] || "";
      if (next === "b") this.advance("anchor", 2);
      else if (next && (CLASS_ESCAPES.includes(next) || next in CONTROL || SYNTAX.includes(next))) {
        this.advance("atom", 2);
      } else refused();
    }

    closeGroup() {
      if (this.groups.length === 1) refused();
      const group = this.groups.pop();
      this.countAlternatives(group);
      const parent = this.groups[this.groups.length - 1];
      parent.risky = parent.risky || group.risky;
      this.advance(group, 1);
    }

    quantifier(text, width, openEnded) {
      const last = this.last;
      if (last === null || last === "anchor" || last === "quantified") refused();
      if (typeof last === "object" && last.risky && text !== "?") refused();
      if (openEnded) this.openRepetitions = Math.min(this.openRepetitions + 1, MAX_PATTERN);
      this.groups[this.groups.length - 1].risky = true;
      this.advance("quantified", width);
      if (this.chars[this.at] === "?") this.at += 1;
    }

    // {n}, {n,} or {n,m}: open when it has no end or is wider than WIDE_REPEAT.
    braces() {
      const match = BRACES.exec(this.chars.slice(this.at).join(""));
      if (!match) refused();
      const low = Number(match[1]);
      const high = match[3] ? Number(match[3]) : null;
      if (Math.max(low, high === null ? 0 : high) > MAX_REPEAT) refused();
      if (match[2] && high !== null && high < low) refused();
      const wide = Boolean(match[2]) && (high === null || high - low > WIDE_REPEAT);
      this.quantifier(match[0], codePoints(match[0]).length, wide);
    }
  }

  function scanClass(chars, start) {
    let end = start + 1;
    if (chars[end] === "^") end += 1;
    if (chars[end] === "]") refused();
    const items = []; // a character, or null for \d-like escapes
    for (;;) {
      if (end >= chars.length) refused();
      const char = chars[end];
      if (char === "]") break;
      const pair = char + (chars[end + 1] || "");
      if (char === "[" || pair === "--" || pair === "&&" || pair === "~~" || pair === "||") {
        refused();
      }
      if (char === "\\") {
        const next = chars[end + 1] || "";
        if (next && CLASS_ESCAPES.includes(next)) items.push(null);
        else if (next && next in CONTROL) items.push(CONTROL[next]);
        else if (next && (SYNTAX.includes(next) || next === "-")) items.push("\\" + next);
        else refused();
        end += 2;
      } else {
        items.push(char);
        end += 1;
      }
    }
    checkRanges(items);
    return end + 1;
  }

  function lastCodePoint(item) {
    const points = codePoints(item);
    return points[points.length - 1].codePointAt(0);
  }

  function checkRanges(items) {
    let index = 0;
    while (index < items.length - 2) {
      if (items[index + 1] !== "-") {
        index += 1;
        continue;
      }
      const low = items[index];
      const high = items[index + 2];
      if (low === null || high === null) refused();
      if (lastCodePoint(low) > lastCodePoint(high)) refused();
      if (index + 4 < items.length && items[index + 3] === "-") refused();
      index += 3;
    }
  }

  function compiledPattern(pattern) {
    if (patterns.has(pattern)) return patterns.get(pattern);
    let compiled = null;
    const chars = codePoints(pattern);
    if (chars.length <= MAX_PATTERN) {
      try {
        const limit = new PatternScanner(chars).run();
        compiled = { expression: new RegExp(pattern, "u"), limit };
      } catch (error) {
        compiled = null;
      }
    }
    if (patterns.size > 256) patterns.clear();
    patterns.set(pattern, compiled);
    return compiled;
  }

  // Functions

  function items(value) {
    return Array.isArray(value) ? value : [value];
  }

  function round(x, digits) {
    const value = asNumber(x);
    let places = digits === undefined ? 0 : asNumber(digits);
    if (!Number.isFinite(value) || Number.isNaN(places)) return value;
    places = Math.trunc(Math.max(-MAX_DIGITS, Math.min(MAX_DIGITS, places)));
    const scale = POWERS_OF_TEN[Math.abs(places)];
    const scaled = places >= 0 ? value * scale : value / scale;
    if (!Number.isFinite(scaled)) return value;
    const rounded = Math.floor(scaled + 0.5);
    return num(places >= 0 ? rounded / scale : rounded * scale);
  }

  function whole(value, rounding) {
    const number = asNumber(value);
    return Number.isFinite(number) ? num(rounding(number)) : number;
  }

  function index(value, length) {
    const position = asNumber(value);
    if (Number.isNaN(position)) return null;
    if (!Number.isFinite(position)) return position < 0 ? 0 : length;
    return Math.max(0, Math.min(length, Math.trunc(position)));
  }

  function substr(text, start, end) {
    const characters = codePoints(asString(text));
    const first = index(start, characters.length);
    const last = end === undefined ? characters.length : index(end, characters.length);
    if (first === null || last === null) return "";
    return characters.slice(first, last).join("");
  }

  function selectedAt(codes, position) {
    const found = splitCodes(codes);
    const number = asNumber(position);
    if (!Number.isFinite(number)) return "";
    const at = Math.trunc(number);
    return at >= 0 && at < found.length ? found[at] : "";
  }

  function regex(text, pattern) {
    const subject = asString(text);
    const compiled = compiledPattern(asString(pattern));
    if (compiled === null) return false;
    if (subject.length > compiled.limit && codePoints(subject).length > compiled.limit) {
      return false;
    }
    return compiled.expression.test(subject);
  }

  function extreme(values, smaller) {
    const numbers = [];
    values.forEach((value) => items(value).forEach((item) => numbers.push(asNumber(item))));
    if (!numbers.length) return NaN;
    let best = numbers[0];
    for (let at = 1; at < numbers.length; at += 1) {
      const candidate = numbers[at];
      if (Number.isNaN(candidate) || Number.isNaN(best)) return NaN;
      if (smaller ? candidate < best : candidate > best) best = candidate;
    }
    return best;
  }

  function sum(value) {
    let total = 0;
    items(value).forEach((item) => {
      total += asNumber(item);
    });
    return num(total);
  }

  function orEmpty(date) {
    return date === null ? "" : date;
  }

  const EAGER = {
    true: () => true,
    false: () => false,
    not: (e, x) => !asBoolean(x),
    boolean: (e, x) => asBoolean(x),
    string: (e, x) => asString(x),
    number: (e, x) => asNumber(x),
    int: (e, x) => whole(x, Math.trunc),
    round: (e, x, digits) => round(x, digits),
    abs: (e, x) => num(Math.abs(asNumber(x))),
    floor: (e, x) => whole(x, Math.floor),
    ceiling: (e, x) => whole(x, Math.ceil),
    selected: (e, codes, wanted) => splitCodes(codes).includes(asString(wanted)),
    "count-selected": (e, codes) => splitCodes(codes).length,
    "selected-at": (e, codes, position) => selectedAt(codes, position),
    "jr:choice-name": (e, value, question) => {
      const match = KEY_IN_TEXT.exec(asString(question));
      const labels = match ? own(e.env.choices, match[1]) : undefined;
      const label = own(labels, asString(value));
      return typeof label === "string" ? label : "";
    },
    "string-length": (e, text) => codePoints(asString(text)).length,
    concat: (e, ...parts) => parts.map(asString).join(""),
    substr: (e, text, start, end) => substr(text, start, end),
    contains: (e, text, part) => asString(text).includes(asString(part)),
    "starts-with": (e, text, part) => asString(text).startsWith(asString(part)),
    "ends-with": (e, text, part) => asString(text).endsWith(asString(part)),
    regex: (e, text, pattern) => regex(text, pattern),
    min: (e, ...values) => extreme(values, true),
    max: (e, ...values) => extreme(values, false),
    sum: (e, value) => sum(value),
    count: (e, value) => items(value).length,
    today: (e) => orEmpty(toDate(e.env.today || "")),
    date: (e, value) => orEmpty(toDate(value)),
    "decimal-date-time": (e, value) => dayNumber(value),
    "format-date": (e, value, pattern) => {
      const found = toDate(value);
      return found === null ? "" : formatDate(found, asString(pattern));
    },
  };

  const LAZY = {
    if: (e, args) => e.value(asBoolean(e.value(args[0])) ? args[1] : args[2]),
    coalesce: (e, args) => {
      const first = e.value(args[0]);
      return asString(first) !== "" ? first : e.value(args[1]);
    },
    position: (e) => {
      const row = e.env.row;
      const at = row ? own(row, "index") : undefined;
      return Number.isInteger(at) ? at + 1 : NaN;
    },
    "indexed-repeat": (e, args) => {
      const position = asNumber(e.value(args[2]));
      const rows = e.rows(args[1][1]);
      if (!Number.isFinite(position)) return "";
      const at = Math.trunc(position);
      return at >= 1 && at <= rows.length ? readAnswer(own(rows[at - 1], args[0][1])) : "";
    },
  };

  // Evaluation

  class Evaluation {
    constructor(env) {
      this.env = env || {};
      this.answers = this.env.answers || {};
    }

    value(node) {
      const kind = node[0];
      if (kind === "num") return num(node[1]);
      if (kind === "str") return node[1];
      if (kind === "ref") return this.reference(node[1]);
      if (kind === "cur") return this.env.current ? this.reference(this.env.current) : "";
      if (kind === "name") return readAnswer(own(this.env.choice || {}, node[1]));
      if (kind === "neg") return num(-asNumber(this.value(node[1])));
      if (kind === "op") return this.operation(node[1], node[2], node[3]);
      if (kind === "call") return this.call(node[1], node[2]);
      if (kind === "parent") return "";
      throw new Error(`unknown node ${kind}`);
    }

    call(name, args) {
      if (Object.prototype.hasOwnProperty.call(LAZY, name)) return LAZY[name](this, args);
      if (!Object.prototype.hasOwnProperty.call(EAGER, name)) {
        throw new Error(`unknown function ${name}`);
      }
      return EAGER[name](this, ...args.map((arg) => this.value(arg)));
    }

    reference(key) {
      const tables = this.env.tables || {};
      if (own(tables, key) !== undefined) return this.rows(key).map(() => "");
      const table = Object.keys(tables).find((name) => {
        const columns = tables[name];
        return Array.isArray(columns) && columns.includes(key);
      });
      if (table === undefined) return readAnswer(own(this.answers, key));
      const row = this.env.row;
      if (row && own(row, "table") === table) return this.cell(table, own(row, "index"), key);
      return this.rows(table).map((cells) => readAnswer(own(cells, key)));
    }

    rows(table) {
      const rows = own(this.answers, table);
      return Array.isArray(rows) ? rows.filter(isObject) : [];
    }

    cell(table, at, column) {
      const rows = this.rows(table);
      if (Number.isInteger(at) && at >= 0 && at < rows.length) {
        return readAnswer(own(rows[at], column));
      }
      return "";
    }

    operation(op, left, right) {
      if (op === "and") return asBoolean(this.value(left)) && asBoolean(this.value(right));
      if (op === "or") return asBoolean(this.value(left)) || asBoolean(this.value(right));
      const a = this.value(left);
      const b = this.value(right);
      if (["=", "!=", "<", "<=", ">", ">="].includes(op)) return compare(op, a, b);
      return arithmetic(op, asNumber(a), asNumber(b));
    }
  }

  function evaluate(ast, env) {
    return new Evaluation(env).value(ast);
  }

  window.FormExpressions = {
    evaluate,
    asBoolean,
    asNumber,
    asString,
    storedValue,
    typed,
    isDate: (value) => value instanceof XDate,
  };
})();
