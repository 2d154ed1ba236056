// The question form shows only the settings the chosen type uses, and says in words what its
// minimum and maximum amount to as they are typed.
const builderTypeSettings = (root) => {
  const type = root.querySelector("#type");
  if (!type || type.dataset.ready) return;
  type.dataset.ready = "true";
  const update = () => {
    root.querySelectorAll("[data-for-types]").forEach((block) => {
      block.hidden = !block.dataset.forTypes.split(" ").includes(type.value);
    });
  };
  type.addEventListener("change", update);
  update();

  const summary = root.querySelector("#bounds-summary");
  const low = root.querySelector("#min");
  const high = root.querySelector("#max");
  if (!summary || !low || !high) return;
  const phrases = JSON.parse(summary.dataset.phrases);
  const measures = JSON.parse(summary.dataset.measures);
  const numbers = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 20 });
  const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

  const shown = (text, measure) => {
    const value = text.trim().replace(",", ".");
    const day = isoDate.exec(value);
    if (measure === "date") return day ? `${day[3]}.${day[2]}.${day[1]}` : text.trim();
    return /^-?\d+(\.\d+)?$/.test(value) ? numbers.format(Number(value)) : text.trim();
  };
  const literal = (text) => {
    const value = text.trim().replace(",", ".");
    return isoDate.test(value) ? `date('${value}')` : value;
  };
  const constraint = (measure, min, max) => {
    if (!measure) return "";
    const parts = [];
    if (min) parts.push(`${measure} >= ${literal(min)}`);
    if (max) parts.push(`${measure} <= ${literal(max)}`);
    return parts.join(" and ");
  };

  const describe = () => {
    const measure = measures.phrases[type.value];
    const min = low.value.trim();
    const max = high.value.trim();
    summary.hidden = !measure || !(min || max);
    if (summary.hidden) return;
    const which = min && max ? "both" : min ? "min" : "max";
    summary.querySelector("[data-bounds-phrase]").textContent = phrases[measure][which]
      .replace("{min}", shown(min, measure))
      .replace("{max}", shown(max, measure));
    const xlsform = summary.querySelector("[data-bounds-xlsform]");
    const text = constraint(measures.xlsform[type.value], min, max);
    xlsform.hidden = !text;
    xlsform.querySelector("code").textContent = text;
  };
  [type, low, high].forEach((input) => input.addEventListener("input", describe));
  type.addEventListener("change", describe);
};

// Options (and matrix rows) edited as rows: a text per row, its code shown beside it (a new row
// gets the next free number when saved), moved up and down, deleted and added; lines pasted
// from Excel or Word become one row each ("code<Tab>text" keeps the code). The rows write the
// "code | text" lines of the hidden field the server reads.
// What the option rows and the column rows share: a list edited in place of a hidden field
// the server reads, whose rows move up and down and are deleted (``done(row)`` writes the field
// and draws the list again, that row focused).
const rowList = {
  move: (items, index, step, done) => () => {
    const target = index + step;
    if (target < 0 || target >= items.length) return;
    [items[index], items[target]] = [items[target], items[index]];
    done(target);
  },
  remove: (items, index, done) => () => {
    items.splice(index, 1);
    done(Math.min(index, items.length - 1));
  },
  button: (label, title, action) => {
    const element = document.createElement("button");
    element.type = "button";
    element.className = "btn btn-sm btn-outline-secondary";
    element.textContent = label;
    element.setAttribute("aria-label", title);
    element.title = title;
    element.addEventListener("click", action);
    return element;
  },
  mount: (field, list) => {
    field.hidden = true;
    field.closest(".mb-3").classList.replace("mb-3", "mb-1");
    const label = document.querySelector(`label[for="${field.id}"]`);
    if (label) {
      label.id ||= `${field.id}-label`;
      list.setAttribute("aria-labelledby", label.id);
    }
    const lines = document.getElementById(`${field.id}-help`);
    if (lines) lines.hidden = true;
  },
};

