// The builder's menus for conditions, checks and formulas. condition_menus.py decides what they
// offer and whether a stored condition fits them (data-rows is null when it does not); here the
// rows are drawn and written back into the text field the server reads, as the XLSForm text
// relevant.py's to_relevant writes (tests/fixtures/condition_menus.json holds both to it). The
// editor may arrive by htmx after the page has loaded, so setup() runs again on whatever htmx
// loads, once per widget.
(() => {
  "use strict";

  const SYMBOLS = { eq: "=", ne: "!=", gt: ">", lt: "<", ge: ">=", le: "<=" };
  const PRESENCE = ["answered", "empty"];
  const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
  const DECIMAL_TEXT = /^-?(0|[1-9]\d*)\.\d*[1-9]$/;
  const CHECK_DELAY_MS = 400;

  const quote = (text) => {
    if (!text.includes("'")) return `'${text}'`;
    if (!text.includes('"')) return `"${text}"`;
    return null;
  };
  const reference = (key) => "${" + key + "}";

  // A typed number as the server keeps it: "007" is 7, "2,50" is 2.5; null for anything else.
  const numberText = (typed) => {
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(typed.trim().replace(",", "."));
    if (!match) return null;
    const whole = match[2].replace(/^0+(?=\d)/, "");
    const fraction = (match[3] || "").replace(/0+$/, "");
    const digits = fraction ? `${whole}.${fraction}` : whole;
    return digits === "0" ? "0" : match[1] + digits;
  };

  const literal = (value, input) => {
    if (input === "number") return numberText(value);
    return DECIMAL_TEXT.test(value) ? value : quote(value);
  };

  // One row of a condition as text; null while the row is unfinished.
  const conditionPart = (row, question) => {
    if (!question || !question.operators.includes(row.op)) return null;
    const ref = reference(row.key);
    if (row.op === "answered") return `${ref} != ''`;
    if (row.op === "empty") return `${ref} = ''`;
    if (!row.value) return null;
    if (row.op === "contains" || row.op === "not_contains") {
      const code = quote(row.value);
      if (code === null) return null;
      return row.op === "contains" ? `selected(${ref}, ${code})` : `not(selected(${ref}, ${code}))`;
    }
    if (question.input === "date" && !["eq", "ne"].includes(row.op)) {
      return ISO_DATE.test(row.value) ? `${ref} ${SYMBOLS[row.op]} date('${row.value}')` : null;
    }
    const value = literal(row.value, question.input);
    return value === null ? null : `${ref} ${SYMBOLS[row.op]} ${value}`;
  };

  const joined = (parts, join) =>
    parts.filter((part) => part !== null).join(join === "any" ? " or " : " and ");

  const conditionText = (state, questions) => {
    const byKey = new Map(questions.map((question) => [question.key, question]));
    return joined(state.rows.map((row) => conditionPart(row, byKey.get(row.key))), state.join);
  };

  // One row of a check: the answer (".") against a value or another question's answer.
  const checkPart = (row, measure) => {
    const symbol = SYMBOLS[row.op];
    if (!symbol) return null;
    if (row.key) return `. ${symbol} ${reference(row.key)}`;
    if (measure === "date") return ISO_DATE.test(row.value) ? `. ${symbol} date('${row.value}')` : null;
    const number = numberText(row.value);
    return number === null ? null : `. ${symbol} ${number}`;
  };

  const checkText = (state, type) => {
    const measure = type === "date" ? "date" : "number";
    return joined(state.rows.map((row) => checkPart(row, measure)), state.join);
  };

  // Drawing

  const make = (tag, properties = {}, ...children) => {
    const element = Object.assign(document.createElement(tag), properties);
    element.append(...children);
    return element;
  };
  const numbered = (text, number) => text.replace("{n}", number);
  const menu = (label, options, value, part) => {
    const element = make("select", { className: "form-select form-select-sm w-auto mw-100" });
    element.setAttribute("aria-label", label);
    element.dataset.part = part;
    options.forEach(([code, text]) => element.append(new Option(text, code, false, code === value)));
    return element;
  };
  const button = (text, label, part) => {
    const element = make("button", {
      type: "button",
      className: "btn btn-sm btn-outline-secondary",
      textContent: text,
      title: label,
    });
    element.setAttribute("aria-label", label);
    element.dataset.part = part;
    return element;
  };
  const valueInput = (input, value, label) => {
    const element = make("input", {
      className: "form-control form-control-sm w-auto mw-100",
      type: { number: "number", date: "date" }[input] || "text",
      value,
    });
    if (input === "number") element.step = "any";
    element.setAttribute("aria-label", label);
    element.dataset.part = "value";
    return element;
  };

  // The text field goes under «Дополнительно», read-only while the menus write it; «Изменить
  // текстом» gives it back for good.
  const frame = (field, summaryText, texts) => {
    const block = field.closest(".mb-3");
    const label = block.querySelector("label");
    label.id ||= `${field.id}-label`;
    const menus = make("div", { className: "condition-menus" });
    menus.setAttribute("role", "group");
    menus.setAttribute("aria-labelledby", label.id);
    const summary = make("summary", { className: "small", id: `${field.id}-as-text` }, summaryText);
    const edit = make("button", {
      type: "button",
      className: "btn btn-sm btn-link px-0",
      textContent: texts.editAsText,
    });
    const help = document.getElementById(`${field.id}-help`);
    const details = make("details", { className: "mt-1" }, summary, field);
    if (help) details.append(help);
    details.append(edit);
    label.after(menus, details);

    let openedForText = false;
    const showMenus = () => {
      details.open &&= !openedForText;
      openedForText = false;
      menus.hidden = false;
      edit.hidden = false;
      field.readOnly = true;
      label.removeAttribute("for");
      field.setAttribute("aria-labelledby", `${label.id} ${summary.id}`);
    };
    const showText = () => {
      menus.hidden = true;
      edit.hidden = true;
      field.readOnly = false;
      label.htmlFor = field.id;
      field.removeAttribute("aria-labelledby");
      openedForText ||= !details.open;
      details.open = true;
    };
    return { menus, edit, showMenus, showText };
  };

  const cannotShow = (field, text) => {
    const label = field.closest(".mb-3").querySelector("label");
    const note = make("div", { className: "form-text mt-0 mb-1", id: `${field.id}-note` }, text);
    label.after(note);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${note.id} ${described}` : note.id);
  };

  // Rows of one kind of menus: the connector, the list, «Добавить», re-drawn on every change with
  // the focus kept on the control that was used.
  const rowList = (field, state, texts, labels, drawRow, write) => {
    const join = menu(texts.joinLabel, [["all", texts.all], ["any", texts.any]], state.join, "join");
    join.id = `${field.id}-join`;
    const joinLine = make(
      "div",
      { className: "d-flex flex-wrap align-items-center gap-2 mb-2" },
      make("label", { className: "small", htmlFor: join.id, textContent: texts.joinLabel }),
      join,
    );
    const list = make("ol", { className: "list-unstyled mb-2" });
    const empty = make("p", { className: "small text-muted mb-2", textContent: labels.none });
    const add = make("button", {
      type: "button",
      className: "btn btn-sm btn-outline-primary",
      textContent: labels.add,
    });
    const render = (focus) => {
      joinLine.classList.toggle("d-none", state.rows.length < 2);
      empty.hidden = state.rows.length > 0;
      list.replaceChildren(
        ...state.rows.map((row, index) => {
          const item = make("li", {
            className: "d-flex flex-wrap align-items-center gap-1 mb-2 ps-2 border-start border-2",
          });
          if (index) {
            const word = texts[state.join === "any" ? "or" : "and"];
            item.append(make("span", { className: "small text-muted", textContent: word }));
          }
          const update = (part) => {
            write();
            render({ index, part });
          };
          const remove = button("✕", numbered(labels.remove, index + 1), "remove");
          remove.addEventListener("click", () => {
            state.rows.splice(index, 1);
            write();
            render({ index: Math.min(index, state.rows.length - 1), part: "first" });
          });
          item.append(...drawRow(row, index + 1, update), remove);
          return item;
        }),
      );
      if (!focus) return;
      const item = list.children[focus.index];
      const target =
        item?.querySelector(`[data-part="${focus.part}"]`) || item?.querySelector("select") || add;
      target.focus();
    };
    join.addEventListener("change", () => {
      state.join = join.value;
      write();
      render();
    });
    add.addEventListener("click", () => {
      state.rows.push({ key: "", op: "", value: "" });
      render({ index: state.rows.length - 1, part: "first" });
    });
    return { elements: [joinLine, empty, list, add], add, render };
  };

  const conditionWidget = (holder, field, page) => {
    const { texts, questions } = page;
    const state = JSON.parse(holder.dataset.rows);
    if (state === null) {
      cannotShow(field, texts.cannotShow);
      return;
    }
    const byKey = new Map(questions.map((question) => [question.key, question]));
    const view = frame(field, texts.asText, texts);
    view.edit.addEventListener("click", () => {
      view.showText();
      field.focus();
    });
    const write = () => {
      field.value = conditionText(state, questions);
    };
    const drawRow = (row, number, update) => {
      const options = questions.map((question) => [question.key, question.label]);
      const pick = menu(numbered(texts.question, number), [["", texts.pickQuestion], ...options],
        row.key, "first");
      pick.addEventListener("change", () => {
        const chosen = byKey.get(pick.value);
        const op = !chosen || chosen.operators.includes(row.op) ? row.op : chosen.operators[0];
        Object.assign(row, { key: pick.value, op, value: "" });
        update("first");
      });
      const question = byKey.get(row.key);
      if (!question) return [pick];
      const words = { ...texts.operators, ...(question.input === "date" ? texts.dateOperators : {}) };
      const operator = menu(numbered(texts.operator, number),
        question.operators.map((op) => [op, words[op]]), row.op, "operator");
      operator.addEventListener("change", () => {
        row.op = operator.value;
        update("operator");
      });
      if (PRESENCE.includes(row.op)) return [pick, operator];
      return [pick, operator, conditionValue(row, question, numbered(texts.value, number))];
    };
    const conditionValue = (row, question, label) => {
      if (question.input === "choice") {
        const options = question.choices.map((choice) => [choice.code, choice.label]);
        const pick = menu(label, [["", texts.pickOption], ...options], row.value, "value");
        pick.addEventListener("change", () => {
          row.value = pick.value;
          write();
        });
        return pick;
      }
      const input = valueInput(question.input, row.value, label);
      input.addEventListener("input", () => {
        row.value = question.input === "text" ? input.value.trim() : input.value;
        write();
      });
      return input;
    };
    const labels = { none: texts.none, add: texts.add, remove: texts.remove };
    const rows = rowList(field, state, texts, labels, drawRow, write);
    view.menus.append(...rows.elements);
    if (!questions.length) {
      rows.add.hidden = true;
      view.menus.append(make("p", { className: "small text-muted mb-0" }, texts.noQuestions));
    }
    rows.render();
    view.showMenus();
  };

  const checkWidget = (holder, field, page) => {
    const { texts, questions } = page;
    const state = JSON.parse(holder.dataset.rows);
    if (state === null) {
      cannotShow(field, texts.checkCannotShow);
      return;
    }
    const type = field.form.elements.namedItem("type");
    const measureOf = () => (type.value === "date" ? "date" : "number");
    let measure = measureOf();
    let byText = false;
    const view = frame(field, texts.checkAsText, texts);
    const write = () => {
      field.value = checkText(state, type.value);
    };
    const drawRow = (row, number, update) => {
      const words = { ...texts.operators, ...(measure === "date" ? texts.dateOperators : {}) };
      const operators = ["gt", "lt", "ge", "le", "eq", "ne"];
      if (!operators.includes(row.op)) row.op = "le";
      const operator = menu(numbered(texts.checkOperator, number),
        operators.map((op) => [op, words[op]]), row.op, "first");
      operator.addEventListener("change", () => {
        row.op = operator.value;
        write();
      });
      const others = questions.filter(
        (question) => page.checkWith[measure].includes(question.type) || question.key === row.key,
      );
      const answers = others.map((question) => [
        question.key,
        texts.answerTo.replace("{q}", question.label),
      ]);
      const against = menu(numbered(texts.checkWith, number), [["", texts.aValue], ...answers],
        row.key, "with");
      against.addEventListener("change", () => {
        Object.assign(row, { key: against.value, value: "" });
        update("with");
      });
      const parts = [make("span", { className: "small" }, texts.answer), operator, against];
      if (row.key) return parts;
      const input = valueInput(measure, row.value, numbered(texts.checkValue, number));
      input.addEventListener("input", () => {
        row.value = input.value;
        write();
      });
      return [...parts, input];
    };
    const labels = { none: texts.noChecks, add: texts.checkAdd, remove: texts.checkRemove };
    const rows = rowList(field, state, texts, labels, drawRow, write);
    view.menus.append(...rows.elements);
    const show = () => {
      if (measureOf() !== measure) {
        measure = measureOf();
        state.rows.forEach((row) => Object.assign(row, { key: "", value: "" }));
        write();
      }
      if (byText || !page.checkedTypes.includes(type.value)) {
        view.showText();
        return;
      }
      rows.render();
      view.showMenus();
    };
    view.edit.addEventListener("click", () => {
      byText = true;
      show();
      field.focus();
    });
    field.addEventListener("input", () => {
      byText = true;
    });
    type.addEventListener("change", show);
    show();
  };

  // A formula: a picker that puts ${key} at the cursor, and the server's word on the text as it
  // is typed (the server's parser, so the message is the one saving would give).
  const formulaWidget = (holder, field, page) => {
    const { texts, questions } = page;
    const options = questions.map((question) => [question.key, question.label]);
    const pick = menu(texts.insert, [["", texts.insertPick], ...options], "", "insert");
    const insert = button(texts.insertButton, texts.insertButton, "insert-button");
    const tools = make("div", { className: "d-flex flex-wrap gap-1 mb-1" }, pick, insert);
    const verdict = make("div", { className: "form-text mt-1", id: `${field.id}-check` });
    verdict.setAttribute("aria-live", "polite");
    field.before(tools);
    field.after(verdict);
    if (!questions.length) tools.classList.add("d-none");
    let timer;
    let pending;
    const check = () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        pending?.abort();
        pending = new AbortController();
        const url = new URL(holder.dataset.check, window.location.href);
        url.searchParams.set("text", field.value);
        try {
          const reply = await fetch(url, { signal: pending.signal });
          if (!reply.ok) return;
          const { problem } = await reply.json();
          verdict.textContent = problem || (field.value.trim() ? texts.formulaFine : "");
          verdict.classList.toggle("text-danger", Boolean(problem));
        } catch (error) {
          if (error.name !== "AbortError") verdict.textContent = "";
        }
      }, CHECK_DELAY_MS);
    };
    insert.addEventListener("click", () => {
      if (!pick.value) return;
      field.setRangeText(reference(pick.value), field.selectionStart, field.selectionEnd, "end");
      pick.value = "";
      field.focus();
      check();
    });
    field.addEventListener("input", check);
    if (field.value.trim()) check();
  };

  const WIDGETS = { condition: conditionWidget, check: checkWidget, formula: formulaWidget };

  const setup = (root) => {
    const own = root.matches?.("[data-menu]") ? [root] : [];
    [...own, ...(root.querySelectorAll?.("[data-menu]") || [])].forEach((holder) => {
      const page = holder.closest("[data-menus]");
      const field = holder.querySelector(".form-control");
      const widget = WIDGETS[holder.dataset.menu];
      if (holder.dataset.menuReady || !page || !field || !widget) return;
      holder.dataset.menuReady = "yes";
      widget(holder, field, JSON.parse(page.dataset.menus));
    });
  };

  window.ConditionMenus = { setup, conditionText, checkText };
  setup(document);
  document.addEventListener("htmx:load", (event) => setup(event.target));
})();
