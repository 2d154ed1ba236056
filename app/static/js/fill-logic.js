// The logic of a filling page: answers read as the server cleans them (spec.py shapes),
// conditions, calculations, constraints, choice filters, «Другое» and texts with ${key}.
// Mirrors app/questionnaires/conditions.py and validation.py; expressions are evaluated by
// window.FormExpressions (expressions.js) on the environment expressions.md describes. The
// server checks every answer again on save: what it stores is the authority.
window.FillLogic = (() => {
  "use strict";

  const INTEGER = /^[+-]?\d+$/;
  const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const RUSSIAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
  // cleaning._GROUPED: groups of three split by a space of any kind (5 400; 1 000 000,5).
  const GROUPED = /^[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d*)?$/;
  const GROUP_SPACE = /[ \u00a0\u202f\u2009]/g;
  const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
  const CHOICES = ["single", "multiple"];
  const LABELLED = [...CHOICES, "yesno", "scale"];
  // answer_rules.row_count takes up to 10**6 rows; a page shows at most this many.
  const MAX_SHOWN_ROWS = 500;
  // spec.py: DEFAULT_NUMBER_RANGE and DEFAULT_SCALE, where the question sets no min or max.
  const DEFAULT_RANGE = { integer: [-1e12, 1e12], decimal: [-1e12, 1e12], scale: [1, 5] };
  // As app/core/numbers.grouped writes them: 5 400; 40,5 (at most three decimals).
  const russianNumber = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 3 });

  // ---- the data of a question, a table column or a section (questions.html: logic_attrs) --

  const specs = new WeakMap();
  const json = (text) => (text ? JSON.parse(text) : null);

  function specOf(box) {
    if (!specs.has(box)) {
      const data = box.dataset;
      specs.set(box, {
        key: data.key || data.column,
        type: data.type,
        condition: json(data.condition),
        requiredIf: json(data.requiredIf),
        constraint: json(data.constraint),
        message: data.constraintMessage,
        calculation: json(data.calculation),
        choiceFilter: json(data.choiceFilter),
        readOnly: data.readOnly === "true",
        min: data.min,
        max: data.max,
        tooLow: data.tooLow,
        tooHigh: data.tooHigh,
        columns: json(data.columns),
        repeatCount: json(data.repeatCount),
      });
    }
    return specs.get(box);
  }

  const isCell = (box) => box.tagName === "TD";

  // ---- answers in the stored shape, as validation.py cleans them ---------------------------

  const unanswered = (value) =>
    value === null || value === undefined || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

  // validation.format_decimal of a numeric string: "00,50" is stored as "0.5".
  function plainDecimal(text) {
    const [, sign, whole, fraction] = text.match(/^([+-]?)(\d*)\.?(\d*)$/);
    const decimals = fraction.replace(/0+$/, "");
    const digits = (whole.replace(/^0+/, "") || "0") + (decimals ? `.${decimals}` : "");
    return sign === "-" && digits !== "0" ? `-${digits}` : digits;
  }

  // cleaning.number_text: "5 400,5" -> "5400.5"; other text stays as typed.
  function numberText(raw) {
    const text = String(raw).trim();
    return (GROUPED.test(text) ? text.replace(GROUP_SPACE, "") : text).replaceAll(",", ".");
  }

  function bounds(spec) {
    const [low, high] = DEFAULT_RANGE[spec.type];
    return [
      spec.min === undefined ? low : Number(spec.min),
      spec.max === undefined ? high : Number(spec.max),
    ];
  }

  function withinBounds(spec, number) {
    const [min, max] = bounds(spec);
    return !(number < min) && !(number > max);
  }

  // What the server will say of a typed number beyond the question's bounds
  // (cleaning.bound_messages), or null: a number within them, or no number at all.
  function outOfBounds(spec, raw) {
    if (!spec.tooLow || raw === null || raw === undefined || typeof raw === "object") return null;
    const text = numberText(raw);
    if (!(spec.type === "decimal" ? DECIMAL : INTEGER).test(text)) return null;
    const [min, max] = bounds(spec);
    const number = Number(text);
    if (number < min) return spec.tooLow;
    return number > max ? spec.tooHigh : null;
  }

  function isDate(text) {
    const match = ISO_DATE.exec(text);
    if (!match) return false;
    const [year, month, day] = match.slice(1).map(Number);
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }

  // A date typed as 25.11.2026 (or sent as 2026-11-25) as ISO, as cleaning._date reads it.
  function isoDate(text) {
    const russian = RUSSIAN_DATE.exec(text);
    const iso = russian
      ? `${russian[3]}-${russian[2].padStart(2, "0")}-${russian[1].padStart(2, "0")}` : text;
    return isDate(iso) ? iso : null;
  }

  // The answer as the server stores it, or null when the server would refuse it: conditions
  // and expressions then see the question unanswered, as they do on the server.
  function typed(spec, raw) {
    if (raw === null || raw === undefined || typeof raw === "object") return raw ?? null;
    const text = String(raw).trim();
    if (!text) return null;
    switch (spec.type) {
      case "integer":
      case "scale": {
        const plain = numberText(text);
        return INTEGER.test(plain) && withinBounds(spec, Number(plain)) ? Number(plain) : null;
      }
      case "decimal": {
        const dotted = numberText(text);  // 5 400,5 is typed the Russian way
        return DECIMAL.test(dotted) && withinBounds(spec, Number(dotted))
          ? plainDecimal(dotted) : null;
      }
      case "date": return isoDate(text);
      case "yesno": return ["yes", "no"].includes(text.toLowerCase()) ? text.toLowerCase() : null;
      case "textarea": return text.replace(/\r\n?/g, "\n");
      default: return text;
    }
  }

  // The inputs holding the answer of a question (named q.<key>) or of a table cell. A
  // read-only choice is shown disabled ("view") and sent by hidden copies.
  function fieldsOf(box, spec) {
    const named = [...box.querySelectorAll("[name]")];
    return isCell(box) ? named : named.filter((el) => el.name === `q.${spec.key}`);
  }

  function rawValue(box, spec, editable) {
    const values = fieldsOf(box, spec)
      .filter((el) => !el.hasAttribute("data-read-only-view") && (!editable || !el.disabled))
      .filter((el) => !["radio", "checkbox"].includes(el.type) || el.checked)
      .map((el) => el.value);
    if (spec.type === "multiple") return values.filter(Boolean);
    return values.find((value) => value !== "") ?? null;
  }

  function matrixValue(question, spec, editable) {
    const prefix = `q.${spec.key}.`;
    const rows = {};
    question.querySelectorAll("input[type=radio]:checked").forEach((el) => {
      if (el.name.startsWith(prefix) && (!editable || !el.disabled)) {
        rows[el.name.slice(prefix.length)] = el.value;
      }
    });
    return rows;
  }

  function fileValue(question) {
    const id = question.querySelector("[data-file-id]");
    const name = question.querySelector("[data-file-name]");
    return id && id.value ? { id: Number(id.value), name: name ? name.value : "" } : null;
  }

  // ---- options of a choice, as rendered (captured before any filtering) ---------------------

  const optionLists = new WeakMap();

  function optionsOf(box) {
    if (!optionLists.has(box)) {
      const select = box.querySelector("select");
      const list = select
        ? [...select.options].filter((option) => option.value).map((option) => ({
          code: option.value, label: option.textContent.trim(), extra: json(option.dataset.extra),
          element: option,
        }))
        : [...box.querySelectorAll("input[type=radio], input[type=checkbox]")].map((input) => ({
          code: input.value,
          label: input.labels.length ? input.labels[0].textContent.trim() : input.value,
          extra: json(input.dataset.extra),
          element: input,
        }));
      const placeholder = select ? [...select.options].find((option) => !option.value) : null;
      optionLists.set(box, { select, placeholder, list });
    }
    return optionLists.get(box);
  }

  // ---- expressions -------------------------------------------------------------------------

  // An expression the browser cannot evaluate (expressions.js missing on the page, a function
  // it lacks) counts as empty: the question is then judged by the server on save.
  function evaluate(ast, env, where = {}) {
    try {
      return window.FormExpressions.evaluate(
        ast, { ...env, current: null, row: null, choice: null, ...where },
      );
    } catch (problem) {
      console.error(problem);
      return "";
    }
  }

  function isTrue(ast, env, where) {
    try {
      return window.FormExpressions.asBoolean(evaluate(ast, env, where));
    } catch (problem) {
      return false;
    }
  }

  function storedValue(value) {
    try {
      return window.FormExpressions.storedValue(value) ?? null;
    } catch (problem) {
      return null;
    }
  }

  // ---- structured conditions (conditions.py) -----------------------------------------------

  const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
  const numberOf = (value) => {
    if (typeof value === "number") return value;
    if (typeof value !== "string" || !NUMERIC.test(value.trim())) return null;
    return Number(value.trim());
  };
  const scalar = (value) => (value === true ? "yes" : value === false ? "no" : value);

  function same(left, right) {
    [left, right] = [scalar(left), scalar(right)];
    if (right === null || right === undefined || typeof left === "object" ||
        typeof right === "object") return false;
    if (String(left) === String(right)) return true;
    const [a, b] = [numberOf(left), numberOf(right)];
    return a !== null && b !== null && a === b;
  }

  const equals = (answer, value) =>
    Array.isArray(answer) ? answer.length === 1 && same(answer[0], value) : same(answer, value);

  function ordered(answer, op, value) {
    let [a, b] = [numberOf(answer), numberOf(value)];
    if (a === null || b === null) {
      if (!isDate(String(answer)) || !isDate(String(value))) return false;
      [a, b] = [String(answer), String(value)];
    }
    return { gt: a > b, lt: a < b, ge: a >= b, le: a <= b }[op];
  }

  function holds(condition, env) {
    if (!condition) return true;
    if (condition.expr) return isTrue(condition.expr, env);
    if (condition.all) return condition.all.every((part) => holds(part, env));
    if (condition.any) return condition.any.some((part) => holds(part, env));
    if (condition.not) return !holds(condition.not, env);
    const answer = env.answers[condition.key];
    const empty = unanswered(answer);
    switch (condition.op) {
      case "answered": return !empty;
      case "empty": return empty;
      case "ne": return empty || !equals(answer, condition.value);
      case "eq": return !empty && equals(answer, condition.value);
      case "in": return !empty && Array.isArray(condition.value) &&
        condition.value.some((item) => equals(answer, item));
      case "contains": return !empty && Array.isArray(answer) &&
        answer.some((item) => same(item, condition.value));
      default: return !empty && !Array.isArray(answer) && ordered(answer, condition.op, condition.value);
    }
  }

  // ---- showing values ------------------------------------------------------------------------

  const russianDate = (iso) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

  // A decimal answer with every digit it has, grouped: "5400.125" -> 5 400,125.
  function russianDecimal(text) {
    const [, sign, whole, fraction] = plainDecimal(text.trim()).match(/^(-?)(\d+)(?:\.(\d+))?$/);
    return `${sign}${russianNumber.format(BigInt(whole))}${fraction ? `,${fraction}` : ""}`;
  }

  // An answer as a text shows it: choice labels, numbers and dates the Russian way.
  function shown(value, kind, labels = {}) {
    if (unanswered(value)) return "";
    if (Array.isArray(value)) {
      return value.every((item) => typeof item === "string")
        ? value.map((code) => labels[code] ?? code).join(", ") : "";
    }
    if (typeof value === "number") return Number.isFinite(value) ? russianNumber.format(value) : "";
    if (typeof value === "object") return value.name || "";
    if (kind === "decimal" && numberOf(value) !== null) return russianDecimal(value);
    if ((kind === "date" || kind === "calculate") && isDate(value)) return russianDate(value);
    return labels[value] ?? String(value);
  }

  // ---- the page ------------------------------------------------------------------------------

  // ``fitRows(key, count)`` gives a table exactly ``count`` rows (fill.js owns the rows).
  function page(form, editable, { fitRows = null } = {}) {
    const kinds = {};
    const labels = {};  // code -> label of choices, yes/no and scales, for texts with ${key}
    const env = {
      answers: {}, current: null, row: null, tables: {}, choices: {}, choice: null,
      today: form.dataset.today || "",
    };

    function learn(box) {
      const spec = specOf(box);
      kinds[spec.key] = spec.type;
      if (!LABELLED.includes(spec.type) || labels[spec.key]) return;
      labels[spec.key] = Object.fromEntries(
        optionsOf(box).list.map((option) => [option.code, option.label]),
      );
      if (CHOICES.includes(spec.type)) env.choices[spec.key] = labels[spec.key];
    }

    form.querySelectorAll(".question").forEach((question) => {
      const spec = specOf(question);
      learn(question);
      if (spec.type !== "table") return;
      env.tables[spec.key] = spec.columns || [];
      // Column options from the row template: a table may show no row yet.
      const template = form.querySelector(`[data-row-template="${spec.key}"]`);
      const cells = (template ? template.content : question).querySelectorAll("td[data-column]");
      cells.forEach(learn);
    });

    function filterChoices(box, spec, scope) {
      const { select, placeholder, list } = optionsOf(box);
      const offered = new Set(list
        .filter((option) => option.code === "other" || isTrue(spec.choiceFilter, env, {
          ...scope, choice: { ...(option.extra || {}), name: option.code, label: option.label },
        }))
        .map((option) => option.code));
      if (select) {
        const value = select.value;
        const wanted = [placeholder, ...list.filter((o) => offered.has(o.code)).map((o) => o.element)]
          .filter(Boolean);
        const now = [...select.options];
        if (now.length !== wanted.length || now.some((option, i) => option !== wanted[i])) {
          select.replaceChildren(...wanted);
        }
        select.value = offered.has(value) ? value : "";
        return;
      }
      list.forEach(({ code, element }) => {
        const offer = offered.has(code);
        element.closest(".form-check").hidden = !offer;
        if (offer) return;
        element.checked = false;
        if (editable) element.disabled = true;
      });
    }

    function showOther(question, spec, value) {
      const block = question.querySelector(`[data-other-for="${spec.key}"]`);
      if (!block) return;
      const chosen = Array.isArray(value) ? value.includes("other") : value === "other";
      block.hidden = !chosen;
      if (editable) block.querySelector("input").disabled = !chosen;
    }

    // The browser's verdict on a constraint goes to the slot the server's messages use; it
    // clears only what it wrote, or any message of the field the school has just changed.
    function showCheck(box, spec, ok, touched) {
      fieldsOf(box, spec).forEach((el) => {
        el.classList.toggle("is-invalid", !ok);
        if (ok) el.removeAttribute("aria-invalid");
        else el.setAttribute("aria-invalid", "true");
      });
      const slot = isCell(box)
        ? box.querySelector("[data-cell-error]")
        : box.querySelector(`[data-error-for="${spec.key}"]`);
      if (!slot) return;
      if (!ok) {
        slot.textContent = spec.message;
        slot.dataset.checked = "browser";
      } else if (slot.dataset.checked || touched) {
        slot.textContent = "";
        delete slot.dataset.checked;
      }
    }

    // A number's bounds and a constraint checked on a value ("." reads it from the answers or
    // the row), shown by the field; false when the value is refused.
    function check(box, spec, value, scope, touched) {
      const bound = outOfBounds(spec, rawValue(box, spec, editable));
      const ok = !bound &&
        (unanswered(value) || !spec.constraint || isTrue(spec.constraint, env, scope));
      const changed = Boolean(touched && box.contains(touched));
      if (editable && (spec.constraint || bound || changed)) {
        showCheck(box, bound ? { ...spec, message: bound } : spec, ok, changed);
      }
      return ok;
    }

    function calculate(box, spec, scope) {
      const value = spec.calculation ? storedValue(evaluate(spec.calculation, env, scope)) : null;
      const output = box.querySelector("[data-calculated]");
      if (output) output.textContent = shown(value, "calculate");
      return value;
    }

    // A question's value; one its type or its constraint refuses counts as unanswered.
    function questionValue(question, spec, touched) {
      if (spec.type === "calculate") return calculate(question, spec, {});
      const scope = { current: spec.key };
      if (spec.choiceFilter) filterChoices(question, spec, scope);
      const value = typed(spec, rawValue(question, spec, editable));
      showOther(question, spec, value);
      env.answers[spec.key] = value;
      return check(question, spec, value, scope, touched) ? value : null;
    }

    // As cleaning._clean_table and answer_rules.fill_row: the rows with a typed cell, all their
    // cells typed first, then in each row the computed cells and the checks in column order. A
    // refused cell leaves the whole table unanswered for the questions after it.
    // The number of rows of a table with a repeat_count, as answer_rules.row_count reads it.
    function rowCount(spec) {
      let number = NaN;
      try {
        number = window.FormExpressions.asNumber(evaluate(spec.repeatCount, env));
      } catch (problem) {
        return null;
      }
      return Number.isInteger(number) && number >= 0 && number <= MAX_SHOWN_ROWS ? number : null;
    }

    function tableValue(question, spec, touched) {
      if (spec.repeatCount && editable && fitRows) {
        const count = rowCount(spec);
        if (count !== null) fitRows(spec.key, count);
      }
      const rows = [];
      const rowCells = [];
      let refused = false;
      env.answers[spec.key] = rows;
      question.querySelectorAll("tbody [data-row]").forEach((tr) => {
        const cells = [...tr.querySelectorAll("td[data-column]")];
        const row = {};
        const where = { row: { table: spec.key, index: rows.length } };
        let typedCell = false;
        cells.forEach((td) => {
          const cell = specOf(td);
          if (cell.type === "calculate") return;
          if (cell.choiceFilter) filterChoices(td, cell, { ...where, current: cell.key });
          const raw = rawValue(td, cell, editable);
          const value = typed(cell, raw);
          typedCell = typedCell || (!unanswered(raw) && !cell.readOnly);
          refused = refused || (!unanswered(raw) && unanswered(value));
          if (!unanswered(value)) row[cell.key] = value;
        });
        if (typedCell) {
          rows.push(row);
          rowCells.push(cells);
        } else {
          cells.forEach((td) => check(td, specOf(td), null, {}, touched));
          tr.querySelectorAll("[data-calculated]").forEach((output) => { output.textContent = ""; });
        }
      });
      rowCells.forEach((cells, index) => {
        const where = { row: { table: spec.key, index } };
        cells.forEach((td) => {
          const cell = specOf(td);
          const scope = { ...where, current: cell.key };
          if (cell.type !== "calculate") {
            refused = !check(td, cell, rows[index][cell.key], scope, touched) || refused;
            return;
          }
          const value = calculate(td, cell, scope);
          if (unanswered(value)) delete rows[index][cell.key];
          else rows[index][cell.key] = value;
        });
      });
      return refused ? null : rows;
    }

    function answer(question, spec, touched) {
      switch (spec.type) {
        case "note": return null;
        case "matrix": return matrixValue(question, spec, editable);
        case "file": return fileValue(question);
        case "table": return tableValue(question, spec, touched);
        default: return questionValue(question, spec, touched);
      }
    }

    function enable(question, shownNow) {
      question.querySelectorAll("input, select, textarea").forEach((el) => {
        el.disabled = !shownNow || el.hasAttribute("data-read-only-view");
      });
    }

    function markRequired(question, spec) {
      const mark = question.querySelector("[data-required-mark]");
      if (mark) mark.hidden = !holds(spec.requiredIf, env);
    }

    // Whether a shown question must be answered, and is, as validation.py judges a submission:
    // a refused value counts as no answer, a matrix needs every row.
    function isRequired(question, spec) {
      return spec.requiredIf ? holds(spec.requiredIf, env) : question.dataset.required === "true";
    }

    function isComplete(question, spec, value) {
      if (unanswered(value)) return false;
      if (spec.type !== "matrix") return true;
      return Object.keys(value).length >= question.querySelectorAll("tbody tr").length;
    }

    // section -> { done, total }: its required questions answered, of those shown.
    let progress = new Map();

    function fillTexts() {
      form.querySelectorAll("[data-live-text]").forEach((element) => {
        const text = element.dataset.liveText.replace(
          REFERENCE, (_, key) => shown(env.answers[key], kinds[key], labels[key]),
        );
        if (element.textContent !== text) element.textContent = text;
      });
    }

    // Walks the form in order, as conditions.visible_keys does: each condition and expression
    // sees the answers of the visible questions before it. ``touched`` is the field just changed.
    function refresh(touched = null) {
      env.answers = {};
      progress = new Map();
      form.querySelectorAll(".fill-section").forEach((section) => {
        const count = { done: 0, total: 0 };
        progress.set(section, count);
        const sectionShown = holds(specOf(section).condition, env);
        section.dataset.visible = sectionShown ? "true" : "false";
        section.querySelectorAll(".question").forEach((question) => {
          const spec = specOf(question);
          const visible = sectionShown && holds(spec.condition, env);
          question.hidden = !visible;
          if (editable) enable(question, visible);
          if (!visible) return;
          const value = answer(question, spec, touched);
          if (unanswered(value)) delete env.answers[spec.key];
          else env.answers[spec.key] = value;
          if (spec.requiredIf) markRequired(question, spec);
          if (!["note", "calculate"].includes(spec.type) && isRequired(question, spec)) {
            count.total += 1;
            if (isComplete(question, spec, value)) count.done += 1;
          }
        });
      });
      fillTexts();
    }

    // Every option back in its list, so that answers kept in this browser can be put back.
    function unfilter() {
      form.querySelectorAll("[data-choice-filter]").forEach((box) => {
        const { select, placeholder, list } = optionsOf(box);
        if (!select) return;
        const value = select.value;
        select.replaceChildren(...[placeholder, ...list.map((option) => option.element)].filter(Boolean));
        select.value = value;
      });
    }

    return { refresh, unfilter, progress: () => progress };
  }

  return { page, typed, holds, shown, isoDate };
})();