const builderOptionRows = (root) => {
  const SEPARATOR = " | ";
  const parse = (text) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const at = line.indexOf("|");
        return at < 0
          ? { code: "", label: line }
          : { code: line.slice(0, at).trim(), label: line.slice(at + 1).trim() };
      });
  const fromPaste = (text) =>
    text
      .split(/\r?\n/)
      .map((line) => line.split("\t").map((cell) => cell.trim()).filter(Boolean))
      .filter((cells) => cells.length)
      .map((cells) =>
        cells.length > 1 ? { code: cells[0], label: cells[1] } : { code: "", label: cells[0] },
      );

  const editor = (holder) => {
    const field = document.getElementById(holder.dataset.optionsEditor);
    if (!field) return;
    const texts = JSON.parse(holder.dataset.texts);
    let options = parse(field.value);
    const list = document.createElement("ol");
    list.className = "list-unstyled mb-2 options-rows";
    const add = document.createElement("button");
    add.type = "button";
    add.className = "btn btn-sm btn-outline-primary";
    add.textContent = texts.add;

    const write = () => {
      field.value = options
        .filter((option) => option.label.trim())
        .map((option) => (option.code ? option.code + SEPARATOR : "") + option.label.trim())
        .join("\n");
    };
    const changed = (row) => {
      write();
      render(row);
    };
    const render = (focus) => {
      list.replaceChildren(
        ...options.map((option, index) => {
          const row = document.createElement("li");
          row.className = "d-flex gap-1 align-items-center mb-1";
          const input = document.createElement("input");
          input.className = "form-control form-control-sm";
          input.value = option.label;
          input.setAttribute("aria-label", `${texts.option} ${index + 1}`);
          input.addEventListener("input", () => {
            option.label = input.value;
            write();
          });
          input.addEventListener("paste", (event) => {
            const pasted = fromPaste(event.clipboardData.getData("text"));
            if (pasted.length < 2) return;
            event.preventDefault();
            const keep = option.label.trim() ? [option] : [];
            options.splice(index, 1, ...keep, ...pasted);
            write();
            render(index + keep.length + pasted.length - 1);
          });
          input.addEventListener("keydown", (event) => {
            if (event.key !== "Enter") return;
            event.preventDefault();
            options.splice(index + 1, 0, { code: "", label: "" });
            render(index + 1);
          });
          const code = document.createElement("code");
          code.className = "small text-muted text-nowrap";
          code.textContent = option.code || texts.newCode;
          code.title = texts.code;
          const move = (step) => rowList.move(options, index, step, changed);
          const remove = rowList.remove(options, index, changed);
          row.append(
            input,
            code,
            rowList.button("↑", texts.up, move(-1)),
            rowList.button("↓", texts.down, move(1)),
            rowList.button("✕", texts.remove, remove),
          );
          return row;
        }),
      );
      if (focus !== undefined && focus >= 0) list.children[focus]?.querySelector("input").focus();
    };
    add.addEventListener("click", () => {
      options.push({ code: "", label: "" });
      render(options.length - 1);
    });
    rowList.mount(field, list);
    if (!options.length) options.push({ code: "", label: "" });
    holder.addEventListener("options:replace", (event) => {
      options = parse(event.detail);
      write();
      render(0);
    });
    holder.append(list, add);
    const help = document.createElement("div");
    help.className = "form-text";
    help.textContent = texts.help;
    holder.append(help);
    render();
  };
  root.querySelectorAll("[data-options-editor]:not([data-ready])").forEach((holder) => {
    holder.dataset.ready = "true";
    editor(holder);
  });
  // «Взять варианты другого вопроса»: its list replaces the rows.
  root.querySelectorAll("[data-choices-from]:not([data-ready])").forEach((picker) => {
    picker.dataset.ready = "true";
    picker.addEventListener("change", () => {
      if (!picker.value) return;
      const holder = document.querySelector(`[data-options-editor="${picker.dataset.choicesFrom}"]`);
      holder?.dispatchEvent(new CustomEvent("options:replace", { detail: picker.value }));
    });
  });
};

