/* flippack default theme: search as you type.
 *
 * The index (search-index.js, written by flippack's src/render/search/)
 * is loaded the first time the search box gets focus, as a script so that
 * it also works from file://. It lists documents (packs and pathways) by
 * slug, their catalog order (for ties), the sorted vocabulary and, per
 * term, the documents where it occurs in three
 * lists (title and tags, summary-like fields, anywhere else), each as gaps
 * between document numbers or, after "~", as a bitmap. It also gives the
 * addresses of pages and fragments, as patterns with {slug} and {page} in
 * them, so this script builds no address of its own. Queries match
 * terms by prefix, so results appear while a word is still being typed.
 * For the results on screen, a small fragment with the document's text is
 * loaded to show the sentence that matched and to link to the page of the
 * pack where it occurs.
 *
 * On a large site the vocabulary and the table of documents come in
 * chunks, scripts too: search-index.js then names the first term of each
 * chunk of terms, and a query loads only the chunks its words' terms are
 * in and the chunks of documents of the results on screen. The terms of
 * the chunks loaded so far, in order, stand for the whole vocabulary: a
 * word's terms are all there before its results are counted, so results
 * and their order are those of the whole index.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 10;
  /* A short prefix can match thousands of terms; the first ones are enough. */
  var MAX_EXPANSIONS = 200;
  var WEIGHTS = [10, 4, 1]; /* title, about, body */
  var NO_STOP = new Set();
  var FINAL = "0123456789abcdefghijklmnopqrstuv";
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";

  var html = document.documentElement;
  var root = html.getAttribute("data-root") || "";
  var index = null;
  var indexState = "none"; /* none | loading | ready | failed */
  var fragments = {};
  var fragmentState = {};
  var onUpdate = null;

  /* Exactly the tokenizer of src/render/search/. */
  function tokens(text, stop) {
    var found = String(text).toLowerCase().replace(/['\u2019\u02bc]/g, "")
      .match(/[\p{Alphabetic}\p{N}]+/gu) || [];
    return found.filter(function (t) { return Array.from(t).length > 1 && !stop.has(t); });
  }

  var BITMAP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function decodeList(text) {
    var out = [];
    if (text.charAt(0) === "~") {
      for (var j = 1; j < text.length; j++) {
        var bits = BITMAP.indexOf(text.charAt(j));
        for (var bit = 0; bit < 6; bit++) if (bits & (1 << bit)) out.push((j - 1) * 6 + bit);
      }
      return out;
    }
    var value = 0, previous = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      var more = MORE.indexOf(c);
      if (more >= 0) {
        value = value * 32 + more;
        continue;
      }
      var n = value * 32 + FINAL.indexOf(c);
      previous = out.length ? previous + n : n;
      out.push(previous);
      value = 0;
    }
    return out;
  }

  /* Plain base-32 numbers, one after the other (no gaps). */
  function decodeNumbers(text) {
    var out = [], value = 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      var more = MORE.indexOf(c);
      if (more >= 0) {
        value = value * 32 + more;
      } else {
        out.push(value * 32 + FINAL.indexOf(c));
        value = 0;
      }
    }
    return out;
  }

  /* Front-coded terms: each one's shared length with the one before as a
   * base-36 digit, then the rest. */
  function decodeTerms(text) {
    var terms = [];
    var previous = "";
    var coded = text ? text.split(",") : [];
    for (var i = 0; i < coded.length; i++) {
      var shared = parseInt(coded[i].charAt(0), 36);
      previous = previous.slice(0, shared) + coded[i].slice(1);
      terms.push(previous);
    }
    return terms;
  }

  function readIndex(data) {
    /* rank[doc]: the document's place in the catalog; by number if absent. */
    var rank = [];
    decodeNumbers(data.order || "").forEach(function (doc, place) { rank[doc] = place; });
    var read = {
      stop: new Set(data.stop || []),
      docs: data.docs || [],
      rank: rank,
      terms: [],
      post: [],
      paths: data.paths || {},
      decoded: {},
      chunks: data.chunks || [""],
      per: data.per || 1,
      parts: {},
      docParts: {}
    };
    if (data.terms !== undefined) read.parts[0] = termPart(data);
    if (data.docs) read.docParts = null;
    mergeTerms(read);
    return read;
  }

  function termPart(data) {
    return { terms: decodeTerms(data.terms), post: data.post ? data.post.split(",") : [] };
  }

  /* The terms and lists of the chunks loaded so far, in order. */
  function mergeTerms(into) {
    var terms = [], post = [];
    for (var n = 0; n < into.chunks.length; n++) {
      var part = into.parts[n];
      if (part && part !== "loading") {
        terms = terms.concat(part.terms);
        post = post.concat(part.post);
      }
    }
    into.terms = terms;
    into.post = post;
    into.decoded = {};
  }

  /* The chunk of terms a query word's terms start in, or the next one
   * they may continue into, that is not loaded yet; -1 when every term
   * the word matches (up to MAX_EXPANSIONS) is loaded. */
  function missingTerms(word) {
    var firsts = index.chunks;
    var lo = 0, hi = firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= word) lo = mid + 1; else hi = mid;
    }
    var seen = 0;
    for (var n = Math.max(0, lo - 1); n < firsts.length; n++) {
      if (n >= lo && firsts[n].slice(0, word.length) !== word) break;
      var part = index.parts[n];
      if (!part || part === "loading") return n;
      for (var i = 0; i < part.terms.length; i++) {
        if (part.terms[i].slice(0, word.length) === word) seen++;
      }
      if (seen >= MAX_EXPANSIONS) break;
    }
    return -1;
  }

  /* Loads what the query words need; true when it is all there. */
  function termsReady(words) {
    var ready = true;
    words.forEach(function (word) {
      var n = missingTerms(word);
      if (n < 0) return;
      ready = false;
      loadChunk(0, n);
    });
    return ready;
  }

  /* Loads the documents of these results; true when they are all there. */
  function docsReady(found) {
    if (!index.docParts) return true;
    var ready = true;
    found.forEach(function (doc) {
      if (index.docs[doc]) return;
      ready = false;
      loadChunk(1, Math.floor(doc / index.per));
    });
    return ready;
  }

  /* Chunk `n` of terms (kind 0) or of documents (kind 1), once. */
  function loadChunk(kind, n) {
    var parts = kind === 0 ? index.parts : index.docParts;
    if (parts[n]) return;
    parts[n] = "loading";
    loadScript(root + String(index.paths.chunks[kind]).split("{n}").join(String(n)), function () {
      indexState = "failed";
      if (onUpdate) onUpdate();
    });
  }

  function postings(i) {
    if (!index.decoded[i]) index.decoded[i] = index.post[i].split(".").map(decodeList);
    return index.decoded[i];
  }

  /* The first term >= word. */
  function lowerBound(word) {
    var lo = 0, hi = index.terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (index.terms[mid] < word) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /* Documents matching any word, best first: those that match more of the
   * words come first, then those whose title holds the query as a phrase
   * (`phrase`: every word typed, stop words too), then by score. A query of
   * several words thus puts the pack about all of them above packs that
   * mention one. */
  function find(words, phrase) {
    var total = {};
    var matched = {};
    var titled = {};
    words.forEach(function (word) {
      var scores = {};
      var inTitle = {};
      var start = lowerBound(word);
      for (var i = start; i < index.terms.length && i < start + MAX_EXPANSIONS; i++) {
        var term = index.terms[i];
        if (term.slice(0, word.length) !== word) break;
        var exact = term === word ? 1.5 : 1;
        var lists = postings(i);
        for (var tier = 0; tier < lists.length; tier++) {
          var score = WEIGHTS[tier] * exact;
          lists[tier].forEach(function (doc) {
            if (!(scores[doc] >= score)) scores[doc] = score;
            if (tier === 0) inTitle[doc] = true;
          });
        }
      }
      for (var doc in scores) {
        total[doc] = (total[doc] || 0) + scores[doc];
        matched[doc] = (matched[doc] || 0) + 1;
        if (inTitle[doc]) titled[doc] = (titled[doc] || 0) + 1;
      }
    });
    var inTitle = {};
    if (phrase.length > 1) {
      for (var d in total) if (matched[d] === words.length) inTitle[d] = titleHas(d, phrase, titled[d] === words.length) ? 1 : 0;
    }
    return Object.keys(total).map(Number).sort(function (a, b) {
      return matched[b] - matched[a] || (inTitle[b] || 0) - (inTitle[a] || 0) ||
        total[b] - total[a] || rankOf(a) - rankOf(b);
    });
  }

  /* Whether document `d`'s title holds the phrase. With the whole index
   * loaded (a small site), the title itself is read. An index in chunks
   * (a large site) has only the documents on screen, so there it counts as
   * holding the phrase when every word is in the title (`allInTitle`, from
   * the postings): the ranking must not depend on which chunks happen to be
   * loaded. */
  function titleHas(d, phrase, allInTitle) {
    if (index.docParts) return allInTitle;
    return hasPhrase(index.docs[d][2], phrase);
  }

  /* Whether `title` holds `words` one after the other, stop words
   * included; the last one may still be being typed, so it matches by
   * prefix. */
  function hasPhrase(title, words) {
    var found = tokens(title || "", NO_STOP);
    var last = words.length - 1;
    for (var at = 0; at + last < found.length; at++) {
      var all = true;
      for (var w = 0; w < words.length && all; w++) {
        var t = found[at + w];
        all = w === last ? t.slice(0, words[w].length) === words[w] : t === words[w];
      }
      if (all) return true;
    }
    return false;
  }

  function rankOf(doc) {
    var place = index.rank[doc];
    return place === undefined ? doc : place;
  }

  /* An address of the index's paths, for a document and a page's name. */
  function fill(pattern, doc, page) {
    return String(pattern).split("{slug}").join(doc[1]).split("{page}").join(page || "");
  }

  function fragmentPath(doc) {
    return fill(index.paths.fragment[doc[0]], doc);
  }

  /* The page a result links to: the document's own, or one of its pages. */
  function resultPath(doc, page) {
    return page ? fill(index.paths.page, doc, page) : fill(index.paths.doc[doc[0]], doc);
  }

  function loadScript(src, onError) {
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.onerror = onError;
    document.head.appendChild(script);
  }

  function loadIndex() {
    if (indexState !== "none") return;
    indexState = "loading";
    loadScript(root + "search-index.js", function () {
      indexState = "failed";
      if (onUpdate) onUpdate();
    });
  }

  function loadFragment(path) {
    if (fragmentState[path]) return;
    fragmentState[path] = "loading";
    loadScript(root + path, function () { fragmentState[path] = "failed"; });
  }

  window.flippackSearch = {
    index: function (data) {
      if (!data || data.v !== 2) {
        indexState = "failed";
      } else {
        index = readIndex(data);
        indexState = "ready";
      }
      if (onUpdate) onUpdate();
    },
    terms: function (data) {
      if (!index || !data) return;
      index.parts[data.n] = termPart(data);
      mergeTerms(index);
      if (onUpdate) onUpdate();
    },
    docs: function (data) {
      if (!index || !data || !index.docParts) return;
      index.docParts[data.n] = true;
      (data.docs || []).forEach(function (doc, i) { index.docs[data.n * index.per + i] = doc; });
      if (onUpdate) onUpdate();
    },
    fragment: function (data) {
      /* [its own address, [[name, title, [sentences]], ...]] */
      var path = String(data[0]);
      fragments[path] = data[1];
      fragmentState[path] = "ready";
      if (onUpdate) onUpdate();
    }
  };

  /* The sentence of a fragment that matches most words, preferring the
   * pack's own page. */
  function bestSentence(sections, words) {
    var best = null;
    sections.forEach(function (section, s) {
      section[2].forEach(function (sentence) {
        var found = tokens(sentence, index.stop);
        var hits = words.filter(function (w) {
          return found.some(function (t) { return t.slice(0, w.length) === w; });
        }).length;
        if (hits && (!best || hits > best.hits)) best = { hits: hits, section: s, text: sentence };
      });
    });
    return best;
  }

  /* Appends `text` to `node`, cut to about 180 characters around the first
   * match, with matching words in <mark>. */
  function highlight(node, text, words) {
    var re = /[\p{Alphabetic}\p{N}'\u2019\u02bc]+/gu;
    var marks = [];
    var m;
    while ((m = re.exec(text))) {
      var word = m[0].toLowerCase().replace(/['\u2019\u02bc]/g, "");
      if (words.some(function (w) { return word.slice(0, w.length) === w; })) {
        marks.push([m.index, m.index + m[0].length]);
      }
    }
    var from = 0, to = text.length;
    if (text.length > 180) {
      var first = marks.length ? marks[0][0] : 0;
      from = Math.max(0, first - 60);
      if (from > 0) from = text.indexOf(" ", from) + 1 || from;
      to = Math.min(text.length, from + 180);
      if (to < text.length) to = text.lastIndexOf(" ", to) > from ? text.lastIndexOf(" ", to) : to;
    }
    if (from > 0) node.appendChild(document.createTextNode("… "));
    var at = from;
    marks.forEach(function (r) {
      if (r[0] < from || r[1] > to) return;
      node.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      node.appendChild(mark);
      at = r[1];
    });
    node.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) node.appendChild(document.createTextNode(" …"));
  }

  function init() {
    var box = document.querySelector("[data-search]");
    if (!box) return;
    var input = box.querySelector("input");
    var panel = box.querySelector(".search-panel");
    var list = box.querySelector(".search-results");
    var count = box.querySelector(".search-count");
    var status = document.getElementById("search-status");
    box.hidden = false;

    function links() {
      return Array.prototype.slice.call(list.querySelectorAll("a"));
    }

    function say(text) {
      if (count) count.textContent = text;
      if (status && status.textContent !== text) status.textContent = text;
    }

    function close() {
      panel.hidden = true;
    }

    function open() {
      panel.hidden = false;
    }

    function render() {
      var query = input.value.trim();
      list.textContent = "";
      if (!query) {
        say("");
        close();
        return;
      }
      open();
      if (indexState === "failed") return say("Search is not available on this copy of the site.");
      if (indexState !== "ready") return say("Loading search…");
      var words = tokens(query, index.stop);
      if (!words.length) return say("Type a longer word to search.");
      if (!termsReady(words)) return say("Loading search…");
      var found = find(words, tokens(query, NO_STOP));
      if (!found.length) return say("No packs or pages match “" + query + "”.");
      if (!docsReady(found.slice(0, MAX_RESULTS))) return say("Loading search…");
      say(found.length > MAX_RESULTS
        ? found.length + " results, showing the best " + MAX_RESULTS + "."
        : found.length + (found.length === 1 ? " result." : " results."));
      found.slice(0, MAX_RESULTS).forEach(function (n) {
        var doc = index.docs[n];
        var path = fragmentPath(doc);
        var fragment = fragments[path];
        var best = fragment ? bestSentence(fragment, words) : null;
        var section = best ? fragment[best.section] : null;
        var onPage = section && section[0];

        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = root + resultPath(doc, onPage);
        var title = document.createElement("span");
        title.className = "result-title";
        title.textContent = onPage ? section[1] : doc[2];
        var kind = document.createElement("span");
        kind.className = "result-kind";
        kind.textContent = onPage
          ? "Page of the pack " + doc[2]
          : doc[0] === 1 ? "Pathway" : "Pack · " + doc[3] + " credit hour" + (doc[3] === "1" ? "" : "s");
        link.appendChild(title);
        link.appendChild(kind);
        item.appendChild(link);
        if (best) {
          var snippet = document.createElement("p");
          snippet.className = "result-snippet";
          highlight(snippet, best.text, words);
          item.appendChild(snippet);
        } else if (!fragment) {
          loadFragment(path);
        }
        list.appendChild(item);
      });
    }

    onUpdate = function () {
      var focused = links().indexOf(document.activeElement);
      render();
      /* Keep keyboard focus on the same result when snippets arrive. */
      if (focused >= 0 && links()[focused]) links()[focused].focus();
    };

    input.addEventListener("focus", function () {
      loadIndex();
      if (input.value.trim()) render();
    });
    input.addEventListener("input", function () {
      loadIndex();
      render();
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && links().length) {
        e.preventDefault();
        links()[0].focus();
      } else if (e.key === "Escape") {
        if (panel.hidden) input.value = "";
        close();
      } else if (e.key === "Enter" && links().length) {
        e.preventDefault();
        links()[0].click();
      }
    });
    list.addEventListener("keydown", function (e) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (at < 0) return;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (at === 0) input.focus(); else all[at - 1].focus();
      } else if (e.key === "Escape") {
        e.preventDefault();
        close();
        input.focus();
      }
    });
    box.addEventListener("focusout", function (e) {
      if (!e.relatedTarget || !box.contains(e.relatedTarget)) close();
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        input.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
