"""Pharmacovigilance cases: what happens after a message is escalated.

- `followup`: the "pv_followup" conversation flow (approved questions, answers attached verbatim);
  `questions`: those questions as data.
- `actions`: what a PV officer does to a case (assign, note, seriousness, question, forward, close), each
  recorded in the case's history.
- `cases`: one case loaded whole (`load_case`) and its four minimum criteria (`minimum_criteria`).
- `e2b`: a case as ICH E2B(R3) data elements; `export`: rows of the `pv-cases` export;
  `reconcile`: every escalated message of a period against its case.
The deadline watchdog is `scheduler.pv_jobs`; the tables and queries are in `bot.pv.store`.
Screening itself (`bot.safety.screen`) decides what is escalated; this package never lowers that decision.
"""
