"""Teams: cohorts a facilitator leads, what the team remembers, and assignments.

* :mod:`trainer.teams.membership` — making a team, inviting by e-mail or join link, the team's
  exam date (each member's unless they chose their own), and who may do what to a team;
* :mod:`trainer.teams.dashboard` — predicted recall of every member on every concept, computed
  with one query for all members' card states and numpy (200 members × 60 concepts well under
  a second on PostgreSQL: benchmarks/team_dashboard.py), who is behind and why, the weakest
  concepts, the CSV export and the anonymous aggregate learners may see;
* :mod:`trainer.teams.assignments` — cards or questions due by a date, and each member's
  completion and score.

It sits beside exams and workshops (above study) and imports neither: the pages compose a team's
weakest concepts with a workshop room or an exam drill. Every change checks the role here, in
the core (:mod:`trainer.teams.guard`), before it writes anything.
"""
