"""Exam practice: mock exams drawn to the DVA-C02 domain weights and scored like the real exam.

Three modes:

* **Timed** — real-exam conditions: a full mock (65 questions, 130 minutes) or a short one
  (20 questions, 30 minutes); no feedback until the end; free movement, flags; submitted by the
  learner or automatically when the time runs out.
* **Review** — immediate feedback after each answer, with every option's explanation.
* **Drill** — questions from one domain, topic or concept, or the learner's missed questions;
  immediate feedback as in review mode.

Multiple-response questions are scored all-or-nothing, as on the real exam.

The modules, lowest first (each imports only those above it):

* ``rules`` — the real exam's numbers, modes, an attempt's status, what to draw, the errors;
* ``assembly`` — how many questions per domain, and the seeded draw;
* ``scoring`` — the estimated scaled score and the scored attempt;
* ``records`` — an attempt and a history entry as the page sees them;
* ``readiness`` — readiness, weakest topics and missed questions from the history;
* ``attempts`` — the store: one profile's attempts in the database;
* ``reports`` — "report a problem with this question".

Nothing here imports Streamlit; the page is ``trainer/ui/exam.py``.
"""
