// contentlint html report: filters that show and hide files and findings, without a
// reload. Each file (a section, or a row of the table of files whose findings are all
// over the limit) carries its kinds of findings, shown or not, as "number:count"; the
// numbers index the list "rule|severity|fix ..." of #file-list. The counts of matches
// are exact over the files listed.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var rule = document.getElementById("filter-rule");
  var severity = document.getElementById("filter-severity");
  var fix = document.getElementById("filter-fix");
  var path = document.getElementById("filter-path");
  var status = document.getElementById("filter-status");
  var names = (document.getElementById("file-list").getAttribute("data-kind-names") || "")
    .split(" ").map(function (name) {
      var parts = name.split("|");
      return { rule: parts[0], severity: parts[1], fix: parts[2] };
    });
  var files = Array.prototype.map.call(document.querySelectorAll("#files .file"), function (section) {
    var kinds = (section.getAttribute("data-kinds") || "").split(" ").filter(Boolean).map(function (item) {
      var at = item.indexOf(":");
      var kind = names[Number(item.slice(0, at))];
      return { rule: kind.rule, severity: kind.severity, fix: kind.fix, count: Number(item.slice(at + 1)) };
    });
    return {
      section: section,
      path: (section.getAttribute("data-path") || "").toLowerCase(),
      kinds: kinds,
      findings: section.querySelectorAll(".finding")
    };
  });

  function matches(wanted, item) {
    return (!wanted.rule || item.rule === wanted.rule) &&
      (!wanted.severity || item.severity === wanted.severity) &&
      (!wanted.fix || item.fix === wanted.fix);
  }

  function apply() {
    var wanted = { rule: rule.value, severity: severity.value, fix: fix.value };
    var text = path.value.trim().toLowerCase();
    var shownFiles = 0;
    var found = 0;
    files.forEach(function (file) {
      var count = 0;
      if (!text || file.path.indexOf(text) !== -1) {
        file.kinds.forEach(function (kind) { if (matches(wanted, kind)) { count += kind.count; } });
      }
      file.section.hidden = count === 0;
      if (count === 0) { return; }
      shownFiles += 1;
      found += count;
      Array.prototype.forEach.call(file.findings, function (item) {
        item.hidden = !matches(wanted, {
          rule: item.getAttribute("data-rule"),
          severity: item.getAttribute("data-sev"),
          fix: item.getAttribute("data-fix")
        });
      });
    });
    var filtered = wanted.rule || wanted.severity || wanted.fix || text;
    status.textContent = (filtered ? "Matching: " : "All: ") + found.toLocaleString("en") +
      (found === 1 ? " finding in " : " findings in ") + shownFiles.toLocaleString("en") +
      (shownFiles === 1 ? " file." : " files.");
  }

  function openAll(open) {
    files.forEach(function (file) {
      var details = file.section.querySelector("details");
      if (details && !file.section.hidden) { details.open = open; }
    });
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  document.getElementById("expand-all").addEventListener("click", function () { openAll(true); });
  document.getElementById("collapse-all").addEventListener("click", function () { openAll(false); });
  apply();
}());
