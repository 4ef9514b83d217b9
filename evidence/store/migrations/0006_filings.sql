-- 0006: filings — each complaint lodged with one recipient (a letter, the
-- 12315 platform, a hotline), its reply due date and status, and the
-- replies it got with the exhibits that hold them.
CREATE TABLE filings (
	id          INTEGER PRIMARY KEY,
	case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	recipient   TEXT    NOT NULL,
	party       TEXT    NOT NULL DEFAULT '',
	channel     TEXT    NOT NULL,
	sent_ns     INTEGER NOT NULL,
	sent_tz     TEXT    NOT NULL,
	received_ns INTEGER,
	received_tz TEXT    NOT NULL DEFAULT '',
	ticket      TEXT    NOT NULL DEFAULT '',
	asked       TEXT    NOT NULL DEFAULT '',
	due_ns      INTEGER,
	due_tz      TEXT    NOT NULL DEFAULT '',
	due_basis   TEXT    NOT NULL DEFAULT '',
	status      TEXT    NOT NULL,
	letter_exhibit_id INTEGER REFERENCES exhibits(id) ON DELETE SET NULL,
	note        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX filings_case ON filings(case_id, sent_ns, id);
CREATE TABLE filing_replies (
	id        INTEGER PRIMARY KEY,
	filing_id INTEGER NOT NULL REFERENCES filings(id) ON DELETE CASCADE,
	time_ns   INTEGER NOT NULL,
	time_tz   TEXT    NOT NULL,
	content   TEXT    NOT NULL DEFAULT '',
	status    TEXT    NOT NULL
);
CREATE INDEX filing_replies_filing ON filing_replies(filing_id, time_ns, id);
CREATE TABLE filing_reply_exhibits (
	reply_id   INTEGER NOT NULL REFERENCES filing_replies(id) ON DELETE CASCADE,
	exhibit_id INTEGER NOT NULL REFERENCES exhibits(id) ON DELETE CASCADE,
	PRIMARY KEY (reply_id, exhibit_id)
);
CREATE INDEX filing_reply_exhibits_exhibit ON filing_reply_exhibits(exhibit_id);
