// Filling a questionnaire: pages, table rows, files, autosave, offline keeping. Answers,
// conditions and expressions are fill-logic.js's; field names are app/campaigns/formdata.py's.
(() => {
  "use strict";

  const form = document.getElementById("fill-form");
  if (!form) return;
  const editable = form.dataset.editable === "true";
  const preview = form.dataset.preview === "true";
  const responseId = form.dataset.response;
  const storageKey = responseId ? `fill:${responseId}` : null;
  const state = document.getElementById("save-state");
  const submitForm = document.getElementById("submit-form");
  let dirty = false;
  let saving = null;
  let stale = false;
  let timer = null;
  let restoredSent = false;  // the restored answers were also sent when the page was left
  let reportSave = false;  // the Save button was pressed: the next save lists what is wrong

  // ---- answers and conditions (fill-logic.js) --------------------------------------------

  const logic = window.FillLogic.page(form, editable, { fitRows });

  function applyConditions(touched = null) {
    logic.refresh(touched);
    showPage(currentPage);
    showProgress();
    markInvalid();
    if (errorList && !errorList.hidden) listErrors();
  }

  // ---- pages -----------------------------------------------------------------------------

  const sections = [...form.querySelectorAll(".fill-section")];
  const prev = form.querySelector("[data-page-prev]");
  const next = form.querySelector("[data-page-next]");
  const counter = document.querySelector("[data-page-counter]");
  let currentPage = 0;

  const visibleSections = () => sections.filter((s) => s.dataset.visible !== "false");

  function showPage(index) {
    const pages = visibleSections();
    if (pages.length <= 1 || !editable || !prev || !next) {
      sections.forEach((s) => { s.hidden = s.dataset.visible === "false"; });
      [prev, next].forEach((button) => button && button.classList.add("d-none"));
      if (counter) counter.textContent = "";
      return;
    }
    currentPage = Math.max(0, Math.min(index, pages.length - 1));
    sections.forEach((s) => { s.hidden = s !== pages[currentPage]; });
    prev.classList.toggle("d-none", currentPage === 0);
    next.classList.toggle("d-none", currentPage === pages.length - 1);
    if (counter) {
      counter.textContent = counter.dataset.template
        .replace("{n}", currentPage + 1).replace("{total}", pages.length);
    }
  }

  // ---- progress: required questions answered, of those shown ---------------------------

  const overall = document.querySelector("[data-progress]");
  const fillIn = (template, values) =>
    template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));

  function showProgress() {
    let done = 0;
    let total = 0;
    logic.progress().forEach((count, section) => {
      done += count.done;
      total += count.total;
      const slot = section.querySelector("[data-section-progress]");
      if (slot) slot.textContent = count.total ? fillIn(slot.dataset.template, count) : "";
    });
    if (overall) overall.textContent = total ? fillIn(overall.dataset.template, { done, total }) : "";
  }

  function turn(step) {
    showPage(currentPage + step);
    form.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // ---- errors: marked by their fields, listed at the top in the order of the form -------

  const errorList = document.getElementById("fill-errors");
  const plural = new Intl.PluralRules("ru");
  const slotsOf = (root) => root.querySelectorAll("[data-error-for], [data-cell-error]");

  // The fields a message speaks of: a cell's inputs, the "other" text, or the question's own.
  function fieldsOfSlot(slot) {
    const cell = slot.closest("td");
    if (cell) return [...cell.querySelectorAll("input:not([type=hidden]), select, textarea")];
    const other = slot.closest("[data-other-for]");
    if (other) return [...other.querySelectorAll("input")];
    const question = slot.closest(".question");
    const own = question.querySelector("table[data-table]")
      ? [] : [...question.querySelectorAll("input:not([type=hidden]), select, textarea")];
    return own.filter((el) => !el.closest("[data-other-for]"));
  }

  const shownSlot = (slot) => slot.textContent.trim() && !slot.closest(".question").hidden &&
    !slot.closest("[data-other-for][hidden]");

  function markInvalid() {
    slotsOf(form).forEach((slot) => {
      const wrong = Boolean(slot.textContent.trim());
      fieldsOfSlot(slot).forEach((el) => {
        el.classList.toggle("is-invalid", wrong);
        if (wrong) el.setAttribute("aria-invalid", "true");
        else el.removeAttribute("aria-invalid");
      });
    });
  }

  function problems() {
    const found = [];
    visibleSections().forEach((section) => {
      slotsOf(section).forEach((slot) => {
        if (!shownSlot(slot)) return;
        const question = slot.closest(".question");
        const label = question.querySelector(".form-label");
        const cellLabel = slot.closest("td") && slot.closest("td").querySelector(".visually-hidden");
        const name = [label, cellLabel].filter(Boolean)
          .map((el) => el.textContent.replace(/\s+/g, " ").replace(/\s*\*\s*$/, "").trim())
          .join(", ");
        const field = fieldsOfSlot(slot).find((el) => !el.disabled) || question;
        found.push({ section, field, text: `${name} — ${slot.textContent.trim()}` });
      });
    });
    return found;
  }

  function goTo(problem) {
    const index = visibleSections().indexOf(problem.section);
    if (index >= 0 && index !== currentPage) showPage(index);
    problem.field.scrollIntoView({ block: "center" });
    if (problem.field === problem.field.closest(".question")) problem.field.tabIndex = -1;
    problem.field.focus({ preventScroll: true });
  }

  // The list at the top; ``announce`` moves the focus to it (a refused submission, the Save
  // button) and shows the first field.
  function listErrors(announce = false) {
    if (!errorList) return [];
    const found = problems();
    errorList.hidden = !found.length;
    const kind = { one: "one", few: "few" }[plural.select(found.length)] || "many";
    const heading = errorList.dataset[kind];
    errorList.querySelector("#fill-errors-title").textContent =
      heading.replace("{n}", found.length);
    errorList.querySelector("[data-error-links]").replaceChildren(...found.map((problem) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${problem.field.id || ""}`;
      link.textContent = problem.text;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        goTo(problem);
      });
      item.append(link);
      return item;
    }));
    if (announce && found.length) {
      goTo(found[0]);
      errorList.focus({ preventScroll: true });
    }
    return found;
  }

  // ---- table rows ------------------------------------------------------------------------

  // Rows are kept numbered 0, 1, 2… in their field names (q.<key>.<index>.<column>), ids and
  // labels, as the server renders them, so that answers kept in this browser fit the rows of
  // the page when it opens again.
  function renumber(table) {
    const key = table.dataset.table;
    const rows = table.querySelectorAll("tbody [data-row]");
    const name = new RegExp(`^q\\.${key}\\.[^.]+\\.`);
    const id = new RegExp(`(^|\\s)q-${key}-[^-\\s]+-`, "g");
    rows.forEach((row, index) => {
      row.querySelectorAll("[data-row-number]").forEach((element) => {
        element.textContent = index + 1;
      });
      row.querySelectorAll("[name], [id], [for], [aria-labelledby], [aria-describedby]")
        .forEach((element) => {
          if (element.name) element.name = element.name.replace(name, `q.${key}.${index}.`);
          ["id", "for", "aria-labelledby", "aria-describedby"].forEach((attribute) => {
            const value = element.getAttribute(attribute);
            if (value) element.setAttribute(attribute, value.replace(id, `$1q-${key}-${index}-`));
          });
        });
    });
    const min = Number(table.dataset.minRows || 0);
    const max = Number(table.dataset.maxRows || 0);
    table.querySelectorAll("[data-remove-row]").forEach((button) => {
      button.disabled = rows.length <= min;
    });
    const add = form.querySelector(`[data-add-row="${key}"]`);
    if (add) add.disabled = max > 0 && rows.length >= max;
  }

  function addRow(key, quiet = false) {
    const table = form.querySelector(`[data-table="${key}"]`);
    const template = form.querySelector(`[data-row-template="${key}"]`);
    const count = table.querySelectorAll("tbody [data-row]").length;
    const max = Number(table.dataset.maxRows || 0);
    if (max > 0 && count >= max) return;
    const html = template.innerHTML
      .replaceAll("__index__", count).replaceAll("__number__", count + 1);
    table.querySelector("tbody").insertAdjacentHTML("beforeend", html);
    renumber(table);
    if (quiet) return;
    const first = table.querySelector("tbody [data-row]:last-child :is(input, select, textarea)");
    if (first) first.focus();
    changed();
  }

  // A table whose repeat_count gives its number of rows has exactly that many (rows past it are
  // dropped, as the server would refuse them) and no buttons to add or remove one.
  function fitRows(key, count) {
    const table = form.querySelector(`[data-table="${key}"]`);
    if (!table) return;
    table.dataset.minRows = count;
    table.dataset.maxRows = count;
    const rows = () => table.querySelectorAll("tbody [data-row]");
    while (rows().length > count) rows()[rows().length - 1].remove();
    while (rows().length < count) {
      const before = rows().length;
      addRow(key, true);
      if (rows().length === before) break;
    }
    renumber(table);
    const add = form.querySelector(`[data-add-row="${key}"]`);
    if (add) add.hidden = true;
    table.querySelectorAll("[data-remove-row]").forEach((button) => { button.hidden = true; });
  }

  function removeRow(button) {
    const table = button.closest("table");
    const rows = table.querySelectorAll("tbody [data-row]");
    if (rows.length <= Number(table.dataset.minRows || 0)) return;
    button.closest("[data-row]").remove();
    renumber(table);
    changed();
  }

  // ---- files -----------------------------------------------------------------------------

  async function upload(input) {
    const question = input.closest(".question");
    const error = question.querySelector("[data-error-for]");
    const data = new FormData();
    data.append("file", input.files[0]);
    data.append("key", input.dataset.upload);
    data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
    error.textContent = "";
    try {
      const reply = await fetch(form.dataset.uploadUrl, {
        method: "POST", body: data, headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await reply.json();
      if (!reply.ok) throw new Error(body.error || reply.statusText);
      question.querySelector("[data-file-id]").value = body.id;
      question.querySelector("[data-file-name]").value = body.name;
      const link = document.createElement("a");
      link.href = form.dataset.fileUrl.replace(/0$/, body.id);
      link.textContent = body.name;
      question.querySelector("[data-file-current]").replaceChildren(link);
      input.value = "";
      changed();
    } catch (problem) {
      error.textContent = problem.message;
    }
  }

  // ---- saving ----------------------------------------------------------------------------

  // «Сохранено в 14:32» in the district's time (the page's data-timezone).
  function clockNow() {
    const options = { hour: "2-digit", minute: "2-digit" };
    try {
      return new Intl.DateTimeFormat("ru-RU", { ...options, timeZone: form.dataset.timezone })
        .format(new Date());
    } catch (problem) {  // a zone this browser does not know
      return new Intl.DateTimeFormat("ru-RU", options).format(new Date());
    }
  }

  // States: saved, unsaved, saving, offline (kept in this browser, sent later), stale (refused:
  // changed elsewhere) and error (refused for another reason); the last two show the server's
  // message when there is one.
  function setState(name, message) {
    if (!state) return;
    const text = message || state.dataset[`${name}Text`];
    state.textContent =
      name === "saved" ? text.replace("{time}", clockNow()) : text || state.textContent;
    state.classList.toggle("text-danger", !["saved", "saving"].includes(name));
    state.classList.toggle("text-muted", ["saved", "saving"].includes(name));
    state.dataset.state = name;
  }

  const revisionInputs = () => document.querySelectorAll("[data-revision]");
  // Fields sent with the answers that are no questions (the date of a visit: ``form=`` ties it
  // to the form from outside): kept with the answers and put back with them.
  const extras = [...form.elements].filter((element) => "kept" in element.dataset);
  const extraNames = new Set(extras.map((element) => element.name));

  function snapshot() {
    return {
      revision: form.querySelector("[data-revision]").value,
      fields: [...new FormData(form)]
        .filter(([name]) => name.startsWith("q.") || extraNames.has(name)),
      rows: [...form.querySelectorAll("[data-table]")].map((table) => [
        table.dataset.table, table.querySelectorAll("tbody [data-row]").length,
      ]),
    };
  }

  function keep(extra = {}) {
    if (!storageKey) return;
    try {
      localStorage.setItem(storageKey, JSON.stringify({ ...snapshot(), ...extra }));
    } catch (problem) {
      // Storage full or forbidden: the answers are still sent as usual.
    }
  }

  const forget = () => { if (storageKey) localStorage.removeItem(storageKey); };

  // The server's messages replace the page's: by question, and by cell for a table (its row
  // index counts the rows sent, as the page numbers them).
  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach((element) => {
      const error = errors[element.dataset.errorFor];
      element.textContent = !error ? "" : typeof error === "string" ? error : error.message || "";
      delete element.dataset.checked;
    });
    form.querySelectorAll("[data-table]").forEach((table) => {
      const rows = (errors[table.dataset.table] || {}).rows || {};
      table.querySelectorAll("tbody [data-row]").forEach((row, index) => {
        row.querySelectorAll("td[data-column]").forEach((cell) => {
          const slot = cell.querySelector("[data-cell-error]");
          if (!slot) return;
          slot.textContent = (rows[index] || {})[cell.dataset.column] || "";
          delete slot.dataset.checked;
        });
      });
    });
  }

  // ``touched``: the field the school has just changed, if any.
  function changed(touched = null) {
    if (!editable || preview) {
      applyConditions(touched);
      return;
    }
    dirty = true;
    applyConditions(touched);
    keep();
    if (stale) return;  // the refusal stays shown; nothing more is sent from this page
    if (state.dataset.state !== "offline" || navigator.onLine) setState("unsaved");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }

  // The reply's JSON, or null when the server answered with a page (an error page, the login).
  async function replyBody(reply) {
    if (!(reply.headers.get("Content-Type") || "").includes("application/json")) return null;
    try {
      return await reply.json();
    } catch (problem) {
      return null;
    }
  }

  async function save() {
    if (!editable || preview || stale || !dirty) return saving;
    if (saving) {
      await saving;
      return dirty ? save() : null;
    }
    clearTimeout(timer);
    dirty = false;
    setState("saving");
    saving = (async () => {
      let reply;
      try {
        reply = await fetch(form.action, {
          method: "POST", body: new FormData(form), credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
      } catch (problem) {  // no connection: keep the answers and try again later
        dirty = true;
        keep();
        setState("offline");
        return;
      }
      const body = await replyBody(reply);
      if (reply.status === 409 && body && "revision" in body) {
        stale = true;
        clearTimeout(timer);
        if (restoredSent) {
          // The answers kept when the page was last left were sent then, and arrived after this
          // page was made: the server holds them already. Show them.
          forget();
          window.location.reload();
          return;
        }
        setState("stale", body.error);
        return;
      }
      if (!reply.ok || !body) {
        dirty = true;
        keep();
        clearTimeout(timer);
        setState("error", body && body.error);
        return;
      }
      restoredSent = false;
      revisionInputs().forEach((input) => { input.value = body.revision; });
      showErrors(body.errors || {});
      markInvalid();
      // An autosave only updates a list already shown: nothing moves while the school types.
      if (reportSave || (errorList && !errorList.hidden)) listErrors(reportSave);
      reportSave = false;
      if (dirty) {
        keep();
      } else {
        forget();
        setState("saved");
      }
    })();
    await saving;
    saving = null;
    return null;
  }

  // Answers kept in this browser (typed without a connection, or the page left before they
  // were saved) are put back when the page opens again on the revision they were typed on, or
  // on an older copy of the page (a visit's page opened offline from the cache of visit-sw.js):
  // what was typed is newer than it, and is sent as based on the revision it was typed on.
  // Kept answers older than the page are dropped: the server holds newer ones.
  function restore() {
    let kept = null;
    try {
      kept = storageKey && JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (problem) {
      kept = null;
    }
    if (!kept) return;
    const pageRevision = Number(form.querySelector("[data-revision]").value);
    if (!(Number(kept.revision) >= pageRevision)) {
      forget();
      return;
    }
    revisionInputs().forEach((input) => { input.value = kept.revision; });
    logic.unfilter();
    (kept.rows || []).forEach(([key, count]) => {
      const table = form.querySelector(`[data-table="${key}"]`);
      if (!table) return;
      const rows = () => table.querySelectorAll("tbody [data-row]");
      while (rows().length > Math.max(count, Number(table.dataset.minRows || 0))) {
        rows()[rows().length - 1].remove();
      }
      while (rows().length < count) {
        const before = rows().length;
        addRow(key, true);
        if (rows().length === before) break;
      }
      renumber(table);
    });
    const values = new Map();
    (kept.fields || []).forEach(([name, value]) => {
      values.set(name, [...(values.get(name) || []), value]);
    });
    [...form.querySelectorAll("[name^='q.']:not([data-shown])"), ...extras].forEach((el) => {
      const wanted = values.get(el.name) || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = wanted.includes(el.value);
      else if (el.type !== "file") el.value = wanted.length ? wanted[wanted.length - 1] : "";
    });
    restoredSent = Boolean(kept.sent);
    dirty = true;
    setState("unsaved");
    applyConditions();
    keep();
    save();
  }

  // ---- wiring ----------------------------------------------------------------------------

  // A date typed as digits gets its dots: 25 → 25. → 25.11. (the numeric keyboard of a phone
  // may have none).
  function dotDate(input, event) {
    if (event.inputType !== "insertText") return;
    if (event.data === "." && input.value.endsWith("..")) input.value = input.value.slice(0, -1);
    if (/^\d+$/.test(event.data || "") && /^\d{2}$|^\d{1,2}\.\d{2}$/.test(input.value)) {
      input.value += ".";
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-upload]")) return;
    if (event.target.matches("[data-date]")) dotDate(event.target, event);
    changed(event.target);
  });
  form.addEventListener("change", (event) => {
    if (event.target.matches("[data-upload]")) upload(event.target);
    else changed(event.target);
  });
  extras.filter((element) => !form.contains(element)).forEach((element) => {
    element.addEventListener("input", () => changed());
  });
  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    const remove = event.target.closest("[data-remove-row]");
    if (add) addRow(add.dataset.addRow);
    if (remove) removeRow(remove);
    if (event.target.closest("[data-page-prev]")) turn(-1);
    if (event.target.closest("[data-page-next]")) turn(1);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!preview) {
      dirty = true;
      reportSave = true;
      save();
    }
  });
  if (submitForm) {
    submitForm.addEventListener("submit", (event) => {
      if (stale) {  // the server would refuse it too: the answers changed elsewhere
        event.preventDefault();
        event.stopPropagation();
        state.scrollIntoView({ block: "nearest" });
        return;
      }
      if (!dirty && !saving) return;
      event.preventDefault();
      event.stopPropagation();
      save().then(() => { if (!dirty && !stale) submitForm.requestSubmit(); });
    });
  }
  window.addEventListener("online", () => { if (dirty) save(); });
  window.addEventListener("offline", () => { if (dirty && !stale) setState("offline"); });
  // Leaving with unsaved answers: keep them here and send them once more; the kept copy is put
  // back next time if they did not arrive (it is marked, so that a refusal because they did
  // arrive, after the next page was made, is not taken for a change made elsewhere).
  window.addEventListener("pagehide", () => {
    if ((dirty || saving) && !stale && editable && !preview) {
      keep({ sent: true });
      fetch(form.action, {
        method: "POST", body: new FormData(form), credentials: "same-origin", keepalive: true,
        headers: { Accept: "application/json" },
      }).catch(() => {});
    }
  });
  setInterval(() => { if (dirty && !saving) save(); }, 15000);

  // The page opens where the first message is (a refused submission), else on the first page.
  function firstPageWithError() {
    const index = visibleSections().findIndex((section) =>
      [...section.querySelectorAll("[data-error-for], [data-cell-error]")]
        .some((slot) => slot.textContent.trim() && !slot.closest(".question").hidden &&
          !slot.closest("[data-other-for][hidden]")));
    return Math.max(index, 0);
  }

  form.querySelectorAll("[data-table]").forEach(renumber);
  applyConditions();
  showPage(firstPageWithError());
  listErrors(form.dataset.check === "true");
  if (editable && !preview) restore();
})();
