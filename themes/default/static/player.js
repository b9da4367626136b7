/* flippack default theme: click-to-load video embeds.
 *
 * A YouTube or Vimeo resource shows a play button that names the host it
 * will contact. Nothing is requested from that host until the teacher
 * clicks: then the privacy-enhanced player (youtube-nocookie.com, Vimeo
 * with dnt=1) replaces the button and starts playing. Without JavaScript
 * the button never appears and the resource's link leads to the video.
 */
(function () {
  "use strict";

  function load(box) {
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed");
    frame.title = (box.getAttribute("data-embed-provider") || "Video") + " player: " +
      (box.getAttribute("data-embed-title") || "");
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    box.textContent = "";
    box.appendChild(frame);
    box.classList.add("is-loaded");
    frame.focus();
  }

  function init() {
    var boxes = document.querySelectorAll("[data-embed]");
    for (var i = 0; i < boxes.length; i++) {
      var button = boxes[i].querySelector("button");
      if (!button) continue;
      button.hidden = false;
      boxes[i].classList.add("is-ready");
      button.addEventListener("click", load.bind(null, boxes[i]));
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
