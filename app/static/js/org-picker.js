// The organization picker of sending and editing a monitoring: search, tick by kind or
// locality, the live count; and the title taken from the chosen questionnaire.
(() => {
  const picker = document.querySelector("[data-org-picker]");
  if (!picker?.querySelector("[data-picker-tools]")) return;
  const form = picker.closest("form");
  const rows = [...picker.querySelectorAll(".form-check[data-kind]")];
  const boxes = rows.map((row) => row.querySelector("input"));
  const search = picker.querySelector("[data-picker-search]");
  const count = picker.querySelector("[data-picker-count]");
  const target = (value) => form.querySelector(`input[name="target"][value="${value}"]`);
  const kind = form.querySelector("#kind");
  const locality = form.querySelector("#locality");

  picker.querySelector("[data-picker-tools]").hidden = false;

  const showCount = () => {
    const ticked = boxes.filter((box) => box.checked).length;
    count.textContent = count.dataset.template.replace("{n}", ticked);
  };

  const chooseManually = () => {
    if (target("manual")) target("manual").checked = true;
  };

  const tickByMode = () => {
    const mode = form.querySelector('input[name="target"]:checked')?.value;
    if (!mode || mode === "manual") return;
    rows.forEach((row, index) => {
      const sameKind = row.dataset.kind === kind.value;
      const samePlace = mode !== "locality" || row.dataset.locality === locality.value;
      boxes[index].checked = sameKind && samePlace;
    });
    showCount();
  };

  search.addEventListener("input", () => {
    const text = search.value.trim().toLowerCase();
    rows.forEach((row) => {
      row.hidden = Boolean(text) && !row.dataset.name.includes(text);
    });
  });
  picker.querySelector("[data-picker-all]").addEventListener("click", () => {
    rows.forEach((row, index) => {
      if (!row.hidden) boxes[index].checked = true;
    });
    chooseManually();
    showCount();
  });
  picker.querySelector("[data-picker-none]").addEventListener("click", () => {
    boxes.forEach((box) => {
      box.checked = false;
    });
    chooseManually();
    showCount();
  });
  boxes.forEach((box) =>
    box.addEventListener("change", () => {
      chooseManually();
      showCount();
    }),
  );
  form.querySelectorAll('input[name="target"]').forEach((radio) =>
    radio.addEventListener("change", tickByMode),
  );
  kind?.addEventListener("change", tickByMode);
  locality?.addEventListener("change", () => {
    if (target("locality")) target("locality").checked = true;
    tickByMode();
  });

  const version = form.querySelector("#form_version_id");
  const title = form.querySelector("#title");
  if (version && title && form.dataset.versionTitles) {
    const titles = JSON.parse(form.dataset.versionTitles);
    let automatic = titles[version.value] || "";
    version.addEventListener("change", () => {
      if (!title.value.trim() || title.value === automatic) {
        title.value = titles[version.value] || "";
      }
      automatic = titles[version.value] || "";
    });
  }

  tickByMode();
  showCount();
})();
