// A box that scrolls (a wide table, a long list of checkboxes) must be reachable by the
// keyboard: while its content overflows it is a named region in the tab order.
(() => {
  const BOXES = ".table-responsive, .org-picker";
  const fallback = document.currentScript?.dataset.label || "";

  function nameOf(box) {
    const table = box.querySelector("table");
    const labelledBy = table?.getAttribute("aria-labelledby");
    const text =
      table?.getAttribute("aria-label") ||
      table?.querySelector("caption")?.textContent ||
      (labelledBy && document.getElementById(labelledBy.split(" ")[0])?.textContent) ||
      precedingHeading(box)?.textContent ||
      fallback;
    return text.trim().replace(/\s+/g, " ");
  }

  function precedingHeading(box) {
    for (let node = box; node && node !== document.body; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        const heading = sibling.matches("h1, h2, h3, h4, h5, h6, legend, label")
          ? sibling
          : sibling.querySelector("h1, h2, h3, h4, h5, h6");
        if (heading) return heading;
      }
    }
    return null;
  }

  function update(box) {
    const overflows = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (overflows && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.dataset.scrollRegion = "";
      if (!box.hasAttribute("role")) box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", nameOf(box));
    } else if (!overflows && "scrollRegion" in box.dataset) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollRegion;
    }
  }

  function updateAll() {
    document.querySelectorAll(BOXES).forEach(update);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", updateAll);
  } else {
    updateAll();
  }
  window.addEventListener("resize", updateAll);
  new ResizeObserver(updateAll).observe(document.body);
})();
