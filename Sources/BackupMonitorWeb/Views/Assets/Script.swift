/// The only script of the UI: live scan progress on the dashboard (EventSource), plus small
/// comforts (auto-submit of the mode switch, CSV file into the import box). Every page works
/// without it.
enum Script {
    static let text = #"""
        "use strict";
        (function () {
          function csrf() {
            var meta = document.querySelector('meta[name="csrf-token"]');
            return meta ? meta.content : "";
          }

          // The mode radios and date picker apply at once.
          document.querySelectorAll("form.selection").forEach(function (form) {
            form.addEventListener("change", function () { form.submit(); });
          });

          // A chosen CSV file fills the import text box.
          document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
            input.closest(".js-only").classList.remove("js-only");
            input.addEventListener("change", function () {
              var file = input.files && input.files[0];
              var target = document.getElementById(input.dataset.fills);
              if (!file || !target) { return; }
              file.text().then(function (text) { target.value = text; });
            });
          });

          var panel = document.getElementById("scan-progress");
          if (!panel) { return; }
          var form = document.getElementById("scan-form");
          var button = document.getElementById("scan-button");
          var fill = panel.querySelector(".fill");
          var bar = panel.querySelector("[role=progressbar]");
          var text = panel.querySelector(".progress-text");
          var failures = panel.querySelector(".scan-failures");

          function show(done, total) {
            var percent = total > 0 ? Math.floor(done * 100 / total) : 0;
            fill.style.width = percent + "%";
            bar.setAttribute("aria-valuenow", String(percent));
            text.textContent = done + " / " + total + " outlets (" + percent + " %)";
          }

          // Replaces the figures, reasons, trend and last scan with a fresh copy of this page.
          function refresh() {
            return fetch(window.location.href, { credentials: "same-origin" })
              .then(function (response) { return response.text(); })
              .then(function (html) {
                var fresh = new DOMParser().parseFromString(html, "text/html");
                ["figures", "reasons", "trend", "last-scan", "unscanned"].forEach(function (id) {
                  var now = document.getElementById(id);
                  var next = fresh.getElementById(id);
                  if (now && next) { now.replaceWith(next); }
                });
              });
          }

          function follow(url, total) {
            panel.hidden = false;
            panel.classList.remove("finished");
            if (button) { button.disabled = true; }
            failures.textContent = "";
            show(0, total);
            // One line per failing outlet: a second try replaces (or removes) the first one's.
            var listed = {};
            var retrying = 0;
            var source = new EventSource(url);
            source.onmessage = function (message) {
              var event;
              try { event = JSON.parse(message.data); } catch (error) { return; }
              if (event.type === "started") {
                total = event.total;
                show(0, total);
              } else if (event.type === "progress") {
                total = event.total;
                if (event.pass === 2) {
                  text.textContent = "Second try: " + event.done + " / " + retrying + " outlets that timed out";
                } else {
                  show(event.done, event.total);
                }
                var record = event.record || {};
                var code = record.OutletServer;
                if (listed[code]) {
                  listed[code].remove();
                  delete listed[code];
                }
                if (record.Status === "Failed") {
                  var item = document.createElement("li");
                  item.textContent = code + ": " + (record.errorKind || "failed") +
                    (record.ErrorDetails ? " — " + record.ErrorDetails : "");
                  failures.insertBefore(item, failures.firstChild);
                  listed[code] = item;
                }
              } else if (event.type === "retrying") {
                retrying = event.count;
                show(total, total);
                text.textContent = event.message;
              } else if (event.type === "complete") {
                source.close();
                show(total, total);
                panel.classList.add("finished");
                text.textContent = "Finished: " + (event.successCount || 0) + " successful, " +
                  (event.failedCount || 0) + " failed (100 %)" +
                  (event.secondTry ? "; " + event.secondTry : "") +
                  (event.degraded ? ". " + event.degraded : "");
                if (button) { button.disabled = false; }
                refresh();
              }
            };
            source.onerror = function () {
              if (source.readyState === EventSource.CLOSED) {
                text.textContent = "Lost the connection to the scan; reload the page to see its state.";
                if (button) { button.disabled = false; }
              }
            };
          }

          if (form) {
            form.addEventListener("submit", function (submit) {
              submit.preventDefault();
              button.disabled = true;
              text.textContent = "Starting…";
              panel.hidden = false;
              fetch("/api/v1/scans", {
                method: "POST",
                credentials: "same-origin",
                headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
                body: JSON.stringify({ mode: form.dataset.mode, date: form.dataset.date })
              }).then(function (response) {
                return response.json().then(function (body) {
                  if (!response.ok) { throw new Error(body.error || response.statusText); }
                  follow(body.events, body.scan.total);
                });
              }).catch(function (error) {
                text.textContent = "The scan could not start: " + error.message;
                button.disabled = false;
              });
            });
          }

          if (panel.dataset.scanId) {
            follow("/api/v1/scans/" + encodeURIComponent(panel.dataset.scanId) + "/events",
              Number(panel.dataset.total) || 0);
          }
        })();

        """#
}
