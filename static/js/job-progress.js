/* Live progress of a queued or running job (a run, an import): polls the job's status URL and,
 * once the job has finished, swaps the progress bar for its outcome without reloading the page. */
(function () {
  "use strict";
  var card = document.querySelector("[data-status-url]");
  if (!card) { return; }
  var outcome = document.getElementById("job-outcome");
  var bar = card.querySelector(".progress");
  var POLL_MS = 1000;

  function show(status) {
    bar.setAttribute("aria-valuenow", status.progress);
    bar.querySelector(".progress-bar").style.width = status.progress + "%";
    card.querySelector("[data-progress-percent]").textContent = status.progress + "%";
    card.querySelector("[data-progress-step]").textContent = status.step || status.statusLabel;
  }

  async function showOutcome() {
    var response = await fetch(outcome.dataset.outcomeUrl, { credentials: "same-origin" });
    outcome.innerHTML = await response.text();
    document.querySelectorAll("[data-while-running]").forEach(function (node) { node.remove(); });
    if (window.MallsegCharts) { window.MallsegCharts.init(outcome); }
  }

  async function poll() {
    try {
      var response = await fetch(card.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) { throw new Error("status " + response.status); }
      var status = await response.json();
      show(status);
      if (status.finished) { await showOutcome(); return; }
    } catch (error) {
      card.querySelector("[data-progress-step]").textContent = "Lost contact with the server; retrying…";
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS / 2);
})();
