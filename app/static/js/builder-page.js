// The one-page builder: drag and drop of questions (also into another section) and of sections
// with SortableJS, sent to the server as the new layout through htmx; after each swap of the
// builder the element the server names (data-focus) is brought into view and focused; the
// preview beside the builder reloads after each saved change.
(() => {
  if (!window.htmx) return;

  const layoutOf = (builder) =>
    [...builder.querySelectorAll(".builder-section")].map((section) => ({
      key: section.dataset.key,
      questions: [...section.querySelectorAll(".builder-question")].map((item) => item.dataset.key),
    }));

  const sendOrder = (builder, moved) => {
    htmx.ajax("POST", builder.dataset.orderUrl, {
      source: builder,
      target: "#builder",
      select: "#builder",
      swap: "outerHTML",
      values: { layout: JSON.stringify(layoutOf(builder)), moved, csrf_token: builder.dataset.csrf },
    });
  };

  const sortable = (builder) => {
    if (!window.Sortable || !builder.dataset.orderUrl) return;
    const disabled = builder.dataset.editing === "true";
    const moved = (event) => {
      if (event.from !== event.to || event.oldIndex !== event.newIndex) {
        sendOrder(builder, event.item.id);
      }
    };
    builder.querySelectorAll(".builder-questions").forEach((list) => {
      Sortable.create(list, {
        group: "questions",
        handle: ".drag-handle",
        draggable: ".builder-question",
        filter: ".builder-empty",
        animation: 150,
        disabled,
        onEnd: moved,
      });
    });
    const sections = builder.querySelector("#builder-sections");
    if (sections && builder.querySelector(".section-handle")) {
      Sortable.create(sections, {
        handle: ".section-handle",
        draggable: ".builder-section",
        animation: 150,
        disabled,
        onEnd: moved,
      });
    }
  };

  const focus = (builder) => {
    const target = builder.dataset.focus && document.getElementById(builder.dataset.focus);
    if (!target) return;
    target.scrollIntoView({ block: target.classList.contains("builder-editor") ? "start" : "center" });
    // in an editor the answer refused shows its first wrong field, else its first field
    const field = target.classList.contains("builder-editor")
      ? target.querySelector(".is-invalid") ||
        target.querySelector("textarea, input:not([type=hidden]), select")
      : target;
    field?.focus({ preventScroll: true });
  };

  // The preview shows the question being edited or just saved.
  const previewTo = () => {
    const key = document.getElementById("builder")?.dataset.previewKey;
    const frame = document.getElementById("preview-frame");
    const target = key && frame?.contentDocument?.getElementById(`question-${key}`);
    if (!target) return;
    // scrolling the frame's own window: scrollIntoView would also scroll this page
    const view = frame.contentWindow;
    view.scrollTo({ top: target.getBoundingClientRect().top + view.scrollY - 8 });
  };

  htmx.onLoad((root) => {
    const builder = root.id === "builder" ? root : root.querySelector?.("#builder");
    if (!builder) return;
    sortable(builder);
    focus(builder);
    previewTo();
  });

  document.getElementById("preview-frame")?.addEventListener("load", previewTo);
  document.body.addEventListener("form-changed", () => {
    document.getElementById("preview-frame")?.contentWindow?.location.reload();
  });
})();
