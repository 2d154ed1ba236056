// The progress of a background export, polled until the file is ready.
(() => {
  const job = document.getElementById("export-job");
  if (!job) return;
  const bar = job.querySelector("progress");
  const message = job.querySelector("[data-export-message]");
  const download = job.querySelector("[data-export-download]");

  async function poll() {
    try {
      const reply = await fetch(job.dataset.progressUrl, { headers: { Accept: "application/json" } });
      const state = await reply.json();
      if (state.total) {
        bar.max = state.total;
        bar.value = state.done;
      }
      if (state.status === "done") {
        bar.value = bar.max;
        message.textContent = job.dataset.doneText;
        download.classList.remove("d-none");
        return;
      }
      if (state.status === "failed") {
        message.textContent = state.error;
        return;
      }
      message.textContent = state.status === "running" && state.total
        ? job.dataset.runningText.replace("{done}", state.done).replace("{total}", state.total)
        : job.dataset.queuedText;
    } catch (problem) {
      // A dropped connection: keep polling.
    }
    setTimeout(poll, 1000);
  }

  if (job.dataset.status !== "done" && job.dataset.status !== "failed") poll();
})();