// The key saving will make from the question's text (keys.py, with the same table), shown in
// the empty key field as the text is typed.
const builderKeyHint = (root) => {
  const advanced = document.getElementById("advanced");
  const text = document.getElementById("label");
  const key = document.getElementById("key");
  if (!advanced || !advanced.dataset.keyRules || !text || !key || key.readOnly) return;
  if (key.dataset.ready) return;
  key.dataset.ready = "true";
  const rules = JSON.parse(advanced.dataset.keyRules);
  const taken = new Set(rules.taken);
  const fromText = (value) => {
    const latin = [...value.toLowerCase()].map((letter) => rules.letters[letter] ?? letter);
    const words = latin.join("").match(/[a-z0-9]+/g) || [];
    let made = "";
    for (const word of words) {
      const longer = made ? `${made}_${word}` : word;
      if (longer.length > rules.length && made) break;
      made = longer.slice(0, rules.length);
    }
    if (!made) return "q";
    return /^[a-z]/.test(made) ? made : `q_${made}`;
  };
  const unique = (base) => {
    if (!taken.has(base)) return base;
    for (let number = 2; ; number += 1) {
      const suffix = `_${number}`;
      const made = base.slice(0, rules.max - suffix.length) + suffix;
      if (!taken.has(made)) return made;
    }
  };
  const show = () => {
    key.placeholder = text.value.trim() ? unique(fromText(text.value)) : "";
  };
  text.addEventListener("input", show);
  show();
};

