-- 0001: the first DisputeKit case store.
-- Times are two columns: *_ns (unix nanoseconds, NULL for "no time") and
-- *_tz (the zone, see store/timecodec.go), so a time keeps its zone.
-- Money is INTEGER fen.

CREATE TABLE cases (
	id          INTEGER PRIMARY KEY,
	title       TEXT    NOT NULL,
	scenario    TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	role        TEXT    NOT NULL,
	c_name        TEXT NOT NULL DEFAULT '',
	c_id_number   TEXT NOT NULL DEFAULT '',
	c_phone       TEXT NOT NULL DEFAULT '',
	c_address     TEXT NOT NULL DEFAULT '',
	c_company     TEXT NOT NULL DEFAULT '',
	c_credit_code TEXT NOT NULL DEFAULT '',
	c_merchant_no TEXT NOT NULL DEFAULT '',
	c_terminal_no TEXT NOT NULL DEFAULT '',
	r_name        TEXT NOT NULL DEFAULT '',
	r_id_number   TEXT NOT NULL DEFAULT '',
	r_phone       TEXT NOT NULL DEFAULT '',
	r_address     TEXT NOT NULL DEFAULT '',
	r_company     TEXT NOT NULL DEFAULT '',
	r_credit_code TEXT NOT NULL DEFAULT '',
	r_merchant_no TEXT NOT NULL DEFAULT '',
	r_terminal_no TEXT NOT NULL DEFAULT '',
	facts       TEXT    NOT NULL DEFAULT '',
	created_ns  INTEGER NOT NULL,
	created_tz  TEXT    NOT NULL,
	updated_ns  INTEGER NOT NULL,
	updated_tz  TEXT    NOT NULL
);

CREATE TABLE claims (
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	seq     INTEGER NOT NULL,
	text    TEXT    NOT NULL,
	amount  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (case_id, seq)
) WITHOUT ROWID;

CREATE TABLE exhibits (
	id            INTEGER PRIMARY KEY,
	case_id       INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	seq           INTEGER NOT NULL,
	kind          TEXT    NOT NULL,
	title         TEXT    NOT NULL DEFAULT '',
	source        TEXT    NOT NULL DEFAULT '',
	purpose       TEXT    NOT NULL DEFAULT '',
	captured_ns   INTEGER,
	captured_tz   TEXT    NOT NULL DEFAULT '',
	sha256        TEXT    NOT NULL,
	size          INTEGER NOT NULL,
	original_name TEXT    NOT NULL DEFAULT '',
	media_type    TEXT    NOT NULL DEFAULT '',
	imported_ns   INTEGER,
	imported_tz   TEXT    NOT NULL DEFAULT '',
	platform      TEXT    NOT NULL DEFAULT '',
	counterpart   TEXT    NOT NULL DEFAULT '',
	captured_by   TEXT    NOT NULL DEFAULT '',
	note          TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX exhibits_case_sha ON exhibits(case_id, sha256);
CREATE INDEX exhibits_case_seq ON exhibits(case_id, seq);
CREATE INDEX exhibits_sha ON exhibits(sha256);

CREATE TABLE transactions (
	id                INTEGER PRIMARY KEY,
	case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	time_ns           INTEGER NOT NULL,
	time_tz           TEXT    NOT NULL,
	amount            INTEGER NOT NULL,
	currency          TEXT    NOT NULL,
	direction         TEXT    NOT NULL,
	status            TEXT    NOT NULL DEFAULT '',
	type              TEXT    NOT NULL DEFAULT '',
	merchant          TEXT    NOT NULL DEFAULT '',
	merchant_no       TEXT    NOT NULL DEFAULT '',
	terminal_no       TEXT    NOT NULL DEFAULT '',
	acquirer          TEXT    NOT NULL DEFAULT '',
	issuer            TEXT    NOT NULL DEFAULT '',
	card_last4        TEXT    NOT NULL DEFAULT '',
	batch             TEXT    NOT NULL DEFAULT '',
	voucher           TEXT    NOT NULL DEFAULT '',
	rrn               TEXT    NOT NULL DEFAULT '',
	auth_code         TEXT    NOT NULL DEFAULT '',
	channel           TEXT    NOT NULL DEFAULT '',
	order_no          TEXT    NOT NULL DEFAULT '',
	fee               INTEGER NOT NULL DEFAULT 0,
	description       TEXT    NOT NULL DEFAULT '',
	note              TEXT    NOT NULL DEFAULT '',
	disputed          INTEGER NOT NULL DEFAULT 0,
	source            TEXT    NOT NULL DEFAULT '',
	source_exhibit_id INTEGER REFERENCES exhibits(id) ON DELETE SET NULL,
	source_row        INTEGER NOT NULL DEFAULT 0,
	dedupe_key        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX transactions_case_time ON transactions(case_id, time_ns, id);
CREATE UNIQUE INDEX transactions_case_dedupe ON transactions(case_id, dedupe_key) WHERE dedupe_key <> '';
CREATE INDEX transactions_source_exhibit ON transactions(source_exhibit_id) WHERE source_exhibit_id IS NOT NULL;

CREATE TABLE calls (
	id           INTEGER PRIMARY KEY,
	case_id      INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	start_ns     INTEGER NOT NULL,
	start_tz     TEXT    NOT NULL,
	duration_ns  INTEGER NOT NULL DEFAULT 0,
	own_number   TEXT    NOT NULL DEFAULT '',
	number       TEXT    NOT NULL DEFAULT '',
	direction    TEXT    NOT NULL,
	organisation TEXT    NOT NULL DEFAULT '',
	contact      TEXT    NOT NULL DEFAULT '',
	agent        TEXT    NOT NULL DEFAULT '',
	ticket       TEXT    NOT NULL DEFAULT '',
	summary      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX calls_case_start ON calls(case_id, start_ns, id);

CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	kind    TEXT    NOT NULL,
	time_ns INTEGER NOT NULL,
	time_tz TEXT    NOT NULL,
	party   TEXT    NOT NULL DEFAULT '',
	note    TEXT    NOT NULL DEFAULT '',
	due_ns  INTEGER,
	due_tz  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_case_time ON events(case_id, time_ns, id);

CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
	time_ns INTEGER NOT NULL,
	time_tz TEXT    NOT NULL,
	action  TEXT    NOT NULL,
	detail  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_case ON audit(case_id, id);

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;

-- derived images (thumbnail, print copy) made once from an original blob.
CREATE TABLE derived (
	orig_sha    TEXT NOT NULL,
	kind        TEXT NOT NULL,
	derived_sha TEXT NOT NULL,
	PRIMARY KEY (orig_sha, kind)
) WITHOUT ROWID;
CREATE INDEX derived_derived ON derived(derived_sha);
