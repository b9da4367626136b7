/* flippack default theme: progress kept in this browser, and small page
 * helpers (print buttons, parts shown only when JavaScript runs).
 *
 * Progress lives in localStorage under the site's key (the <html>
 * data-storage-key attribute: `flippack:<site id>` when site.yaml has an
 * `id`, else the older `flippack:<base_url>:<title slug>`), as JSON:
 *   { v: 1, name: "…", packs: { <slug>: { title, url, credit, minutes,
 *     done: { <resource key>: minutes }, extra: { <key>: minutes },
 *     fields: { <name>: text or true }, check: { … }, counts: { … },
 *     updated: "YYYY-MM-DD" } } }
 * `minutes` is the pack's credited self-study time; `done` holds credited
 * resources, `extra` optional ones; `fields`, `check` and `counts` are
 * written by cycle.js (see docs/my-learning.md). Nothing is ever sent
 * anywhere.
 */
(function () {
  "use strict";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var storageKey = html.getAttribute("data-storage-key") || "flippack";
  /* The key progress was kept under before the site had an id: read once,
   * so that giving a site an id does not lose anyone's progress. */
  var legacyKey = html.getAttribute("data-legacy-storage-key");

  function empty() {
    return { v: 1, name: "", packs: {} };
  }

  function parse(text) {
    try {
      var data = JSON.parse(text || "null");
      if (data && data.v === 1 && data.packs) return data;
    } catch (e) {
      /* Damaged: start afresh. */
    }
    return null;
  }

  function load() {
    try {
      var stored = window.localStorage.getItem(storageKey);
      if (stored === null && legacyKey) stored = window.localStorage.getItem(legacyKey);
      return parse(stored) || empty();
    } catch (e) {
      /* Storage blocked: start afresh. */
      return empty();
    }
  }

  function save(data) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  /* Whether a pack's entry still holds anything the teacher did; an
   * empty one is dropped, so My learning lists only packs begun. */
  function hasActivity(entry) {
    if (count(entry.done) || count(entry.extra) || entry.check) return true;
    var fields = entry.fields || {};
    for (var k in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, k) && fields[k] !== "" && fields[k] !== false) return true;
    }
    return false;
  }

  /* Changes one pack's entry: `meta` (title, url, credit, minutes) is
   * refreshed from the page, `change(entry)` does the rest. Every script
   * writes through here, so none of them drops what another one kept. */
  function updatePack(slug, meta, change) {
    var data = load();
    var entry = data.packs[slug] || { done: {}, extra: {} };
    for (var k in meta) if (Object.prototype.hasOwnProperty.call(meta, k)) entry[k] = meta[k];
    entry.done = entry.done || {};
    entry.extra = entry.extra || {};
    change(entry);
    entry.updated = today();
    if (hasActivity(entry)) data.packs[slug] = entry;
    else delete data.packs[slug];
    save(data);
    return data;
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

  /* What every entry of a pack carries, read from its page. */
  function packMeta(article) {
    return {
      title: article.getAttribute("data-title"),
      url: article.getAttribute("data-url"),
      credit: article.getAttribute("data-credit"),
      minutes: parseFloat(article.getAttribute("data-minutes")) || 0
    };
  }

  /* "4 of 5 correct, passed", for the pack, its card and My learning. */
  function checkText(check) {
    if (!check) return "";
    var text = check.correct + " of " + check.scored + " correct";
    if (check.passed === true) text += ", passed";
    else if (check.passed === false) text += ", not yet passed";
    return text;
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
      var data = updatePack(slug, packMeta(article), function (entry) {
        entry.done = {};
        entry.extra = {};
        for (var i = 0; i < items.length; i++) {
          var box = items[i].querySelector("input[data-done]");
          if (!box || !box.checked) continue;
          var minutes = parseFloat(items[i].getAttribute("data-minutes")) || 0;
          var key = items[i].getAttribute("data-resource");
          if (items[i].hasAttribute("data-optional")) entry.extra[key] = minutes;
          else entry.done[key] = minutes;
        }
      });
      refresh(data);
    }

    for (var i = 0; i < boxes.length; i++) boxes[i].addEventListener("change", record);
    showAll("label.done", article);
    refresh(load());
    return function () { refresh(load()); };
  }

  /* Cards (catalog, tags, pathways): a bar for packs already started,
   * and the self-check result once there is one. */
  function initCards(data) {
    var cards = document.querySelectorAll("[data-card]");
    var pathwayDone = 0;
    for (var i = 0; i < cards.length; i++) {
      var entry = data.packs[cards[i].getAttribute("data-slug")];
      var total = parseFloat(cards[i].getAttribute("data-minutes")) || 0;
      var box = cards[i].querySelector("[data-card-progress]");
      showCheck(cards[i], entry);
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

  /* A card's self-check line. Cards are rendered once for every page
   * that lists them, so the line is added here rather than in card.html. */
  function showCheck(card, entry) {
    var line = card.querySelector(".card-check");
    if (!entry || !entry.check) {
      if (line) line.remove();
      return;
    }
    if (!line) {
      line = document.createElement("p");
      line.className = "card-check";
      card.appendChild(line);
    }
    line.textContent = "Self-check: " + checkText(entry.check);
    line.classList.toggle("is-passed", entry.check.passed === true);
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
    /* Another tab ticked something: show it here too. */
    window.addEventListener("storage", function (event) {
      if (event.key !== storageKey) return;
      if (refreshPack) refreshPack();
      for (var i = 0; i < listeners.length; i++) listeners[i]();
      initCards(load());
    });
  }

  /* Other scripts (cycle.js, learning.js) ask to hear of changes made in
   * another tab. */
  var listeners = [];
  function onStorageChange(listener) {
    listeners.push(listener);
  }

  window.flippack = {
    root: root,
    storageKey: storageKey,
    siteId: html.getAttribute("data-site-id") || "",
    load: load,
    save: save,
    parse: parse,
    updatePack: updatePack,
    hasActivity: hasActivity,
    packMeta: packMeta,
    checkText: checkText,
    sum: sum,
    count: count,
    today: today,
    minutesText: minutesText,
    durationText: durationText,
    showAll: showAll,
    onStorageChange: onStorageChange
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* Workshop sessions that have ended are marked "(past)" when the page is
 * read, not when it was built: a site is built once and read for months.
 * A session with times carries data-starts and data-ends (instants in
 * UTC) and is past once it has ended; one without times carries only
 * data-date and is past once that day is over on the reader's clock.
 *
 * The pack's "Add to calendar" link is one link for the pack's whole
 * calendar, so it stays while any session is still to come, and goes
 * only once every session is past, when there is nothing left to add. */
(function () {
  "use strict";

  function localDay(d) {
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function isOver(session, now, today) {
    var end = Date.parse(session.getAttribute("data-ends") || session.getAttribute("data-starts") || "");
    if (!isNaN(end)) return end <= now.getTime();
    var day = session.getAttribute("data-date");
    return !!day && day < today;
  }

  function markPastSessions() {
    var sessions = document.querySelectorAll(".sessions .session");
    if (!sessions.length) return;
    var now = new Date();
    var today = localDay(now);
    var past = 0;
    for (var i = 0; i < sessions.length; i++) {
      var session = sessions[i];
      if (!isOver(session, now, today)) continue;
      past += 1;
      if (session.classList.contains("is-past")) continue;
      session.classList.add("is-past");
      var mark = document.createElement("span");
      mark.className = "session-past";
      mark.textContent = " (past)";
      session.appendChild(mark);
    }
    var calendar = document.querySelector(".phase-together .add-to-calendar");
    if (calendar && past === sessions.length) calendar.hidden = true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", markPastSessions);
  else markPastSessions();
})();
