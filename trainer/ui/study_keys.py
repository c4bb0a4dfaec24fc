"""The Study page's keyboard: every key press counts, in order, and acts on the card on screen.

Streamlit's button shortcuts act on whatever page is drawn when the key goes down. Typed at a
person's pace (Space, 3, Space, 3 … about three keys a second), a key often lands while the
previous key's script run is still under way (review defect 6): Streamlit then cancels that run
and starts another with the new click, and a press meant for the next card's front hits the
previous card's back (Space there means Good), or finds no button at all and is lost.

So the page installs one small key handler of its own. It takes the study keys before
Streamlit's shortcut handler sees them and keeps them in a queue; it presses the matching button
for the first key only when no script run is under way, waits for that run to finish and the new
page to be drawn, then takes the next key. A key whose button is not on the new page (1-4 on a
card's front, say) is dropped rather than held: it cannot be for the card now shown. The rating
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
# A pressed button whose run never starts (it was disabled, the connection dropped): stop
# waiting after this long and go on with the queue.
STALL_MS = 4000

_SCRIPT = """
<div id="%(marker)s" hidden></div>
<script>
(() => {
  if (window.__trainerStudyKeys) return;  // once per browser tab: the page is drawn many times
  window.__trainerStudyKeys = true;
  const BUTTONS = %(buttons)s;
  const app = () => document.querySelector('[data-testid="stApp"]');
  const idle = () => { const a = app(); return !!a && a.dataset.testScriptState === "notRunning"; };
  const onStudy = () => !!document.getElementById("%(marker)s");
  let queue = [], waiting = false, sawRun = false, stall = null;

  function button(key) {
    for (const name of BUTTONS[key] || []) {
      const el = document.querySelector(".st-key-" + name + " button");
      if (el && !el.disabled) return el;
    }
    return null;
  }
  function done() { waiting = false; sawRun = false; clearTimeout(stall); requestAnimationFrame(pump); }
  function pump() {
    while (!waiting && queue.length && idle()) {
      const el = button(queue.shift());
      if (!el) continue;  // nothing on this page for that key: it was not meant for this card
      waiting = true; sawRun = false;
      stall = setTimeout(() => { if (!sawRun) done(); }, %(stall)d);
      el.click();
    }
  }
  // The app root's script state: running while a run is under way, notRunning once it has
  // finished and the page is drawn. A run that starts and ends between two callbacks still
  // leaves a record whose old value was not notRunning.
  const watch = () => {
    const root = app();
    if (!root) { setTimeout(watch, 200); return; }
    new MutationObserver((records) => {
      for (const r of records) if (r.oldValue !== "notRunning") sawRun = true;
      if (!idle()) { sawRun = true; return; }
      if (waiting && sawRun) done(); else if (!waiting) requestAnimationFrame(pump);
    }).observe(root, { attributes: true, attributeOldValue: true,
                       attributeFilter: ["data-test-script-state"] });
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
    queue.push(e.key);
    pump();
  }, true);
})();
</script>
"""


def install() -> None:
    """Render the key handler (it installs itself once per browser tab; later runs redraw the same
    element, which Streamlit leaves in place)."""
    st.html(
        _SCRIPT % {"marker": MARKER, "buttons": json.dumps(BUTTONS), "stall": STALL_MS, "limit": QUEUE_LIMIT},
        unsafe_allow_javascript=True,
    )
