/* flippack default theme: attendance codes, checked in this browser.
 *
 * A pack page whose sessions have codes holds, per session, a salt and a
 * verifier, never the code. A code typed here is hashed slowly (PBKDF2,
 * see docs/attendance.md) and compared with the verifier; a right code
 * also makes the verification token that binds the teacher's name, the
 * pack, the session and its hours. flippack computes the same values in
 * src/attendance/token.rs.
 *
 * Attendance is kept beside the progress of site.js, in the same
 * localStorage record (the <html> data-storage-key), as a top-level key
 * that site.js leaves alone:
 *   attendance: { <slug>: { site, date, token, name, hours, title, url,
 *     categories: [..], ceu, place, online, facilitator,
 *     sponsor: { name, number }, entered: "YYYY-MM-DD" } }
 * On My learning it lists the workshops attended and offers the record
 * as a file (format: docs/attendance.md). Nothing is ever sent anywhere.
 */
(function () {
  "use strict";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var storageKey = html.getAttribute("data-storage-key") || "flippack";

  /* ---- storage, as site.js keeps it ---- */

  function load() {
    try {
      var data = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (data && data.v === 1 && data.packs) {
        if (!data.attendance || typeof data.attendance !== "object") data.attendance = {};
        return data;
      }
    } catch (e) {
      /* Storage blocked or damaged: start afresh. */
    }
    return { v: 1, name: "", packs: {}, attendance: {} };
  }

  function save(data) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  /* ---- SHA-256, HMAC and PBKDF2 in plain JavaScript ----
   * For pages opened from disk or over plain http://, where browsers
   * offer no crypto.subtle. */

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

  /* One block: `w` holds its 16 words (and room for 64); `s` the state. */
  function compress(s, w) {
    var t, x, y;
    for (t = 16; t < 64; t++) {
      x = w[t - 15];
      y = w[t - 2];
      w[t] = (w[t - 16] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
        w[t - 7] + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
    }
    var a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
    for (t = 0; t < 64; t++) {
      var t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
        ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
      var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
        ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    s[0] = (s[0] + a) | 0; s[1] = (s[1] + b) | 0; s[2] = (s[2] + c) | 0; s[3] = (s[3] + d) | 0;
    s[4] = (s[4] + e) | 0; s[5] = (s[5] + f) | 0; s[6] = (s[6] + g) | 0; s[7] = (s[7] + h) | 0;
  }

  function wordsToBytes(words) {
    var out = new Uint8Array(words.length * 4);
    for (var i = 0; i < words.length; i++) {
      out[4 * i] = words[i] >>> 24;
      out[4 * i + 1] = (words[i] >>> 16) & 255;
      out[4 * i + 2] = (words[i] >>> 8) & 255;
      out[4 * i + 3] = words[i] & 255;
    }
    return out;
  }

  function readWords(bytes, offset, w, count) {
    for (var i = 0; i < count; i++) {
      var o = offset + 4 * i;
      w[i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
    }
  }

  /* SHA-256 of `bytes`, continuing from `state` after `before` bytes. */
  function sha256From(state, before, bytes) {
    var len = bytes.length;
    var total = ((len + 9 + 63) >> 6) << 6;
    var buf = new Uint8Array(total);
    buf.set(bytes);
    buf[len] = 0x80;
    var bits = (before + len) * 8;
    var high = Math.floor(bits / 4294967296);
    buf[total - 8] = high >>> 24; buf[total - 7] = (high >>> 16) & 255;
    buf[total - 6] = (high >>> 8) & 255; buf[total - 5] = high & 255;
    buf[total - 4] = bits >>> 24; buf[total - 3] = (bits >>> 16) & 255;
    buf[total - 2] = (bits >>> 8) & 255; buf[total - 1] = bits & 255;
    var s = new Int32Array(state);
    var w = new Int32Array(64);
    for (var off = 0; off < total; off += 64) {
      readWords(buf, off, w, 16);
      compress(s, w);
    }
    return wordsToBytes(s);
  }

  function sha256(bytes) {
    return sha256From(IV, 0, bytes);
  }

  function concat(a, b) {
    var out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  }

  /* The state after hashing the key's pad block, for HMAC. */
  function padState(key, byte) {
    var block = new Uint8Array(64);
    for (var i = 0; i < 64; i++) block[i] = (i < key.length ? key[i] : 0) ^ byte;
    var s = new Int32Array(IV);
    var w = new Int32Array(64);
    readWords(block, 0, w, 16);
    compress(s, w);
    return s;
  }

  function blockKey(key) {
    return key.length > 64 ? sha256(key) : key;
  }

  function hmac(key, message) {
    var k = blockKey(key);
    var inner = sha256From(padState(k, 0x36), 64, message);
    return sha256From(padState(k, 0x5c), 64, inner);
  }

  /* PBKDF2-HMAC-SHA256, one 32-byte block: each round is two blocks,
   * on the pads hashed once. */
  function pbkdf2Plain(password, salt, iterations) {
    var k = blockKey(password);
    var inner = padState(k, 0x36), outer = padState(k, 0x5c);
    var u = new Int32Array(8);
    readWords(hmac(password, concat(salt, new Uint8Array([0, 0, 0, 1]))), 0, u, 8);
    var result = new Int32Array(u);
    var s = new Int32Array(8);
    var w = new Int32Array(64);
    var i, j;
    for (i = 1; i < iterations; i++) {
      s.set(inner);
      for (j = 0; j < 8; j++) w[j] = u[j];
      w[8] = 0x80000000 | 0;
      for (j = 9; j < 15; j++) w[j] = 0;
      w[15] = 768;
      compress(s, w);
      for (j = 0; j < 8; j++) w[j] = s[j];
      w[8] = 0x80000000 | 0;
      for (j = 9; j < 15; j++) w[j] = 0;
      w[15] = 768;
      s.set(outer);
      compress(s, w);
      for (j = 0; j < 8; j++) {
        u[j] = s[j];
        result[j] ^= s[j];
      }
    }
    return wordsToBytes(result);
  }

  /* The browser's own PBKDF2 where it has one (https:// and localhost). */
  function pbkdf2(password, salt, iterations) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle || typeof Promise === "undefined") {
      return Promise.resolve(pbkdf2Plain(password, salt, iterations));
    }
    return subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]).then(function (key) {
      return subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: iterations }, key, 256);
    }).then(function (bits) {
      return new Uint8Array(bits);
    }, function () {
      return pbkdf2Plain(password, salt, iterations);
    });
  }

  function utf8(text) {
    return new TextEncoder().encode(text);
  }

  function hex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  function fromHex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(2 * i, 2), 16);
    return out;
  }

  /* ---- the scheme (as src/attendance/token.rs) ---- */

  /* "abc 12-34" → "ABC1234"; null when it is not letters and digits. */
  function normalise(code) {
    var kept = String(code).replace(/[\s-]+/g, "").replace(/[a-z]/g, function (c) { return c.toUpperCase(); });
    return /^[A-Z0-9]+$/.test(kept) ? kept : null;
  }

  function sessionText(site, pack, date) {
    return "site: " + site + "\npack: " + pack + "\ndate: " + date + "\n";
  }

  /* The session's key from a normalised code, as a promise of bytes. */
  function sessionKey(code, site, pack, date, saltHex, iterations) {
    var salt = concat(fromHex(saltHex), utf8(sessionText(site, pack, date)));
    return pbkdf2(utf8(code), salt, iterations);
  }

  function verifier(key) {
    return hex(sha256(concat(utf8("flippack-verifier"), key)));
  }

  function token(key, site, pack, date, name, hours) {
    var text = "flippack-attendance-v1\n" + sessionText(site, pack, date) +
      "name: " + String(name).trim() + "\nhours: " + hours + "\n";
    return hex(hmac(key, utf8(text)));
  }

  /* ---- the pack page ---- */

  function initPack(section) {
    var form = section.querySelector("[data-attendance-form]");
    var select = section.querySelector("[data-attendance-session]");
    var nameBox = section.querySelector("[data-attendance-name]");
    var codeBox = section.querySelector("[data-attendance-code]");
    var status = section.querySelector("[data-attendance-status]");
    var done = section.querySelector("[data-attendance-done]");
    var slug = section.getAttribute("data-pack");
    var site = section.getAttribute("data-site-id");
    var hours = section.getAttribute("data-hours");
    var iterations = parseInt(section.getAttribute("data-iterations"), 10);
    var categories = [];
    try {
      categories = JSON.parse(section.getAttribute("data-categories") || "[]");
    } catch (e) {
      categories = [];
    }
    var busy = false;

    function say(text, state) {
      status.textContent = text;
      status.className = "attendance-status" + (state ? " is-" + state : "");
    }

    function labelOf(date) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === date) return select.options[i].textContent;
      }
      return date;
    }

    function refresh() {
      var data = load();
      if (document.activeElement !== nameBox && !nameBox.value) nameBox.value = data.name || "";
      var entry = data.attendance[slug];
      done.hidden = !entry;
      if (entry) {
        done.textContent = "You were at the session of " + labelOf(entry.date) +
          ": it is on your record, under the name " + entry.name + ".";
      }
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) return;
      var name = nameBox.value.trim();
      var code = normalise(codeBox.value);
      codeBox.removeAttribute("aria-invalid");
      if (!name) {
        say("Enter your name first: it goes on your record with the code.", "wrong");
        nameBox.focus();
        return;
      }
      if (!code) {
        codeBox.setAttribute("aria-invalid", "true");
        say("That is not an attendance code: a code is letters and digits, as your facilitator wrote it.", "wrong");
        codeBox.focus();
        return;
      }
      var option = select.options[select.selectedIndex];
      var date = option.value;
      busy = true;
      say("Checking the code…", "busy");
      sessionKey(code, site, slug, date, option.getAttribute("data-salt"), iterations).then(function (key) {
        busy = false;
        if (verifier(key) !== option.getAttribute("data-verifier")) {
          codeBox.setAttribute("aria-invalid", "true");
          say("That code is not the code of this session. Check it with your facilitator, and that the session chosen above is the one you were at.", "wrong");
          codeBox.focus();
          return;
        }
        var data = load();
        data.name = name;
        data.attendance[slug] = {
          site: site,
          date: date,
          token: token(key, site, slug, date, name, hours),
          name: name,
          hours: hours,
          title: section.getAttribute("data-title"),
          url: section.getAttribute("data-url"),
          categories: categories,
          ceu: section.getAttribute("data-ceu") || null,
          place: option.getAttribute("data-place") || null,
          online: option.hasAttribute("data-online"),
          facilitator: option.getAttribute("data-facilitator") || null,
          sponsor: section.hasAttribute("data-sponsor-name") ? {
            name: section.getAttribute("data-sponsor-name"),
            number: section.getAttribute("data-sponsor-number") || null
          } : null,
          entered: today()
        };
        if (!save(data)) {
          say("The code is right, but this browser does not let the page keep it (private browsing?). Try another browser.", "wrong");
          return;
        }
        codeBox.value = "";
        say("Code accepted: the workshop of " + labelOf(date) + " is on your record in My learning.", "right");
        refresh();
      });
    });

    section.hidden = false;
    refresh();
    return refresh;
  }

  /* ---- My learning ---- */

  function addHours(a, b) {
    return Math.round((a + (parseFloat(b) || 0)) * 100) / 100;
  }

  function modality(entry) {
    if (entry.online && entry.place) return "in person and online";
    return entry.online ? "online" : "in person";
  }

  /* The record a teacher hands in (docs/attendance.md), as an object: the
   * downloaded file and the printed certificate are both made from it. */
  function record() {
    var data = load();
    var slugs = {};
    var k;
    for (k in data.packs) if (Object.prototype.hasOwnProperty.call(data.packs, k)) slugs[k] = true;
    for (k in data.attendance) if (Object.prototype.hasOwnProperty.call(data.attendance, k)) slugs[k] = true;
    var site = storageKey, sponsor = null, total = 0, categoryHours = {};
    var packs = Object.keys(slugs).sort().map(function (slug) {
      var p = data.packs[slug] || {};
      var a = data.attendance[slug] || null;
      var done = 0;
      for (var r in p.done || {}) if (Object.prototype.hasOwnProperty.call(p.done, r)) done += p.done[r];
      var hours = a ? a.hours : (p.credit || "");
      var pack = {
        slug: slug,
        title: (a && a.title) || p.title || slug,
        hours: hours,
        self_study_minutes: p.minutes || 0,
        self_study_done_minutes: Math.round(Math.min(done, p.minutes || done)),
        session: a ? a.date : null,
        place: a ? a.place : null,
        modality: a ? modality(a) : null,
        facilitator: a ? a.facilitator : null,
        categories: {},
        ceu: a ? a.ceu : null,
        token: a ? a.token : null
      };
      if (a) {
        site = a.site || site;
        sponsor = sponsor || a.sponsor || null;
        total = addHours(total, hours);
        (a.categories || []).forEach(function (c) {
          pack.categories[c] = hours;
          categoryHours[c] = addHours(categoryHours[c] || 0, hours);
        });
      }
      return pack;
    });
    var made = {
      format: "flippack-record",
      version: 1,
      site: { id: site, title: document.title.split(" · ").pop() },
      name: (data.name || "").trim(),
      made: today(),
      sponsor: sponsor,
      attended_hours: String(total),
      category_hours: Object.keys(categoryHours).reduce(function (o, c) {
        o[c] = String(categoryHours[c]);
        return o;
      }, {}),
      packs: packs
    };
    return made;
  }

  function recordText() {
    return JSON.stringify(record(), null, 2) + "\n";
  }

  /* ---- the printed certificate (my-learning.html) ---- */

  function hoursText(hours) {
    return hours + " h";
  }

  function categoriesText(categories) {
    return Object.keys(categories || {}).map(function (c) {
      return c + ": " + hoursText(categories[c]);
    }).join("; ");
  }

  /* CEUs as tenths, so that adding the packs' figures does not drift;
   * each pack's CEUs are those its page showed, rounded by the site's
   * rule, and the total is their sum. */
  function tenths(ceu) {
    return Math.round((parseFloat(ceu) || 0) * 10);
  }

  function whereText(pack) {
    var where = pack.place || "";
    if (pack.modality === "online") where = "online";
    else if (pack.modality === "in person and online") where += " (and online)";
    return pack.session + (where ? ", " + where : "");
  }

  /* Fills the certificate with the workshops attended: one row a pack
   * with a token, and the totals. Hidden when there are none. */
  function renderCertificate(certificate) {
    var r = record();
    var entries = load().attendance;
    var attended = r.packs.filter(function (p) { return p.token; });
    certificate.hidden = attended.length === 0;
    var nameSlot = certificate.querySelector("[data-certificate-name]");
    if (nameSlot) nameSlot.textContent = r.name || "(name not entered)";
    var rows = certificate.querySelector("[data-certificate-rows]");
    var withCategories = !!certificate.querySelector('[data-certificate-total="categories"]');
    var withCeu = !!certificate.querySelector('[data-certificate-total="ceu"]');
    rows.textContent = "";
    var ceuTenths = 0;
    attended.forEach(function (p) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = p.title;
      tr.appendChild(th);
      var cells = [whereText(p), p.facilitator || "", hoursText(p.hours)];
      if (withCategories) cells.push(categoriesText(p.categories));
      if (withCeu) cells.push(p.ceu || "");
      /* A token is bound to the name the code was entered under. */
      var under = ((entries[p.slug] || {}).name || "").trim();
      cells.push(p.token + (under && under !== r.name ? " (entered under the name " + under + ")" : ""));
      cells.forEach(function (text, i) {
        var td = document.createElement("td");
        td.textContent = text;
        if (i === cells.length - 1) td.className = "token";
        tr.appendChild(td);
      });
      rows.appendChild(tr);
      ceuTenths += tenths(p.ceu);
    });
    var put = function (key, text) {
      var slot = certificate.querySelector('[data-certificate-total="' + key + '"]');
      if (slot) slot.textContent = text;
    };
    put("hours", hoursText(r.attended_hours));
    put("categories", categoriesText(r.category_hours));
    put("ceu", String(ceuTenths / 10));
  }

  function fileName(name) {
    var slug = String(name || "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    return "learning-record" + (slug ? "-" + slug : "") + ".json";
  }

  function initLearning(app) {
    var section = document.createElement("section");
    section.className = "attended";
    section.setAttribute("aria-labelledby", "attended-heading");
    section.innerHTML =
      '<h2 id="attended-heading">Workshops attended</h2>' +
      '<table class="record"><caption class="visually-hidden">Workshops you entered an attendance code for</caption>' +
      '<thead><tr><th scope="col">Pack</th><th scope="col">Session</th><th scope="col">Hours</th><th scope="col">Verification token</th></tr></thead>' +
      "<tbody data-attended-rows></tbody></table>" +
      '<p class="meta" data-attended-note hidden></p>';
    var rows = section.querySelector("[data-attended-rows]");
    var note = section.querySelector("[data-attended-note]");
    var actions = app.querySelector(".panel-actions");
    app.insertBefore(section, actions);
    var download = document.createElement("button");
    download.type = "button";
    download.className = "button";
    download.setAttribute("data-download-record", "");
    download.textContent = "Download my record";
    if (actions) actions.insertBefore(download, actions.firstChild);
    else app.appendChild(download);

    download.addEventListener("click", function () {
      var text = recordText();
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
      link.download = fileName(load().name);
      document.body.appendChild(link);
      link.click();
      window.setTimeout(function () {
        URL.revokeObjectURL(link.href);
        link.remove();
      }, 1000);
    });

    function render() {
      var data = load();
      var slugs = Object.keys(data.attendance).sort();
      section.hidden = slugs.length === 0;
      rows.textContent = "";
      var renamed = [];
      slugs.forEach(function (slug) {
        var a = data.attendance[slug];
        var row = document.createElement("tr");
        var th = document.createElement("th");
        th.scope = "row";
        var link = document.createElement("a");
        link.href = root + (a.url || "");
        link.textContent = a.title || slug;
        th.appendChild(link);
        row.appendChild(th);
        [a.date + (a.place ? ", " + a.place : "") + (a.facilitator ? ", with " + a.facilitator : ""),
          a.hours + " h", a.token].forEach(function (text, i) {
          var td = document.createElement("td");
          td.textContent = text;
          if (i === 2) td.className = "token";
          row.appendChild(td);
        });
        rows.appendChild(row);
        if ((a.name || "").trim() !== (data.name || "").trim()) renamed.push(a.title || slug);
      });
      if (certificate) renderCertificate(certificate);
      note.hidden = renamed.length === 0;
      note.textContent = renamed.length ? "You entered the code of " + renamed.join(", ") +
        " under another name. A record is checked against the name it shows: enter those codes again on their pack pages under this name." : "";
    }

    var certificate = document.querySelector("[data-certificate]");
    var nameBox = document.querySelector("[data-learner-name]");
    if (nameBox) nameBox.addEventListener("input", function () { window.setTimeout(render, 0); });
    render();
    return render;
  }

  function init() {
    var section = document.querySelector("[data-attendance]");
    var refreshPack = section ? initPack(section) : null;
    var app = document.querySelector("[data-learning-app]");
    var refreshLearning = app ? initLearning(app) : null;
    window.addEventListener("storage", function (event) {
      if (event.key !== storageKey) return;
      if (refreshPack) refreshPack();
      if (refreshLearning) refreshLearning();
    });
  }

  /* For tests and for themes that show the record their own way. */
  window.flippackAttendance = {
    normalise: normalise,
    sessionKey: sessionKey,
    pbkdf2Plain: pbkdf2Plain,
    verifier: verifier,
    token: token,
    hex: hex,
    recordText: recordText
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
