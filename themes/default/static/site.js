/* flippack default theme: progress kept in this browser, and small page
 * helpers (print buttons, parts shown only when JavaScript runs).
 *
 * Progress lives in localStorage under the site's key (the <html>
 * data-storage-key attribute), as JSON:
 *   { v: 1, name: "…", packs: { <slug>: { title, url, credit, minutes,
 *     done: { <resource key>: minutes }, extra: { <key>: minutes },
 *     updated: "YYYY-MM-DD" } } }
 * `minutes` is the pack's credited self-study time; `done` holds credited
 * resources, `extra` optional ones. Nothing is ever sent anywhere.
 */
(function () {
  "use strict";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var storageKey = html.getAttribute("data-storage-key") || "flippack";

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (data && data.v === 1 && data.packs) return data;
    } catch (e) {
      /* Storage blocked or damaged: start afresh. */
    }
    return { v: 1, name: "", packs: {} };
  }

  function save(data) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  function sum(map) {
    var total = 0;
    for (var k in map) if (Object.prototype.hasOwnProperty.call(map, k)) total += map[k];
    return total;
  }

  function count(map) {
    return map ? Object.keys(map).length : 0;
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* "45 of 92 minutes done"; minutes are rounded for reading only. */
  function minutesText(done, total) {
    var d = Math.round(done), t = Math.round(total);
    if (t > 0 && done >= total - 0.001) return "Self-study done: all " + t + " minutes";
    return d + " of " + t + " minutes done";
  }

  function durationText(minutes) {
    var m = Math.round(minutes);
    var h = Math.floor(m / 60);
    var rest = m % 60;
    if (!h) return m + " min";
    return h + " h" + (rest ? " " + rest + " min" : "");
  }

  function showAll(selector, scope) {
    var nodes = (scope || document).querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) nodes[i].hidden = false;
    return nodes;
  }

  function setProgress(box, done, total) {
    if (!box) return;
    var bar = box.querySelector("progress");
    var text = box.querySelector(".progress-text, .card-progress-text");
    box.hidden = false;
    if (bar) {
      bar.max = total > 0 ? total : 1;
      bar.value = Math.min(done, bar.max);
    }
    if (text) text.textContent = minutesText(done, total);
    box.classList.toggle("is-complete", total > 0 && done >= total - 0.001);
  }

  /* The pack page: a checkbox per resource. */
  function initPack(article) {
    var slug = article.getAttribute("data-pack");
    var total = parseFloat(article.getAttribute("data-minutes")) || 0;
    var items = article.querySelectorAll("[data-resource]");
    var boxes = article.querySelectorAll("input[data-done]");
    var summary = article.querySelector("[data-progress-summary]");

    function refresh(data) {
      var entry = data.packs[slug];
      var done = 0;
      for (var i = 0; i < items.length; i++) {
        var key = items[i].getAttribute("data-resource");
        var optional = items[i].hasAttribute("data-optional");
        var ticked = !!(entry && (optional ? entry.extra : entry.done) &&
          Object.prototype.hasOwnProperty.call(optional ? entry.extra : entry.done, key));
        var box = items[i].querySelector("input[data-done]");
        if (box) box.checked = ticked;
        items[i].classList.toggle("is-done", ticked);
        if (ticked && !optional) done += parseFloat(items[i].getAttribute("data-minutes")) || 0;
      }
      setProgress(summary, done, total);
    }

    function record() {
      var data = load();
      var entry = {
        title: article.getAttribute("data-title"),
        url: article.getAttribute("data-url"),
        credit: article.getAttribute("data-credit"),
        minutes: total,
        done: {},
        extra: {},
        updated: today()
      };
      for (var i = 0; i < items.length; i++) {
        var box = items[i].querySelector("input[data-done]");
        if (!box || !box.checked) continue;
        var minutes = parseFloat(items[i].getAttribute("data-minutes")) || 0;
        var key = items[i].getAttribute("data-resource");
        if (items[i].hasAttribute("data-optional")) entry.extra[key] = minutes;
        else entry.done[key] = minutes;
      }
      if (count(entry.done) || count(entry.extra)) data.packs[slug] = entry;
      else delete data.packs[slug];
      save(data);
      refresh(data);
    }

    for (var i = 0; i < boxes.length; i++) boxes[i].addEventListener("change", record);
    showAll("label.done", article);
    refresh(load());
    return function () { refresh(load()); };
  }

  /* Cards (catalog, tags, pathways): a bar for packs already started. */
  function initCards(data) {
    var cards = document.querySelectorAll("[data-card]");
    var pathwayDone = 0;
    for (var i = 0; i < cards.length; i++) {
      var entry = data.packs[cards[i].getAttribute("data-slug")];
      var total = parseFloat(cards[i].getAttribute("data-minutes")) || 0;
      var box = cards[i].querySelector("[data-card-progress]");
      if (!entry) {
        if (box) box.hidden = true;
        continue;
      }
      var done = Math.min(sum(entry.done), total);
      pathwayDone += done;
      setProgress(box, done, total);
    }
    var pathway = document.querySelector("[data-pathway]");
    if (pathway) {
      var summary = pathway.querySelector("[data-progress-summary]");
      var max = summary ? parseFloat(summary.querySelector("progress").getAttribute("max")) : 0;
      setProgress(summary, pathwayDone, max);
    }
  }

  /* "My learning": every pack with something ticked. */
  function initLearning(page) {
    var app = page.querySelector("[data-learning-app]");
    var rows = page.querySelector("[data-learning-rows]");
    var table = page.querySelector("[data-learning-table]");
    var empty = page.querySelector("[data-learning-empty]");
    var note = page.querySelector("[data-learning-note]");
    var summary = page.querySelector("[data-learning-summary]");
    var clear = page.querySelector("[data-learning-clear]");
    var name = page.querySelector("[data-learner-name]");
    var date = page.querySelector("[data-today]");
    app.hidden = false;
    if (date) date.textContent = today();

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

    function render() {
      var data = load();
      if (name && document.activeElement !== name) name.value = data.name || "";
      var slugs = Object.keys(data.packs).sort(function (a, b) {
        var x = data.packs[a], y = data.packs[b];
        return (y.updated || "").localeCompare(x.updated || "") || (x.title || "").localeCompare(y.title || "");
      });
      rows.textContent = "";
      var finished = 0, credit = 0, minutes = 0;
      slugs.forEach(function (slug) {
        var p = data.packs[slug];
        var done = Math.min(sum(p.done), p.minutes || 0);
        var complete = p.minutes > 0 && done >= p.minutes - 0.001;
        minutes += done;
        if (complete) {
          finished += 1;
          credit += parseFloat(p.credit) || 0;
        }
        var row = document.createElement("tr");
        var link = document.createElement("a");
        link.href = root + p.url;
        link.textContent = p.title || slug;
        cell(row, undefined, true).appendChild(link);
        var progressCell = cell(row, undefined, false, "Self-study done");
        var bar = document.createElement("progress");
        bar.max = p.minutes > 0 ? p.minutes : 1;
        bar.value = Math.min(done, bar.max);
        bar.setAttribute("aria-hidden", "true");
        var label = document.createElement("span");
        label.textContent = Math.round(done) + " of " + Math.round(p.minutes || 0) + " min";
        progressCell.appendChild(label);
        progressCell.appendChild(bar);
        var extra = sum(p.extra || {});
        if (extra > 0) {
          var more = document.createElement("span");
          more.className = "meta";
          more.textContent = " + " + Math.round(extra) + " min optional";
          progressCell.appendChild(more);
        }
        cell(row, complete ? "Self-study finished" : "In progress", false, "Status").className =
          complete ? "status-done" : "status-started";
        cell(row, p.credit ? p.credit + " h" : "", false, "Pack credit");
        cell(row, p.updated || "", false, "Last activity");
        rows.appendChild(row);
      });
      var any = slugs.length > 0;
      table.hidden = !any;
      note.hidden = !any;
      empty.hidden = any;
      clear.hidden = !any;
      summary.hidden = !any;
      if (any) {
        var put = function (key, text) {
          var slot = summary.querySelector('[data-sum="' + key + '"]');
          if (slot) slot.textContent = text;
        };
        put("started", String(slugs.length));
        put("finished", String(finished));
        put("time", durationText(minutes));
        put("credit", String(Math.round(credit * 100) / 100));
      }
    }

    if (name) {
      name.addEventListener("input", function () {
        var data = load();
        data.name = name.value;
        save(data);
      });
    }
    clear.addEventListener("click", function () {
      if (!window.confirm("Clear all your ticked resources on this site? This cannot be undone.")) return;
      var data = load();
      data.packs = {};
      save(data);
      render();
    });
    render();
    return render;
  }

  function init() {
    showAll(".js-only");
    var prints = showAll("[data-print]");
    for (var i = 0; i < prints.length; i++) {
      prints[i].addEventListener("click", function () { window.print(); });
    }
    var pack = document.querySelector("[data-pack]");
    var refreshPack = pack ? initPack(pack) : null;
    initCards(load());
    var learning = document.querySelector("[data-learning]");
    var refreshLearning = learning ? initLearning(learning) : null;
    /* Another tab ticked something: show it here too. */
    window.addEventListener("storage", function (event) {
      if (event.key !== storageKey) return;
      if (refreshPack) refreshPack();
      if (refreshLearning) refreshLearning();
      initCards(load());
    });
  }

  window.flippack = { load: load, save: save, minutesText: minutesText };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
