// The report's figures being computed or recounted: asks the status every few seconds. A page
// waiting for its first figures opens the report (or the failure) by itself; a page showing
// older figures offers the newer ones once stored, without reloading under the reader's hands.
(() => {
  const EVERY_MS = 3000;

  async function status(url) {
    const reply = await fetch(url, { headers: { Accept: "application/json" } });
    if (!reply.ok) throw new Error(`status ${reply.status}`);
    return reply.json();
  }

  function poll(url, done) {
    const ask = async () => {
      try {
        if (done(await status(url))) return;
      } catch (problem) {
        // A dropped connection or a busy server: ask again later.
      }
      setTimeout(ask, EVERY_MS);
    };
    setTimeout(ask, EVERY_MS);
  }

  const pending = document.getElementById("figures-pending");
  if (pending && pending.dataset.status === "pending") {
    poll(pending.dataset.statusUrl, (state) => {
      if (state.status === "pending") return false;
      window.location.reload();
      return true;
    });
  }

  const notice = document.getElementById("figures-time");
  if (notice && notice.dataset.statusUrl) {
    poll(notice.dataset.statusUrl, (state) => {
      if (state.status !== "ready" || state.computed_at === notice.dataset.computedAt) return false;
      notice.querySelector("[data-figures-message]").textContent = notice.dataset.readyText;
      notice.querySelector("[data-figures-refresh]").classList.add("d-none");
      notice.querySelector("[data-figures-newer]").classList.remove("d-none");
      return true;
    });
  }
})();
