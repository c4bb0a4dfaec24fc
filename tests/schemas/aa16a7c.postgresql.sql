-- The schema of the the last release before Alembic (aa16a7c; exams and workshops), Alembic revision 0003, as made on postgresql by that commit's
-- SQLModel.metadata.create_all (trainer/storage.py; SQLModel 0.0.50, SQLAlchemy 2.1.9).
-- Generated once; tests/test_migrations.py builds pre-Alembic databases from it.

CREATE TABLE profile (
	id SERIAL NOT NULL,
	name VARCHAR(60) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
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

CREATE TABLE room (
	id SERIAL NOT NULL,
	code VARCHAR(12) NOT NULL,
	open_code VARCHAR(12),
	title VARCHAR(120) NOT NULL,
	host_secret_hash VARCHAR(64) NOT NULL,
	source TEXT NOT NULL,
	scoring VARCHAR(20) NOT NULL,
	seconds INTEGER NOT NULL,
	teams TEXT NOT NULL,
	questions TEXT NOT NULL,
	phase VARCHAR(20) NOT NULL,
	current INTEGER NOT NULL,
	opened_at TIMESTAMP WITH TIME ZONE,
	deadline TIMESTAMP WITH TIME ZONE,
	paused_at TIMESTAMP WITH TIME ZONE,
	revision INTEGER NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE,
	finished_at TIMESTAMP WITH TIME ZONE,
	PRIMARY KEY (id),
	UNIQUE (open_code)
);

CREATE INDEX ix_room_code ON room (code);

CREATE TABLE cardstate (
	id SERIAL NOT NULL,
	profile_id INTEGER NOT NULL,
	card_id VARCHAR(120) NOT NULL,
	topic VARCHAR(60) NOT NULL,
	state VARCHAR NOT NULL,
	queue VARCHAR NOT NULL,
	position INTEGER NOT NULL,
	step INTEGER,
	stability FLOAT,
	difficulty FLOAT,
	due TIMESTAMP WITH TIME ZONE,
	last_review TIMESTAMP WITH TIME ZONE,
	reps INTEGER NOT NULL,
	lapses INTEGER NOT NULL,
	suspended BOOLEAN NOT NULL,
	leech BOOLEAN NOT NULL,
	buried_until TIMESTAMP WITH TIME ZONE,
	retired BOOLEAN NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_cardstate_profile_card UNIQUE (profile_id, card_id),
	FOREIGN KEY(profile_id) REFERENCES profile (id)
);

CREATE INDEX ix_cardstate_queue ON cardstate (profile_id, queue, due);

CREATE TABLE reviewlog (
	id SERIAL NOT NULL,
	profile_id INTEGER NOT NULL,
	card_id VARCHAR(120) NOT NULL,
	rating INTEGER NOT NULL,
	reviewed_at TIMESTAMP WITH TIME ZONE NOT NULL,
	duration_ms INTEGER,
	kind VARCHAR NOT NULL,
	state_before VARCHAR NOT NULL,
	state_after VARCHAR NOT NULL,
	due_after TIMESTAMP WITH TIME ZONE,
	stability_after FLOAT,
	difficulty_after FLOAT,
	interval_days FLOAT,
	question_id VARCHAR(120),
	PRIMARY KEY (id),
	FOREIGN KEY(profile_id) REFERENCES profile (id)
);

CREATE INDEX ix_reviewlog_profile_time ON reviewlog (profile_id, reviewed_at);

CREATE INDEX ix_reviewlog_card_id ON reviewlog (card_id);

CREATE TABLE examattempt (
	id SERIAL NOT NULL,
	profile_id INTEGER NOT NULL,
	mode VARCHAR(20) NOT NULL,
	kind VARCHAR(20) NOT NULL,
	spec TEXT NOT NULL,
	seed INTEGER NOT NULL,
	started_at TIMESTAMP WITH TIME ZONE NOT NULL,
	deadline TIMESTAMP WITH TIME ZONE,
	submitted_at TIMESTAMP WITH TIME ZONE,
	status VARCHAR(20) NOT NULL,
	position INTEGER NOT NULL,
	questions TEXT NOT NULL,
	correct INTEGER,
	total INTEGER NOT NULL,
	scaled INTEGER,
	summary TEXT,
	cards_marked INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(profile_id) REFERENCES profile (id)
);

CREATE INDEX ix_examattempt_profile_status ON examattempt (profile_id, status, started_at);

CREATE TABLE roomparticipant (
	id SERIAL NOT NULL,
	room_id INTEGER NOT NULL,
	name VARCHAR(40) NOT NULL,
	name_key VARCHAR(40) NOT NULL,
	team VARCHAR(40),
	seat_hash VARCHAR(64) NOT NULL,
	joined_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_roomparticipant_room_name UNIQUE (room_id, name_key),
	FOREIGN KEY(room_id) REFERENCES room (id)
);

CREATE INDEX ix_roomparticipant_room_id ON roomparticipant (room_id);

CREATE INDEX ix_roomparticipant_seat_hash ON roomparticipant (seat_hash);

CREATE TABLE examanswer (
	id SERIAL NOT NULL,
	attempt_id INTEGER NOT NULL,
	position INTEGER NOT NULL,
	question_id VARCHAR(120) NOT NULL,
	chosen VARCHAR NOT NULL,
	flagged BOOLEAN NOT NULL,
	locked BOOLEAN NOT NULL,
	correct BOOLEAN,
	answered_at TIMESTAMP WITH TIME ZONE,
	time_ms INTEGER NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_examanswer_attempt_position UNIQUE (attempt_id, position),
	FOREIGN KEY(attempt_id) REFERENCES examattempt (id)
);

CREATE INDEX ix_examanswer_attempt_id ON examanswer (attempt_id);

CREATE TABLE questionreport (
	id SERIAL NOT NULL,
	question_id VARCHAR(120) NOT NULL,
	profile_id INTEGER,
	attempt_id INTEGER,
	text TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	resolved_at TIMESTAMP WITH TIME ZONE,
	PRIMARY KEY (id),
	FOREIGN KEY(profile_id) REFERENCES profile (id),
	FOREIGN KEY(attempt_id) REFERENCES examattempt (id)
);

CREATE INDEX ix_questionreport_question_id ON questionreport (question_id);

CREATE TABLE roomanswer (
	id SERIAL NOT NULL,
	room_id INTEGER NOT NULL,
	participant_id INTEGER NOT NULL,
	question_index INTEGER NOT NULL,
	chosen VARCHAR NOT NULL,
	correct BOOLEAN NOT NULL,
	elapsed_ms INTEGER NOT NULL,
	points INTEGER NOT NULL,
	answered_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_roomanswer_participant_question UNIQUE (participant_id, question_index),
	FOREIGN KEY(room_id) REFERENCES room (id),
	FOREIGN KEY(participant_id) REFERENCES roomparticipant (id)
);

CREATE INDEX ix_roomanswer_room_question ON roomanswer (room_id, question_index);