// Table columns edited like questions: a row per column with its title, a type picker,
// «обязательный», bounds for the types that take them and options for choice columns; each
// keeps its key (a new one gets its key from its title when saved). The rows write the
// "key | type | title | * | options | min..max" lines of the hidden field the server reads.
const builderColumnRows = (root) => {
  const SEPARATOR = " | ";
  const BOUNDED = ["integer", "decimal", "scale", "date", "text", "textarea", "multiple"];
  const CHOICE = ["single", "multiple"];
  const parseOptions = (text) =>
    text
      .split(";")
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => {
        const at = item.indexOf("=");
        return at < 0
          ? { code: item, label: item }
          : { code: item.slice(0, at).trim(), label: item.slice(at + 1).trim() };
      });
  const parse = (text) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const parts = line.split("|").map((part) => part.trim());
        if (parts.length === 1) return { key: "", type: "text", label: parts[0], required: false, options: [], min: "", max: "" };
        const [key = "", type = "text", label = "", required = "", options = "", bounds = ""] = parts;
        const [min = "", max = ""] = bounds ? bounds.split("..") : [];
        return { key, type, label, required: required === "*", options: parseOptions(options), min, max };
      });
  const line = (column) => {
    const options = CHOICE.includes(column.type)
      ? column.options.map((option) => `${option.code}=${option.label}`).join("; ")
      : "";
    const bounds = BOUNDED.includes(column.type) && (column.min || column.max)
      ? `${column.min}..${column.max}`
      : "";
    return [column.key, column.type, column.label.trim(), column.required ? "*" : "", options, bounds]
      .join(SEPARATOR)
      .replace(/( \| )+$/, "");
  };
  const labelsOf = (options, text) => {
    const byLabel = new Map(options.map((option) => [option.label, option.code]));
    const taken = new Set(options.map((option) => option.code));
    let next = 1;
    return text
      .split(";")
      .map((label) => label.trim())
      .filter(Boolean)
      .map((label) => {
        let code = byLabel.get(label);
        if (!code) {
          while (taken.has(String(next))) next += 1;
          code = String(next);
          taken.add(code);
        }
        return { code, label };
      });
  };

  const editor = (holder) => {
    const field = document.getElementById(holder.dataset.columnsEditor);
    if (!field) return;
    const texts = JSON.parse(holder.dataset.texts);
    let columns = parse(field.value);
    const list = document.createElement("ol");
    list.className = "list-unstyled mb-2 column-rows";
    const write = () => {
      field.value = columns.filter((column) => column.label.trim()).map(line).join("\n");
    };
    const control = (tag, attributes) => {
      const element = document.createElement(tag);
      Object.assign(element, attributes);
      return element;
    };
    const labelled = (element, text) => {
      element.setAttribute("aria-label", text);
      return element;
    };
    const changed = (row) => {
      write();
      render(row);
    };
    const render = (focus) => {
      list.replaceChildren(
        ...columns.map((column, index) => {
          const number = index + 1;
          const row = control("li", { className: "border rounded p-2 mb-2 column-row" });
          const title = labelled(control("input", { className: "form-control form-control-sm", value: column.label }), `${texts.column} ${number}: ${texts.title}`);
          title.addEventListener("input", () => { column.label = title.value; write(); });
          const type = labelled(control("select", { className: "form-select form-select-sm w-auto" }), `${texts.column} ${number}: ${texts.type}`);
          texts.types.forEach(([code, name]) => type.append(new Option(name, code, false, code === column.type)));
          const required = control("input", { type: "checkbox", className: "form-check-input", checked: column.required, id: `column-required-${number}` });
          required.addEventListener("change", () => { column.required = required.checked; write(); });
          const requiredLabel = control("label", { className: "form-check-label small", htmlFor: required.id, textContent: texts.required });
          const requiredBox = control("div", { className: "form-check mb-0" });
          requiredBox.append(required, requiredLabel);
          const min = labelled(control("input", { className: "form-control form-control-sm column-bound", value: column.min, placeholder: texts.min }), `${texts.column} ${number}: ${texts.min}`);
          const max = labelled(control("input", { className: "form-control form-control-sm column-bound", value: column.max, placeholder: texts.max }), `${texts.column} ${number}: ${texts.max}`);
          min.addEventListener("input", () => { column.min = min.value.trim(); write(); });
          max.addEventListener("input", () => { column.max = max.value.trim(); write(); });
          const bounds = control("div", { className: "d-flex gap-1 align-items-center" });
          bounds.append(min, max);
          const options = labelled(control("input", { className: "form-control form-control-sm", value: column.options.map((option) => option.label).join("; "), placeholder: texts.options }), `${texts.column} ${number}: ${texts.options}`);
          options.addEventListener("input", () => { column.options = labelsOf(column.options, options.value); write(); });
          const shown = () => {
            bounds.classList.toggle("d-none", !BOUNDED.includes(column.type));
            options.classList.toggle("d-none", !CHOICE.includes(column.type));
          };
          type.addEventListener("change", () => { column.type = type.value; shown(); write(); });
          shown();
          const move = (step) => rowList.move(columns, index, step, changed);
          const remove = rowList.remove(columns, index, changed);
          const top = control("div", { className: "d-flex flex-wrap gap-2 align-items-center mb-1" });
          const key = control("code", { className: "small text-muted", textContent: column.key || texts.newKey, title: texts.key });
          top.append(control("span", { className: "small fw-semibold", textContent: `${texts.column} ${number}` }), key);
          const tools = control("div", { className: "ms-auto d-flex gap-1" });
          tools.append(rowList.button("↑", texts.up, move(-1)), rowList.button("↓", texts.down, move(1)), rowList.button("✕", texts.remove, remove));
          top.append(tools);
          const settings = control("div", { className: "d-flex flex-wrap gap-2 align-items-center mt-1" });
          settings.append(type, requiredBox, bounds);
          row.append(top, title, settings, options);
          options.classList.add("mt-1");
          return row;
        }),
      );
      if (focus !== undefined && focus >= 0) list.children[focus]?.querySelector("input").focus();
    };
    const add = control("button", { type: "button", className: "btn btn-sm btn-outline-primary", textContent: texts.add });
    add.addEventListener("click", () => {
      columns.push({ key: "", type: "text", label: "", required: false, options: [], min: "", max: "" });
      render(columns.length - 1);
    });
    rowList.mount(field, list);
    if (!columns.length) columns.push({ key: "", type: "text", label: "", required: false, options: [], min: "", max: "" });
    holder.append(list, add);
    render();
  };
  root.querySelectorAll("[data-columns-editor]:not([data-ready])").forEach((holder) => {
    holder.dataset.ready = "true";
    editor(holder);
  });
};

// The editor is also swapped into the builder page by htmx: set up what each swap brings.
const builderSetup = (root) => {
  builderTypeSettings(root);
  builderOptionRows(root);
  builderColumnRows(root);
  builderKeyHint(root);
};
builderSetup(document);
document.addEventListener("htmx:load", (event) => builderSetup(event.target));
