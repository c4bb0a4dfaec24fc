"""Team workshops: live quiz rooms on a shared database, Kahoot-style.

A facilitator (the *host*) creates a room from a topic, a concept, an exam domain or a hand-picked
list of questions, and gets a short join code to show on screen plus a host secret. Participants
join with the code and a display name and answer on their own device; the host paces the
questions (start, reveal, next, pause/resume, end). After each question everyone sees the
distribution of answers, the key with its explanation and the leaderboard; at the end the podium
and their own results, which they can add to their profile's spaced repetition. Afterwards the
host gets an item analysis of the room and a CSV of every answer.

**One database, many servers.** Every bit of a room's state is a row in the database, none in
process memory, so participants on different Streamlit servers share one room. Pages poll
:func:`trainer.workshops.live.pulse` (one small query per process, shared by its pages) and read
the room in full (:func:`trainer.workshops.rooms.room_state`) only when it changed. The one thing
kept in process memory is when this server first showed each seat a question (speed points count
from there); a seat served by another server falls back to the question's opening.

**Rules** are enforced in this package, not in the pages: only the host secret can pace a room
(with sign-in on, only in the hands of the room's host or a maintainer); a signed-in
participant's seat and answers are their profile's, and guests join only when the host allows;
a display name is unique within a room; the participant cap holds under concurrent joins; an
answer is accepted once per question, only while it is open and before its deadline, and only if
the room has not moved on meanwhile.

The modules, lowest first (each imports only those above it):

* ``errors`` — what cannot be done, with a message for the person at the screen;
* ``item_analysis`` — generic psychometrics (difficulty, discrimination, distractors);
* ``scoring`` — the two scoring rules and the points for one answer;
* ``model`` — the limits, a room's phase and the records the pages see;
* ``naming`` — join codes, display names and team names;
* ``sources`` — choosing a room's questions from the bank;
* ``access`` — the tables, the clock, the host secret, rows turned into records;
* ``throttle`` — the rate limit on wrong join codes, per browser session and client address;
* ``rooms`` — create, find, join (one seat per browser session) and read a room;
* ``links`` — one-time host links, so the host secret is never in a URL;
* ``live`` — the cheap pulse a polling page reads, and when each seat was shown a question;
* ``host_actions`` — start, reveal, next, pause, resume, end;
* ``answers`` — submitting an answer;
* ``results`` — leaderboard, team scores, answer distribution, own results, mistakes to study;
* ``step_cache`` — a room read once per change for every page of a process, and a revealed
  question's distribution, leaderboard and team scores worked out once;
* ``analysis`` — the facilitator's report and the CSV of every answer;
* ``history`` — the workshops a signed-in person took part in, for their Profile page.

Nothing here imports Streamlit; the pages are ``trainer/ui/workshop.py`` (participants) and
``trainer/ui/workshop_host.py`` (the host console), the figures ``trainer/charts/workshops.py``.
"""
