/* flippack default theme, pack pages: the rest of the flipped cycle.
 *
 * - Every element with `data-field` (reflection answers, the evidence
 *   checklist and its links, the plan, written self-check answers, the
 *   follow-up's date and feedback) is saved in this browser as it
 *   changes, in the pack's `fields` under that name.
 * - The self-check is checked here: per-choice feedback, explanations,
 *   "N of M correct" and, with a pass mark, passed or not yet. The last
 *   result is kept in the pack's `check`.
 * - The Application & Impact Plan prints on its own, downloads as
 *   Markdown and opens in the teacher's mail program.
 * - The cycle at a glance marks the step the teacher is on.
 *
 * Storage goes through window.flippack (site.js), which keeps the rest of
 * the pack's entry. Nothing is sent anywhere.
 */
(function () {
  "use strict";

  var fp = window.flippack;
  var article = document.querySelector("[data-pack]");
  if (!fp || !article) return;
  var slug = article.getAttribute("data-pack");
  var html = document.documentElement;

  function entry() {
    return fp.load().packs[slug] || {};
  }

  /* Saves a change to this pack, with the page's counts (how many pieces
   * of evidence, prompts and questions it has), so that My learning can
   * say "2 of 3" without the page. */
  function update(change) {
    var data = fp.updatePack(slug, fp.packMeta(article), function (e) {
      e.counts = counts();
      e.evidence = evidenceTexts();
      change(e);
    });
    refreshGlance();
    return data;
  }

  function counts() {
    return {
      evidence: article.querySelectorAll("[data-evidence-item]").length,
      reflection: article.querySelectorAll("[data-field^='reflection:']").length,
      plan: article.querySelectorAll("[data-field^='plan:']").length,
      questions: article.querySelectorAll("[data-question]").length
    };
  }

  /* The evidence items as written, for the printed record. */
  function evidenceTexts() {
    var items = article.querySelectorAll("[data-evidence-item] .evidence-text");
    var list = [];
    for (var i = 0; i < items.length; i++) list.push(items[i].textContent.trim());
    return list;
  }

  function valueOf(input) {
    return input.type === "checkbox" ? input.checked : input.value;
  }

  /* ---------- Fields saved as typed ---------- */

  function initFields() {
    var inputs = article.querySelectorAll("[data-field]");
    var saved = entry().fields || {};
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var name = input.getAttribute("data-field");
      input.hidden = false;
      if (Object.prototype.hasOwnProperty.call(saved, name)) {
        if (input.type === "checkbox") input.checked = saved[name] === true;
        else input.value = saved[name];
      }
      input.addEventListener(input.type === "checkbox" ? "change" : "input", saveField);
    }
  }

  function saveField(event) {
    var input = event.target;
    var name = input.getAttribute("data-field");
    var value = valueOf(input);
    update(function (e) {
      e.fields = e.fields || {};
      if (value === "" || value === false) delete e.fields[name];
      else e.fields[name] = value;
    });
    if (name.indexOf("plan:") === 0) refreshPlan();
  }

  /* ---------- Check your understanding ---------- */

  function initCheck(section) {
    var form = section.querySelector("[data-check-form]");
    var result = section.querySelector("[data-check-result]");
    var reset = section.querySelector("[data-check-reset]");
    var pass = {
      percent: parseFloat(section.getAttribute("data-pass-percent")) || 0,
      count: parseInt(section.getAttribute("data-pass-count"), 10) || 0
    };
    var questions = section.querySelectorAll("[data-question]");

    /* With JavaScript the page checks the answers itself; the folded
     * answer keys are for pages without it. */
    for (var i = 0; i < questions.length; i++) {
      var key = questions[i].querySelector("[data-answer-key]");
      if (key) key.hidden = true;
    }
    section.querySelector("[data-check-actions]").hidden = false;

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var check = score(questions, pass);
      update(function (e) { e.check = check; });
      show(check);
      result.focus();
    });
    reset.addEventListener("click", function () {
      update(function (e) { delete e.check; });
      clear();
      form.querySelector("input, textarea").focus();
    });

    function show(check) {
      for (var i = 0; i < questions.length; i++) {
        var q = questions[i];
        var picked = check.answers[q.getAttribute("data-question")];
        if (q.getAttribute("data-kind") === "written") showWritten(q);
        else showChoices(q, picked || []);
      }
      result.textContent = resultText(check);
      result.classList.toggle("is-passed", check.passed === true);
      reset.hidden = false;
      refreshStatus(check);
    }

    function clear() {
      for (var i = 0; i < questions.length; i++) {
        var q = questions[i];
        var inputs = q.querySelectorAll("input");
        for (var j = 0; j < inputs.length; j++) inputs[j].checked = false;
        var hide = q.querySelectorAll("[data-feedback], [data-explanation], [data-model-answer], [data-model-wait]");
        for (var k = 0; k < hide.length; k++) hide[k].hidden = true;
        q.classList.remove("is-right", "is-wrong");
        var choices = q.querySelectorAll("[data-choice]");
        for (var c = 0; c < choices.length; c++) choices[c].classList.remove("is-right", "is-wrong");
      }
      result.textContent = "";
      result.classList.remove("is-passed");
      reset.hidden = true;
      refreshStatus(null);
    }

    var kept = entry().check;
    if (kept) {
      restore(questions, kept);
      show(kept);
    }
  }

  /* The teacher's choices, which are right, and the overall result. */
  /* `pass.count` is the build's figure (the pass percentage of the scored
   * questions, rounded up), so page and docs agree exactly. */
  function score(questions, pass) {
    var answers = {};
    var scored = 0, correct = 0;
    for (var i = 0; i < questions.length; i++) {
      var q = questions[i];
      if (q.getAttribute("data-kind") === "written") continue;
      var picked = [], right = true;
      var choices = q.querySelectorAll("[data-choice]");
      for (var c = 0; c < choices.length; c++) {
        var ticked = choices[c].querySelector("input").checked;
        if (ticked) picked.push(c);
        if (ticked !== choices[c].hasAttribute("data-correct")) right = false;
      }
      answers[q.getAttribute("data-question")] = picked;
      scored += 1;
      if (right) correct += 1;
    }
    var percent = scored ? Math.round((correct / scored) * 1000) / 10 : 0;
    return {
      answers: answers,
      correct: correct,
      scored: scored,
      percent: percent,
      pass_percent: pass.percent || null,
      pass_count: pass.percent ? pass.count : null,
      passed: pass.percent && scored ? correct >= pass.count : null,
      date: fp.today()
    };
  }

  function restore(questions, check) {
    for (var i = 0; i < questions.length; i++) {
      var picked = check.answers[questions[i].getAttribute("data-question")] || [];
      var choices = questions[i].querySelectorAll("[data-choice]");
      for (var c = 0; c < choices.length; c++) {
        choices[c].querySelector("input").checked = picked.indexOf(c) >= 0;
      }
    }
  }

  /* Feedback on each choice the teacher picked, and on a correct one
   * they missed; a question's explanation shows once it is checked. The
   * marks are words, not only colours. */
  function showChoices(q, picked) {
    var choices = q.querySelectorAll("[data-choice]");
    var right = true;
    for (var c = 0; c < choices.length; c++) {
      var correct = choices[c].hasAttribute("data-correct");
      var ticked = picked.indexOf(c) >= 0;
      var feedback = choices[c].querySelector("[data-feedback]");
      var mark = feedback.querySelector("[data-mark]");
      if (ticked !== correct) right = false;
      choices[c].classList.toggle("is-right", ticked && correct);
      choices[c].classList.toggle("is-wrong", ticked && !correct);
      if (ticked) mark.textContent = correct ? "Right." : "Not this one.";
      else if (correct && q.getAttribute("data-kind") === "multiple") mark.textContent = "This one is also correct.";
      else mark.textContent = "";
      feedback.hidden = !ticked && !(correct && q.getAttribute("data-kind") === "multiple");
    }
    var explanation = q.querySelector("[data-explanation]");
    if (explanation) explanation.hidden = false;
    q.classList.toggle("is-right", right);
    q.classList.toggle("is-wrong", !right);
  }

  /* A model answer shows only after the teacher has written theirs. */
  function showWritten(q) {
    var answer = q.querySelector("textarea");
    var model = q.querySelector("[data-model-answer]");
    var wait = q.querySelector("[data-model-wait]");
    var written = answer && answer.value.trim() !== "";
    if (model) model.hidden = !written;
    if (wait) wait.hidden = written;
  }

  function resultText(check) {
    var text = check.correct + " of " + check.scored + " correct.";
    if (check.passed === true) text += " Passed: you needed " + check.pass_count + " (" + check.pass_percent + "%).";
    else if (check.passed === false) text += " Not yet: you need " + check.pass_count + " (" + check.pass_percent + "%) to pass. Review the resources and try again.";
    return text;
  }

  /* The credit panel's line: the self-check is part of the pack's
   * progress. */
  function refreshStatus(check) {
    var status = article.querySelector("[data-check-status]");
    if (!status) return;
    status.hidden = false;
    status.textContent = check ? "Self-check: " + fp.checkText(check) : "Self-check: not taken yet";
    status.classList.toggle("is-passed", !!check && check.passed === true);
  }

  /* ---------- My Application & Impact Plan ---------- */

  var plan = article.querySelector("[data-plan]");

  function planItems() {
    var items = plan.querySelectorAll("[data-plan-item]");
    var list = [];
    for (var i = 0; i < items.length; i++) {
      list.push({
        prompt: items[i].querySelector("[data-plan-prompt]").textContent.trim(),
        answer: items[i].querySelector("textarea").value.trim(),
        print: items[i].querySelector("[data-plan-print-answer]")
      });
    }
    return list;
  }

  /* "principal, instructional coach and PLC", as the build wrote it. */
  function shareWith() {
    return plan.getAttribute("data-plan-share") || "";
  }

  /* The plan as Markdown: what Download saves and Email puts in the body. */
  function planText() {
    var title = article.getAttribute("data-title");
    var name = (fp.load().name || "").trim();
    var lines = ["# My Application & Impact Plan: " + title, ""];
    if (name) lines.push("By " + name + ", " + fp.today(), "");
    else lines.push("Written " + fp.today(), "");
    planItems().forEach(function (item) {
      lines.push("## " + item.prompt, "", item.answer || "(not written yet)", "");
    });
    var roles = shareWith();
    if (roles) lines.push("To share with my " + roles + ".", "");
    return lines.join("\n");
  }

  /* The printed copy shows the answers as text: a textarea prints cut
   * off at its visible height. */
  function refreshPlan() {
    if (!plan) return;
    var items = planItems();
    var written = 0;
    items.forEach(function (item) {
      item.print.textContent = item.answer || "(not written yet)";
      if (item.answer) written += 1;
    });
    var email = plan.querySelector("[data-plan-email]");
    var roles = shareWith();
    var intro = "Here is my Application & Impact Plan for \u201c" + article.getAttribute("data-title") + "\u201d" +
      (roles ? ", to share with my " + roles : "") + ".\n\n";
    /* No address: the teacher chooses whom to send it to. */
    email.href = "mailto:?subject=" + encodeURIComponent("My Application & Impact Plan: " + article.getAttribute("data-title")) +
      "&body=" + encodeURIComponent(intro + planText());
    var author = plan.querySelector("[data-plan-author]");
    var name = (fp.load().name || "").trim();
    if (author) author.textContent = (name ? "By " + name + ", " : "Printed ") + fp.today();
    return written;
  }

  /* Marks the plan as shared (printed, downloaded or emailed): the fifth
   * step of the cycle. */
  function markShared(how) {
    update(function (e) {
      e.fields = e.fields || {};
      e.fields["plan:shared"] = how + " " + fp.today();
    });
  }

  function download(name, text, type) {
    var blob = new Blob([text], { type: type });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function initPlan() {
    plan.querySelector("[data-plan-actions]").hidden = false;
    var status = plan.querySelector("[data-plan-status]");
    plan.querySelector("[data-plan-print]").addEventListener("click", function () {
      refreshPlan();
      /* Print media shows the plan alone while this class is on. */
      html.classList.add("print-plan");
      markShared("printed");
      window.print();
    });
    window.addEventListener("afterprint", function () { html.classList.remove("print-plan"); });
    plan.querySelector("[data-plan-download]").addEventListener("click", function () {
      download("plan-" + slug + ".md", planText(), "text/markdown;charset=utf-8");
      markShared("downloaded");
      status.textContent = "Your plan was saved as plan-" + slug + ".md in your downloads.";
    });
    plan.querySelector("[data-plan-email]").addEventListener("click", function () {
      refreshPlan();
      markShared("emailed");
    });
    refreshPlan();
  }

  /* ---------- The cycle at a glance ---------- */

  /* Each step's status from what is saved, and the first step not done
   * marked as the current one. */
  function refreshGlance() {
    var glance = article.querySelector("[data-cycle]");
    if (!glance) return;
    var e = entry();
    var f = e.fields || {};
    var c = counts();
    var minutes = parseFloat(article.getAttribute("data-minutes")) || 0;
    var studied = Math.min(fp.sum(e.done || {}), minutes);
    var learnDone = studied >= minutes - 0.001 && (!c.questions || !!e.check);
    var planWritten = countFields(f, "plan:") > 0;
    var steps = {
      learn: [learnDone, fp.minutesText(studied, minutes) + (e.check ? "; self-check " + fp.checkText(e.check) : "")],
      plan: [planWritten, c.plan ? (planWritten ? "Written" : "Not written yet") : ""],
      share: [!!f["plan:shared"], f["plan:shared"] ? "Shared (" + f["plan:shared"] + ")" : ""],
      "self-reflect": [c.reflection > 0 && countFields(f, "reflection:") >= c.reflection,
        c.reflection ? countFields(f, "reflection:") + " of " + c.reflection + " answered" : ""],
      evidence: [c.evidence > 0 && countFields(f, "evidence:") >= c.evidence,
        c.evidence ? countFields(f, "evidence:") + " of " + c.evidence + " gathered" : ""],
      meet: [!!f["follow-up:date"], f["follow-up:date"] ? "Held on " + f["follow-up:date"] : ""]
    };
    var items = glance.querySelectorAll("[data-step]");
    var current = null;
    for (var i = 0; i < items.length; i++) {
      var name = items[i].getAttribute("data-step");
      var step = steps[name];
      var slot = items[i].querySelector("[data-step-status]");
      if (slot) slot.textContent = step && step[1] ? step[1] : "";
      items[i].classList.toggle("is-done", !!(step && step[0]));
      items[i].removeAttribute("aria-current");
      var here = items[i].querySelector(".cycle-here");
      if (here) here.remove();
      if (!current && step && !step[0]) current = items[i];
    }
    if (current) {
      current.setAttribute("aria-current", "step");
      var badge = document.createElement("span");
      badge.className = "cycle-here";
      badge.textContent = "You are here";
      current.insertBefore(badge, current.firstChild);
    }
  }

  /* How many saved fields start with `prefix` (written or ticked). */
  function countFields(fields, prefix) {
    var n = 0;
    for (var k in fields) {
      if (Object.prototype.hasOwnProperty.call(fields, k) && k.indexOf(prefix) === 0 &&
        k !== "plan:shared" && fields[k] !== "" && fields[k] !== false) n += 1;
    }
    return n;
  }

  function init() {
    initFields();
    var check = article.querySelector("[data-self-check]");
    if (check) {
      initCheck(check);
      if (!entry().check) refreshStatus(null);
    }
    if (plan) initPlan();
    refreshGlance();
    fp.onStorageChange(refreshGlance);
  }

  /* For the tests and for other tools: the plan exactly as Download saves
   * it. */
  window.flippackCycle = { planText: planText };
  init();
})();
