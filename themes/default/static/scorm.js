/* flippack default theme: reporting to an LMS, in SCORM 1.2 packages only.
 *
 * `flippack export --format scorm12` loads this script on each pack's
 * page before the theme's other scripts (with the pack's slug in its
 * data-scorm-pack attribute, not data-pack, which the theme's scripts
 * look for on the pack's article); the published site never does. Inside an LMS it
 *
 * - finds the LMS's API the standard way: window.API on this window or
 *   one of its parents (up to 7 levels), then on the window that opened
 *   it and its parents;
 * - calls LMSInitialize, and puts the teacher's place back from
 *   cmi.suspend_data into this browser's storage before site.js and
 *   cycle.js read it, so the ticks, answers and plan are as they were;
 * - after every change the page saves (a tick, an answer, the self-check)
 *   reports cmi.core.lesson_status (incomplete, completed once every
 *   required resource is ticked, passed or failed once the self-check is
 *   checked against a pass mark), cmi.core.score.raw/min/max (the
 *   self-check's percent), and cmi.suspend_data;
 * - on leaving (pagehide) reports cmi.core.session_time and calls
 *   LMSCommit and LMSFinish.
 *
 * The interface with the rest of the theme is the progress record site.js
 * keeps (documented in site.js and docs/my-learning.md) and the events
 * the page's own controls fire: this script reads the record after each
 * change, event, input or submit has been handled, and never writes it
 * but to put back what the LMS kept. Outside an LMS it does nothing, and
 * the page keeps its progress in the browser as on the site.
 *
 * cmi.suspend_data holds at most 4,096 characters. When the pack's record
 * is longer, this is left out, in order, until it fits: what the page
 * writes again on its next save (title, address, credit, counts and
 * evidence texts), then the choices picked in the self-check (its score
 * and result stay), then written answers and plan texts, longest first,
 * then the ticks of optional resources. The ticks of the other resources
 * and the self-check's result are always kept; a pack with so many
 * resources that even they do not fit keeps them in the browser only.
 */
