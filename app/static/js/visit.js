// The page of a visit: district staff fill in a school's questionnaire in its library, where
// there may be no connection. fill.js keeps the answers (and the date of the visit) in this
// browser and sends them when the connection returns; this gives the date of the visit and
// keeps the page itself for opening offline (visit-sw.js serves it from the cache "visits").
(() => {
  "use strict";

  const form = document.getElementById("fill-form");
  const day = document.getElementById("visited-on");
  const status = document.getElementById("visit-offline");
  if (!form || !day || !status) return;
  const CACHE = "visits";
  const ASSET = /^\/(static|bootstrap)\//;

  // ---- the date of the visit: the district's today unless given, from the opening on ------

  function isoToday() {
    const options = { year: "numeric", month: "2-digit", day: "2-digit" };
    try {
      return new Intl.DateTimeFormat("en-CA", { ...options, timeZone: form.dataset.timezone })
        .format(new Date());
    } catch (problem) {  // a zone this browser does not know
      return new Intl.DateTimeFormat("en-CA", options).format(new Date());
    }
  }

  const russian = (iso) => iso.split("-").reverse().join(".");

  function iso(text) {
    const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
    if (!match) return null;
    const [, d, m, y] = match;
    const value = `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`;
    const date = new Date(`${value}T00:00:00Z`);
    return date.toISOString().slice(0, 10) === value ? value : null;
  }

  function checkDay() {
    const error = document.getElementById("visited-on-error");
    const value = iso(day.value);
    let message = "";
    if (value === null) message = day.dataset.formatText;
    else if (value < day.dataset.min || value > isoToday()) message = day.dataset.rangeText;
    error.textContent = message;
    day.classList.toggle("is-invalid", Boolean(message));
    if (message) day.setAttribute("aria-invalid", "true");
    else day.removeAttribute("aria-invalid");
  }

  if (!day.value) day.value = russian(isoToday());
  day.addEventListener("input", checkDay);

  // ---- the page kept for opening without a connection ---------------------------------------

  function say(name) {
    status.textContent = status.dataset[`${name}Text`];
  }

  // The page (without ?prepare=1) and the files it loaded: scripts, styles, the icons' font.
  function pageFiles() {
    const links = "script[src], link[rel=stylesheet][href], link[rel=icon][href]";
    const linked = [...document.querySelectorAll(links)].map((link) => link.src || link.href);
    const loaded = performance.getEntriesByType("resource").map((entry) => entry.name);
    const files = [...linked, ...loaded]
      .map((address) => new URL(address, location.href))
      .filter((url) => url.origin === location.origin && ASSET.test(url.pathname))
      .map((url) => url.pathname + url.search);
    return [...new Set([location.pathname, ...files])];
  }

  async function keepOffline() {
    if (!("serviceWorker" in navigator) || !("caches" in window)) {
      say("unsupported");
      return;
    }
    try {
      const worker = new URL(status.dataset.worker, location.href);
      await navigator.serviceWorker.register(worker, { scope: new URL(".", worker).pathname });
      const cache = await caches.open(CACHE);
      await cache.addAll(pageFiles());
      say("ready");
    } catch (problem) {
      say("failed");
    }
  }

  keepOffline();
})();
