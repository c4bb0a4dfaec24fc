-- The schema of the scenario questions in study (9342a03), Alembic revision 0002, as made on sqlite by that commit's
-- SQLModel.metadata.create_all (trainer/storage.py; SQLModel 0.0.50, SQLAlchemy 2.1.9).
-- Generated once; tests/test_migrations.py builds pre-Alembic databases from it.

CREATE TABLE profile (
	id INTEGER NOT NULL,
	name VARCHAR(60) NOT NULL,
	created_at DATETIME NOT NULL,
	new_per_day INTEGER NOT NULL,
	reviews_per_day INTEGER NOT NULL,
	desired_retention FLOAT NOT NULL,
	learning_steps VARCHAR NOT NULL,
	relearning_steps VARCHAR NOT NULL,
	leech_threshold INTEGER NOT NULL,
	leech_action VARCHAR NOT NULL,
	day_starts_at INTEGER NOT NULL,
	timezone VARCHAR NOT NULL,
	PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ix_profile_name ON profile (name);

CREATE TABLE cardstate (
	id INTEGER NOT NULL,
	profile_id INTEGER NOT NULL,
	card_id VARCHAR(120) NOT NULL,
	topic VARCHAR(60) NOT NULL,
	state VARCHAR NOT NULL,
	queue VARCHAR NOT NULL,
	position INTEGER NOT NULL,
	step INTEGER,
	stability FLOAT,
	difficulty FLOAT,
	due DATETIME,
	last_review DATETIME,
	reps INTEGER NOT NULL,
	lapses INTEGER NOT NULL,
	suspended BOOLEAN NOT NULL,
	leech BOOLEAN NOT NULL,
	buried_until DATETIME,
	retired BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_cardstate_profile_card UNIQUE (profile_id, card_id),
	FOREIGN KEY(profile_id) REFERENCES profile (id)
);

CREATE INDEX ix_cardstate_queue ON cardstate (profile_id, queue, due);

CREATE TABLE reviewlog (
	id INTEGER NOT NULL,
	profile_id INTEGER NOT NULL,
	card_id VARCHAR(120) NOT NULL,
	rating INTEGER NOT NULL,
	reviewed_at DATETIME NOT NULL,
	duration_ms INTEGER,
	kind VARCHAR NOT NULL,
	state_before VARCHAR NOT NULL,
	state_after VARCHAR NOT NULL,
	due_after DATETIME,
	stability_after FLOAT,
	difficulty_after FLOAT,
	interval_days FLOAT,
	question_id VARCHAR(120),
	PRIMARY KEY (id),
	FOREIGN KEY(profile_id) REFERENCES profile (id)
);

CREATE INDEX ix_reviewlog_profile_time ON reviewlog (profile_id, reviewed_at);

CREATE INDEX ix_reviewlog_card_id ON reviewlog (card_id);
