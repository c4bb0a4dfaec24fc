"""The Study page's keyboard: every key press counts, in order, and acts on the card on screen.

Streamlit's button shortcuts act on whatever page is drawn when the key goes down. Typed at a
person's pace (Space, 3, Space, 3 … about three keys a second), a key often lands while the
previous key's script run is still under way (review defect 6): Streamlit then cancels that run
and starts another with the new click, and a press meant for the next card's front hits the
previous card's back (Space there means Good), or finds no button at all and is lost.

So the page installs one small key handler of its own. It takes the study keys before
Streamlit's shortcut handler sees them and keeps them in a queue; it presses the matching button
for the first key only when no script run is under way, waits until that press has been answered
(the run seen to finish, or the pressed button gone from the page), then takes the next key. A
key whose button is not on the page (1-4 on a card's front, say) is dropped rather than held,
once the page has been still for QUIET_MS: it cannot be for the card now shown. The rating
callbacks also carry the card they were drawn for and ignore a press for any other
(``study.py``), so a late click can never rate the wrong card.

The buttons keep their ``shortcut=`` for the key hints they show and as the fallback where the
script does not run (AppTest, a browser blocking it). Keys typed into a field, with Ctrl/Alt/Meta
(Ctrl+Z is Streamlit's), or held down (auto-repeat) are left alone.
"""

from __future__ import annotations

import json

import streamlit as st

# Key (as KeyboardEvent.key reports it) -> the buttons it presses, by their Streamlit key, in order
# of preference: the first one on the page is pressed. Space shows the answer, means Good on the
# back (Anki's habit), and continues after a scenario question.
BUTTONS: dict[str, list[str]] = {
    " ": ["show_answer", "rate_good", "study_q_continue", "cram_show"],
    "1": ["rate_again", "cram_again"],
    "2": ["rate_hard", "cram_hard"],
    "3": ["rate_good", "cram_good"],
    "4": ["rate_easy", "cram_easy"],
}
MARKER = "trainer-study-keys"  # the element whose presence means "the Study page is shown"
QUEUE_LIMIT = 20  # more keys than this waiting is not typing; drop the rest
# A key typed while the page was changing is pressed once it has not changed for SETTLE_MS, and
# one with no button on the page is dropped once it has not changed for QUIET_MS: a new page can
# still be half drawn when the script state already says the run has finished. A key typed on a
# page at rest is pressed at once.
SETTLE_MS = 40
QUIET_MS = 150
# A pressed button that neither leaves the page nor starts a run (the connection dropped, the
# run failed and drew the same page): stop waiting after this long and go on with the queue.
STALL_MS = 4000

# The element is drawn first on the page and takes no room there (its container is hidden), so it
# stays in place while the rest of the page changes under it.
_SCRIPT = """
<style>.stElementContainer:has(#%(marker)s) { display: none; }
%(css)s</style>
<div id="%(marker)s" hidden></div>
<script>
(() => {
  if (window.__trainerStudyKeys) return;  // once per browser tab: the page is drawn many times
  window.__trainerStudyKeys = true;
  const BUTTONS = %(buttons)s;
  const app = () => document.querySelector('[data-testid="stApp"]');
  const idle = () => { const a = app(); return !!a && a.dataset.testScriptState === "notRunning"; };
  let queue = [], waiting = false, sawRun = false, pressed = null, stall = null;
  let changed = performance.now(), later = null;  // the page's last change, a pump to come
  // Whether the Study page is shown: its marker is there, or it was there and the page has not
  // yet come to rest without it (a page being redrawn can be without it for a moment).
  let here = true;
  const onStudy = () => {
    if (document.getElementById("%(marker)s")) here = true;
    else if (idle() && performance.now() - changed >= %(quiet)d) here = false;
    return here;
  };

  function button(key) {
    for (const name of BUTTONS[key] || []) {
      const el = document.querySelector(".st-key-" + name + " button");
      if (el && !el.disabled) return el;
    }
    return null;
  }
  // The press has been answered once no run is under way and either a run was seen or the
  // pressed button is gone from the page (every study button leaves the page when it acts). A
  // run of a few milliseconds can start and end within one drawing of the page, so the script
  // state may never be seen to change.
  function answered() { return idle() && (sawRun || (pressed !== null && !pressed.isConnected)); }
  function done() {
    waiting = false; sawRun = false; pressed = null; clearTimeout(stall);
    requestAnimationFrame(pump);
  }
  function again(ms) { clearTimeout(later); later = setTimeout(pump, ms); }
  function pump() {
    while (!waiting && queue.length && idle()) {
      // The page may still be being drawn (the script state can say "finished" first): a key
      // typed before its last change is pressed once it has been still a moment, and any key
      // is given up only after a longer while. A key typed on a page at rest goes at once.
      const still = performance.now() - changed;
      if (queue[0].at <= changed && still < %(settle)d) return again(%(settle)d - still);
      const el = button(queue[0].key);
      if (!el && still < %(quiet)d) return again(%(quiet)d - still);
      queue.shift();
      if (!el) continue;  // nothing on this page for that key: it was not meant for this card
      waiting = true; sawRun = false; pressed = el;
      stall = setTimeout(done, %(stall)d);
      el.click();
    }
  }
  const watch = () => {
    const root = app();
    if (!root) { setTimeout(watch, 200); return; }
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "attributes" && r.target === root && r.oldValue !== "notRunning") sawRun = true;
      }
      if (!idle()) sawRun = true;
      changed = performance.now();
      if (waiting) { if (answered()) done(); } else if (queue.length) requestAnimationFrame(pump);
    }).observe(root, { attributes: true, attributeOldValue: true,
                       attributeFilter: ["data-test-script-state"], childList: true, subtree: true });
  };
  watch();
  window.addEventListener("keydown", (e) => {
    if (!(e.key in BUTTONS) || !onStudy()) return;
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    e.stopImmediatePropagation();  // Streamlit's shortcut would act on the page as drawn now
    if (e.repeat || queue.length >= %(limit)d) return;
    queue.push({ key: e.key, at: performance.now() });
    pump();
  }, true);
})();
</script>
"""


def install(page_css: str = "") -> None:
    """Render the key handler (it installs itself once per browser tab; later runs redraw the same
    element, which Streamlit leaves in place). ``page_css`` (rules, without a <style> tag) goes in
    the same element, so the page's own style never blinks out while the page is redrawn."""
    st.html(
        _SCRIPT
        % {
            "marker": MARKER,
            "buttons": json.dumps(BUTTONS),
            "stall": STALL_MS,
            "limit": QUEUE_LIMIT,
            "quiet": QUIET_MS,
            "settle": SETTLE_MS,
            "css": page_css,
        },
        unsafe_allow_javascript=True,
    )
