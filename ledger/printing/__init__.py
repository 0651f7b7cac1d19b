"""The printable ledger (纸质台账, issue #16 item 7): a branch's records of a year or a quarter
as one Word file — cover, roster, then each recorded meeting with its attendance and photos.

* `content.py` reads what the file shows (the cover, the roster, the records in chunks);
* `document.py` writes the DOCX, one record at a time, each photo downsized and kept on disk
  until the file is written, so memory stays flat whatever the number of records;
* `services.py` requests a generation, runs it (a `workflow.background` job: progress, lease
  and heartbeat, the reaper) and hands out the file (audited: personal data leaving the
  portal); `tasks.py` is the Celery wrapper."""
