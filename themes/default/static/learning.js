/* flippack default theme, My learning: every pack this teacher has begun
 * on this site, the printed record, and the record as a file to keep or to
 * carry to another browser (Download my learning, Import).
 *
 * The file format is described in docs/my-learning.md; its `version` says
 * which. Storage goes through window.flippack (site.js). Nothing is sent
 * anywhere: a download is made in the page, from file:// too.
 */
(function () {
  "use strict";

  var fp = window.flippack;
  var page = document.querySelector("[data-learning]");
  if (!fp || !page) return;

  var FORMAT = "flippack-my-learning";
  var VERSION = 1;
  var siteTitle = (document.querySelector('meta[property="og:site_name"]') || {}).content || "";
  var legacyKey = document.documentElement.getAttribute("data-legacy-storage-key");

  /* ---------- What each pack's entry says ---------- */

  /* Self-study minutes done, as credited (optional ones apart). */
  function studied(p) {
    return Math.min(fp.sum(p.done || {}), p.minutes || 0);
  }

  function isComplete(p) {
    return p.minutes > 0 && studied(p) >= p.minutes - 0.001;
  }

  /* Whether the workshop is marked attended: by an attendance code
   * (attendance.js keeps it in the record's `attendance`) or by the
   * teacher's own tick on the pack page. */
  function attended(data, slug) {
    var p = data.packs[slug] || {};
    return !!((data.attendance && data.attendance[slug]) ||
      (p.fields && p.fields["workshop:attended"] === true));
  }

  /* A pack is finished, and its credit earned, once its self-study is done
   * and its workshop attended: ticking the self-study alone is not enough. */
  function isFinished(data, slug) {
    return isComplete(data.packs[slug]) && attended(data, slug);
  }

  function fieldCount(p, prefix) {
    var fields = p.fields || {}, n = 0;
    for (var k in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, k) && k.indexOf(prefix) === 0 &&
        k !== "plan:shared" && fields[k] !== "" && fields[k] !== false) n += 1;
    }
    return n;
  }

  function counts(p) {
    return p.counts || {};
  }

  function planText(p) {
    var total = counts(p).plan || 0;
    var written = fieldCount(p, "plan:");
    if (!total && !written) return "";
    var text = written ? (written >= total ? "Written" : written + " of " + total + " answered") : "Not written";
    if (p.fields && p.fields["plan:shared"]) text += "; shared";
    return text;
  }

  function evidenceText(p) {
    var total = counts(p).evidence || 0;
    if (!total) return "";
    return fieldCount(p, "evidence:") + " of " + total + " gathered";
  }

  function followUpDate(p) {
    return (p.fields && p.fields["follow-up:date"]) || "";
  }

  function sortedSlugs(data) {
    return Object.keys(data.packs).sort(function (a, b) {
      var x = data.packs[a], y = data.packs[b];
      return (y.updated || "").localeCompare(x.updated || "") || (x.title || "").localeCompare(y.title || "");
    });
  }

  /* ---------- The page ---------- */

  var app = page.querySelector("[data-learning-app]");
  var rows = page.querySelector("[data-learning-rows]");
  var table = page.querySelector("[data-learning-table]");
  var emptyNote = page.querySelector("[data-learning-empty]");
  var note = page.querySelector("[data-learning-note]");
  var summary = page.querySelector("[data-learning-summary]");
  var clear = page.querySelector("[data-learning-clear]");
  var name = page.querySelector("[data-learner-name]");
  var date = page.querySelector("[data-today]");
  var message = page.querySelector("[data-learning-message]");
  var evidence = page.querySelector("[data-learning-evidence]");

  /* `label` repeats the column header for narrow screens, where the
   * table is shown as a list. */
  function cell(row, text, header, label) {
    var c = document.createElement(header ? "th" : "td");
    if (header) c.scope = "row";
    if (label) c.setAttribute("data-label", label);
    if (text !== undefined) c.textContent = text;
    row.appendChild(c);
    return c;
  }

  function progressCell(row, p) {
    var done = studied(p);
    var c = cell(row, undefined, false, "Self-study done");
    var bar = document.createElement("progress");
    bar.max = p.minutes > 0 ? p.minutes : 1;
    bar.value = Math.min(done, bar.max);
    bar.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.textContent = Math.round(done) + " of " + Math.round(p.minutes || 0) + " min";
    c.appendChild(label);
    c.appendChild(bar);
    var extra = fp.sum(p.extra || {});
    if (extra > 0) {
      var more = document.createElement("span");
      more.className = "meta";
      more.textContent = " + " + Math.round(extra) + " min optional";
      c.appendChild(more);
    }
  }

  function statusText(data, slug) {
    if (isFinished(data, slug)) return "Finished";
    if (isComplete(data.packs[slug])) return "Self-study finished; workshop not marked attended";
    return "In progress";
  }

  function row(data, slug, p) {
    var tr = document.createElement("tr");
    var link = document.createElement("a");
    link.href = fp.root + p.url;
    link.textContent = p.title || slug;
    cell(tr, undefined, true).appendChild(link);
    progressCell(tr, p);
    cell(tr, p.check ? fp.checkText(p.check) : (counts(p).questions ? "Not taken" : ""), false, "Self-check");
    cell(tr, planText(p), false, "Plan");
    cell(tr, evidenceText(p), false, "Evidence");
    var met = followUpDate(p);
    cell(tr, met ? "Held " + met : "", false, "Follow-up");
    cell(tr, statusText(data, slug), false, "Status").className =
      isFinished(data, slug) ? "status-done" : "status-started";
    cell(tr, p.credit ? p.credit + " h" : "", false, "Pack credit");
    cell(tr, p.updated || "", false, "Last activity");
    return tr;
  }

  /* The printed record lists each piece of evidence ticked, with its link. */
  function renderEvidence(data, slugs) {
    var list = evidence.querySelector("[data-learning-evidence-list]");
    list.textContent = "";
    var any = false;
    slugs.forEach(function (slug) {
      var p = data.packs[slug];
      var items = p.evidence || [];
      var ul = document.createElement("ul");
      items.forEach(function (text, i) {
        var f = p.fields || {};
        if (f["evidence:" + (i + 1)] !== true) return;
        var li = document.createElement("li");
        li.textContent = text + (f["evidence-link:" + (i + 1)] ? " <" + f["evidence-link:" + (i + 1)] + ">" : "");
        ul.appendChild(li);
      });
      if (!ul.children.length) return;
      any = true;
      var h = document.createElement("h3");
      h.textContent = p.title || slug;
      list.appendChild(h);
      list.appendChild(ul);
    });
    evidence.hidden = !any;
  }

  function render() {
    var data = fp.load();
    if (name && document.activeElement !== name) name.value = data.name || "";
    var slugs = sortedSlugs(data);
    rows.textContent = "";
    var finished = 0, credit = 0, minutes = 0;
    slugs.forEach(function (slug) {
      var p = data.packs[slug];
      minutes += studied(p);
      if (isFinished(data, slug)) {
        finished += 1;
        credit += parseFloat(p.credit) || 0;
      }
      rows.appendChild(row(data, slug, p));
    });
    var any = slugs.length > 0;
    table.hidden = !any;
    note.hidden = !any;
    emptyNote.hidden = any;
    clear.hidden = !any;
    summary.hidden = !any;
    if (any) {
      var put = function (key, text) {
        var slot = summary.querySelector('[data-sum="' + key + '"]');
        if (slot) slot.textContent = text;
      };
      put("started", String(slugs.length));
      put("finished", String(finished));
      put("time", fp.durationText(minutes));
      put("credit", String(Math.round(credit * 100) / 100));
    }
    renderEvidence(data, slugs);
  }

  /* ---------- Download ---------- */

  function exportJson() {
    var data = fp.load();
    return JSON.stringify({
      format: FORMAT,
      version: VERSION,
      exported: fp.today(),
      site: { id: fp.siteId || null, title: siteTitle, storage_key: fp.storageKey },
      name: data.name || "",
      packs: data.packs
    }, null, 2) + "\n";
  }

  function csvField(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  /* One row per pack, for a spreadsheet. */
  function exportCsv() {
    var data = fp.load();
    var lines = [[
      "pack", "title", "self_study_minutes_done", "self_study_minutes", "self_study_finished",
      "self_check_correct", "self_check_scored", "self_check_passed", "plan", "evidence_gathered",
      "evidence_total", "follow_up_date", "credit_hours", "last_activity"
    ].join(",")];
    sortedSlugs(data).forEach(function (slug) {
      var p = data.packs[slug];
      var check = p.check || {};
      lines.push([
        slug, p.title, Math.round(studied(p) * 100) / 100, p.minutes || 0, isComplete(p) ? "yes" : "no",
        p.check ? check.correct : "", p.check ? check.scored : "",
        check.passed === true ? "yes" : check.passed === false ? "no" : "",
        planText(p), counts(p).evidence ? fieldCount(p, "evidence:") : "", counts(p).evidence || "",
        followUpDate(p), p.credit || "", p.updated || ""
      ].map(csvField).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  function download(fileName, text, type) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: type }));
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* ---------- Import ---------- */

  /* A later value wins; a kept value is never replaced by nothing. */
  function mergePack(local, incoming) {
    if (!local) return incoming;
    var newer = (incoming.updated || "") > (local.updated || "") ? incoming : local;
    var older = newer === local ? incoming : local;
    var merged = {};
    var k;
    for (k in older) if (Object.prototype.hasOwnProperty.call(older, k)) merged[k] = older[k];
    for (k in newer) if (Object.prototype.hasOwnProperty.call(newer, k)) merged[k] = newer[k];
    ["done", "extra", "fields"].forEach(function (part) {
      var both = {};
      var from = [older[part] || {}, newer[part] || {}];
      from.forEach(function (map) {
        for (var key in map) if (Object.prototype.hasOwnProperty.call(map, key)) both[key] = map[key];
      });
      merged[part] = both;
    });
    var checks = [local.check, incoming.check].filter(Boolean);
    checks.sort(function (a, b) { return (b.date || "").localeCompare(a.date || ""); });
    if (checks.length) merged.check = checks[0];
    return merged;
  }

  /* Merges a downloaded file into this browser. Returns a sentence for the
   * teacher; refuses a file that is not a record, or that is from another
   * site. */
  function importText(text) {
    var file;
    try {
      file = JSON.parse(text);
    } catch (e) {
      return { ok: false, message: "That file is not a record downloaded from My learning, so nothing was imported." };
    }
    if (!file || file.format !== FORMAT || typeof file.packs !== "object" || file.packs === null) {
      return { ok: false, message: "That file is not a record downloaded from My learning, so nothing was imported." };
    }
    if (file.version > VERSION) {
      return { ok: false, message: "That record was made by a newer version of this site's theme, so nothing was imported." };
    }
    var key = file.site && file.site.storage_key;
    if (key !== fp.storageKey && !(legacyKey && key === legacyKey)) {
      var other = file.site && file.site.title ? " (\u201c" + file.site.title + "\u201d)" : "";
      return {
        ok: false,
        message: "That record is from another site" + other + ", so nothing was imported. Import it on the My learning page of the site it came from."
      };
    }
    var data = fp.load();
    var n = 0;
    for (var slug in file.packs) {
      if (!Object.prototype.hasOwnProperty.call(file.packs, slug)) continue;
      var incoming = file.packs[slug];
      if (!incoming || typeof incoming !== "object") continue;
      data.packs[slug] = mergePack(data.packs[slug], incoming);
      n += 1;
    }
    if (!data.name && file.name) data.name = file.name;
    if (!fp.save(data)) return { ok: false, message: "This browser would not save the record, so nothing was imported." };
    render();
    return {
      ok: true,
      message: "Imported " + n + " pack" + (n === 1 ? "" : "s") + " from the record" +
        (file.exported ? " downloaded on " + file.exported : "") + "."
    };
  }

  function say(text) {
    message.textContent = text;
  }

  function init() {
    app.hidden = false;
    if (date) date.textContent = fp.today();
    fp.showAll("[data-learning-download], [data-learning-csv]", page);
    page.querySelector("[data-learning-download]").addEventListener("click", function () {
      download("my-learning.json", exportJson(), "application/json");
      say("Your record was saved as my-learning.json in your downloads.");
    });
    page.querySelector("[data-learning-csv]").addEventListener("click", function () {
      download("my-learning.csv", exportCsv(), "text/csv;charset=utf-8");
      say("Your record was saved as my-learning.csv in your downloads.");
    });
    var input = page.querySelector("[data-learning-import]");
    input.addEventListener("change", function () {
      var chosen = input.files && input.files[0];
      if (!chosen) return;
      var reader = new FileReader();
      reader.onload = function () {
        say(importText(String(reader.result)).message);
        input.value = "";
      };
      reader.onerror = function () { say("That file could not be read, so nothing was imported."); };
      reader.readAsText(chosen);
    });
    if (name) {
      name.addEventListener("input", function () {
        var data = fp.load();
        data.name = name.value;
        fp.save(data);
      });
    }
    clear.addEventListener("click", function () {
      if (!window.confirm("Clear all your progress on this site: ticks, answers, plans and self-check results? This cannot be undone.")) return;
      var data = fp.load();
      data.packs = {};
      fp.save(data);
      render();
    });
    render();
    fp.onStorageChange(render);
  }

  /* The functions the buttons use, for other tools and for the tests. */
  window.flippackLearning = { exportJson: exportJson, exportCsv: exportCsv, importText: importText };
  init();
})();
