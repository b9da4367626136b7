// Live reload for `flippack serve`. Served by the dev server only, never
// part of a built site. It is a file, not an inline script, so pages under a
// strict Content-Security-Policy (script-src 'self') still reload.
//
// The server adds <script src=".../__flippack/reload.js" data-page="..."
// data-version="..." defer> to each page: data-page is the output file this
// page is (packs/ell/index.html), data-version the site version it was
// served at. The event stream says which files each rebuild changed; this
// page reloads (keeping its scroll position) when it is one of them, swaps
// its stylesheets when only CSS changed, and shows an overlay with every
// error when a rebuild failed.
//
// One tab per browser holds the event stream (browsers allow only a few
// connections per server, and each stream keeps one open) and passes events
// to the other tabs; when the stream drops, the page polls instead.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.flippackLiveReload) {
    return;
  }
  window.flippackLiveReload = true;

  var page = script.getAttribute("data-page") || "";
  var version = script.getAttribute("data-version") || "";
  var missing = script.hasAttribute("data-missing");
  var here = new URL(".", script.src); // .../__flippack/
  var root = new URL("..", here); // the site root
  var scrollKey = "flippack-scroll:" + location.pathname;
  var channelName = "flippack-reload:" + root.href;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel(channelName) : null;
  var overlay = null;
  var polling = null;
  // Counts the events this page has acted on, so that a status answer
  // asked for before an event does not undo what the event did.
  var events = 0;

  restoreScroll();

  function reload() {
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) {
      // Private browsing may refuse storage; the page still reloads.
    }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (e) {
      return;
    }
    if (!saved) {
      return;
    }
    var xy = JSON.parse(saved);
    var restore = function () {
      window.scrollTo(xy[0], xy[1]);
    };
    restore();
    window.addEventListener("load", restore);
  }

  // The output path of a URL of this site, or null.
  function sitePath(url) {
    var u = new URL(url, location.href);
    if (u.origin !== root.origin || u.pathname.indexOf(root.pathname) !== 0) {
      return null;
    }
    var path = decodeURIComponent(u.pathname.slice(root.pathname.length));
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  function usesAny(changed) {
    if (missing) {
      return changed.length > 0; // the missing page may exist now
    }
    if (changed.indexOf(page) >= 0) {
      return true;
    }
    var media = document.querySelectorAll("img[src], video[src], audio[src], source[src], track[src], iframe[src], embed[src]");
    for (var i = 0; i < media.length; i++) {
      if (changed.indexOf(sitePath(media[i].getAttribute("src"))) >= 0) {
        return true;
      }
    }
    return false;
  }

  function swapStylesheets(changed) {
    var links = document.querySelectorAll('link[rel~="stylesheet"][href]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      if (changed.indexOf(sitePath(link.getAttribute("href"))) < 0) {
        continue;
      }
      var fresh = link.cloneNode();
      var url = new URL(link.href);
      url.searchParams.set("flippack", String(Date.now()));
      fresh.href = url.href;
      fresh.addEventListener("load", removeLater(link));
      fresh.addEventListener("error", removeLater(link));
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }

  function removeLater(node) {
    return function () {
      if (node.parentNode) {
        node.parentNode.removeChild(node);
      }
    };
  }

  function onReload(data) {
    hideOverlay();
    var changed = data.changed || [];
    if (data.all || usesAny(changed)) {
      reload();
      return;
    }
    version = data.version;
    var css = changed.filter(function (path) {
      return /\.css$/.test(path);
    });
    if (css.length > 0) {
      swapStylesheets(css);
    }
  }

  function checkStatus() {
    var asked = events;
    var url = new URL("status", here);
    url.searchParams.set("page", page);
    url.searchParams.set("v", version);
    if (missing) {
      url.searchParams.set("missing", "");
    }
    return fetch(url.href, { cache: "no-store" })
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (events !== asked) {
          return status; // an event came in meanwhile, and is newer
        }
        if (status.stale) {
          reload();
        } else if (status.errors) {
          showOverlay(status.errors);
        } else {
          hideOverlay();
        }
        return status;
      });
  }

  function dispatch(message) {
    if (message.type === "reload") {
      events++;
      onReload(message.data);
    } else if (message.type === "errors") {
      events++;
      showOverlay(message.data);
    } else if (message.type === "check") {
      checkStatus().catch(function () {});
    }
  }

  // To this tab and every other tab of the site in this browser.
  function publish(message) {
    dispatch(message);
    if (channel) {
      channel.postMessage(message);
    }
  }

  if (channel) {
    channel.onmessage = function (event) {
      dispatch(event.data);
    };
  }

  function connect() {
    var source = new EventSource(new URL("events", here).href);
    source.addEventListener("open", function () {
      stopPolling();
      // Anything missed while connecting or disconnected.
      publish({ type: "check" });
    });
    source.addEventListener("reload", function (event) {
      publish({ type: "reload", data: JSON.parse(event.data) });
    });
    source.addEventListener("errors", function (event) {
      publish({ type: "errors", data: JSON.parse(event.data) });
    });
    source.addEventListener("error", function () {
      // The stream dropped (the server stopped, a proxy cut it): poll
      // until it answers, then listen again.
      source.close();
      startPolling();
    });
  }

  function startPolling() {
    if (polling) {
      return;
    }
    polling = setInterval(function () {
      checkStatus()
        .then(function () {
          stopPolling();
          publish({ type: "check" });
          connect();
        })
        .catch(function () {});
    }, 1000);
  }

  function stopPolling() {
    if (polling) {
      clearInterval(polling);
      polling = null;
    }
  }

  // One stream per browser: the tab holding the lock listens and tells the
  // others; when it closes, the next tab takes over. Without locks (older
  // browsers, plain-http addresses other than localhost) each tab listens.
  if (channel && navigator.locks && navigator.locks.request) {
    navigator.locks.request(channelName, function () {
      connect();
      return new Promise(function () {}); // held until the tab closes
    });
  } else {
    connect();
  }
  checkStatus().catch(function () {});

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function showOverlay(data) {
    hideOverlay();
    var host = element("flippack-overlay");
    var shadow = host.attachShadow({ mode: "open" });
    var style = element("link");
    style.rel = "stylesheet";
    style.href = new URL("overlay.css", here).href;
    shadow.appendChild(style);

    var panel = element("section", "panel");
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "flippack-overlay-title");
    var heading = element("h2", "title", "The site did not build: " + data.summary);
    heading.id = "flippack-overlay-title";
    panel.appendChild(heading);
    panel.appendChild(
      element("p", "note", "This page shows the last version that built. Fix the problems and save; this message goes away by itself.")
    );
    var list = element("ol", "problems");
    (data.diagnostics || []).forEach(function (d) {
      var item = element("li", "problem");
      var where = d.file + (d.line > 0 ? ":" + d.line + (d.column > 0 ? ":" + d.column : "") : "");
      item.appendChild(element("p", "where", where));
      item.appendChild(element("p", "message", d.message));
      item.appendChild(element("pre", "text", d.text));
      list.appendChild(item);
    });
    panel.appendChild(list);
    var close = element("button", "close", "Hide");
    close.type = "button";
    close.addEventListener("click", hideOverlay);
    panel.appendChild(close);
    shadow.appendChild(panel);
    document.documentElement.appendChild(host);
    overlay = host;
  }

  function hideOverlay() {
    if (overlay && overlay.parentNode) {
      overlay.parentNode.removeChild(overlay);
    }
    overlay = null;
  }
})();