(function () {
  "use strict";

  var LIMIT = 4096;
  var html = document.documentElement;
  var script = document.currentScript;
  var slug = script ? script.getAttribute("data-scorm-pack") : null;
  var storageKey = html.getAttribute("data-storage-key") || "flippack";
  var has = Object.prototype.hasOwnProperty;

  /* window.API on `win` or one of its parents, at most 7 levels up. */
  function scan(win) {
    try {
      var tries = 0;
      while (!win.API && win.parent && win.parent !== win && tries < 7) {
        tries += 1;
        win = win.parent;
      }
      return win.API || null;
    } catch (e) {
      /* A parent of another origin: no API there. */
      return null;
    }
  }

  function findApi() {
    var api = scan(window);
    if (!api && window.opener) api = scan(window.opener);
    return api;
  }

  var api = slug ? findApi() : null;
  if (!api || String(api.LMSInitialize("")) !== "true") return;

  var started = Date.now();
  var finished = false;
  var reported = { status: null, score: null, suspend: null };

  function get(name) {
    var value = api.LMSGetValue(name);
    return value === null || value === undefined ? "" : String(value);
  }

  function set(name, value) {
    api.LMSSetValue(name, String(value));
  }

  function readAll() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (data && data.v === 1 && data.packs) return data;
    } catch (e) {
      /* Blocked or damaged: start afresh. */
    }
    return { v: 1, name: "", packs: {} };
  }

  /* The LMS's record of this pack wins over the browser's: the teacher
   * may have worked on another computer since. */
  function restore(text) {
    var saved;
    try {
      saved = JSON.parse(text || "null");
    } catch (e) {
      return;
    }
    if (!saved || saved.v !== 1 || !saved.e) return;
    var data = readAll();
    data.packs[slug] = saved.e;
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
    } catch (e) {
      /* Storage blocked: the page starts without the ticks. */
    }
  }

  var status = get("cmi.core.lesson_status");
  if (status === "" || status === "not attempted") set("cmi.core.lesson_status", "incomplete");
  restore(get("cmi.suspend_data"));

  function entry() {
    return readAll().packs[slug] || null;
  }

  function selfStudyDone(e) {
    var items = document.querySelectorAll("[data-pack] [data-resource]");
    var required = 0;
    for (var i = 0; i < items.length; i++) {
      if (items[i].hasAttribute("data-optional")) continue;
      required += 1;
      if (!e || !e.done || !has.call(e.done, items[i].getAttribute("data-resource"))) return false;
    }
    return required > 0 || !!e;
  }

  function statusOf(e) {
    var check = e && e.check;
    if (check && check.passed === true) return "passed";
    if (check && check.passed === false) return "failed";
    return selfStudyDone(e) ? "completed" : "incomplete";
  }

  /* The pack's record as suspend data, within LIMIT (see above). */
  function suspendText(e) {
    if (!e) return null;
    var copy = JSON.parse(JSON.stringify(e));
    function text() {
      return JSON.stringify({ v: 1, e: copy });
    }
    var steps = [
      function () {
        var rewritten = ["title", "url", "credit", "minutes", "counts", "evidence"];
        for (var i = 0; i < rewritten.length; i++) delete copy[rewritten[i]];
      },
      function () {
        /* Emptied rather than deleted: cycle.js reads it. */
        if (copy.check) copy.check.answers = {};
      }
    ];
    for (var s = 0; s < steps.length && text().length > LIMIT; s++) steps[s]();
    var fields = copy.fields || {};
    var names = Object.keys(fields).sort(function (a, b) {
      return String(fields[b]).length - String(fields[a]).length;
    });
    for (var n = 0; n < names.length && text().length > LIMIT; n++) delete fields[names[n]];
    if (text().length > LIMIT) delete copy.extra;
    var result = text();
    return result.length <= LIMIT ? result : null;
  }

  function sync() {
    var e = entry();
    var next = statusOf(e);
    if (next !== reported.status) {
      set("cmi.core.lesson_status", next);
      reported.status = next;
    }
    var check = e && e.check;
    if (check && check.scored > 0) {
      var score = String(check.percent);
      if (score !== reported.score) {
        set("cmi.core.score.min", "0");
        set("cmi.core.score.max", "100");
        set("cmi.core.score.raw", score);
        reported.score = score;
      }
    }
    var suspend = suspendText(e);
    if (suspend !== null && suspend !== reported.suspend) {
      set("cmi.suspend_data", suspend);
      reported.suspend = suspend;
    }
  }

  var timer = null;
  function changed() {
    if (finished) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      sync();
      api.LMSCommit("");
    }, 200);
  }

  /* HHHH:MM:SS.SS, as SCORM 1.2 writes a time span. */
  function timespan(ms) {
    var cs = Math.floor(ms / 10);
    var pad = function (n, width) {
      var s = String(n);
      while (s.length < width) s = "0" + s;
      return s;
    };
    var hours = Math.min(Math.floor(cs / 360000), 9999);
    return pad(hours, 4) + ":" + pad(Math.floor(cs / 6000) % 60, 2) + ":" +
      pad(Math.floor(cs / 100) % 60, 2) + "." + pad(cs % 100, 2);
  }

  function finish() {
    if (finished) return;
    finished = true;
    window.clearTimeout(timer);
    sync();
    set("cmi.core.session_time", timespan(Date.now() - started));
    set("cmi.core.exit", reported.status === "incomplete" || reported.status === "failed" ? "suspend" : "");
    api.LMSCommit("");
    api.LMSFinish("");
  }

  /* A link followed inside the LMS's frame would end this page, and with
   * it the session: links open beside it instead. */
  function linksBeside() {
    var links = document.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (href.charAt(0) === "#" || links[i].hasAttribute("download")) continue;
      links[i].setAttribute("target", "_blank");
      links[i].setAttribute("rel", "noopener");
    }
  }

  ["change", "input", "submit", "click"].forEach(function (type) {
    document.addEventListener(type, changed);
  });
  window.addEventListener("pagehide", finish);
  if (!("onpagehide" in window)) window.addEventListener("unload", finish);
  function ready() {
    linksBeside();
    sync();
    api.LMSCommit("");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
