-- The consent schema as the code before numbered migrations left it (commit 8d5db70), with the demo data
-- of npm start: pg_dump --schema=fixture_consent --inserts of startInProcess({ prefix: 'fixture_' }) + loadDemoData.
-- The upgrade test (migrations.int.test.ts) loads it under another schema name and migrates it.
--
-- PostgreSQL database dump
--

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fixture_consent; Type: SCHEMA; Schema: -; Owner: -
--

--
-- Name: access_log_append_only(); Type: FUNCTION; Schema: fixture_consent; Owner: -
--

CREATE FUNCTION fixture_consent.access_log_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND current_setting('wor.access_log_retention', true) = 'on' THEN RETURN OLD; END IF;
      RAISE EXCEPTION 'the access log is append-only';
    END $$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_log; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.access_log (
    seq bigint NOT NULL,
    entry_id uuid NOT NULL,
    entry jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    logged_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: access_log_anchor; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.access_log_anchor (
    id integer NOT NULL,
    seq bigint NOT NULL,
    hash text NOT NULL,
    CONSTRAINT access_log_anchor_id_check CHECK ((id = 1))
);

--
-- Name: access_log_seq_seq; Type: SEQUENCE; Schema: fixture_consent; Owner: -
--

CREATE SEQUENCE fixture_consent.access_log_seq_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: access_log_seq_seq; Type: SEQUENCE OWNED BY; Schema: fixture_consent; Owner: -
--

ALTER SEQUENCE fixture_consent.access_log_seq_seq OWNED BY fixture_consent.access_log.seq;

--
-- Name: agreements; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.agreements (
    agreement_id uuid NOT NULL,
    status text NOT NULL,
    terms jsonb NOT NULL,
    party_ids text[] NOT NULL,
    valid_from timestamp with time zone NOT NULL,
    valid_until timestamp with time zone,
    drafted_at timestamp with time zone NOT NULL,
    activated_at timestamp with time zone,
    ended_at timestamp with time zone,
    version integer NOT NULL
);

--
-- Name: consents; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.consents (
    consent_id uuid NOT NULL,
    subject_id text NOT NULL,
    provision text NOT NULL,
    recipient_organisation_ids text[],
    purposes text[],
    data_categories text[],
    valid_from timestamp with time zone NOT NULL,
    valid_until timestamp with time zone,
    recorded_at timestamp with time zone NOT NULL,
    recorded_by text NOT NULL,
    method text NOT NULL,
    document_reference jsonb,
    withdrawn_at timestamp with time zone,
    withdrawn_by text,
    version integer NOT NULL
);

--
-- Name: dead_letters; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.dead_letters (
    id bigint NOT NULL,
    consumer text NOT NULL,
    topic text NOT NULL,
    partition integer NOT NULL,
    "offset" text NOT NULL,
    message_key text,
    value text NOT NULL,
    headers jsonb NOT NULL,
    reason text NOT NULL,
    error text NOT NULL,
    event_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    redriven_at timestamp with time zone
);

--
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: fixture_consent; Owner: -
--

CREATE SEQUENCE fixture_consent.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: dead_letters_id_seq; Type: SEQUENCE OWNED BY; Schema: fixture_consent; Owner: -
--

ALTER SEQUENCE fixture_consent.dead_letters_id_seq OWNED BY fixture_consent.dead_letters.id;

--
-- Name: events; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.events (
    global_position bigint NOT NULL,
    transaction_id xid8 DEFAULT pg_current_xact_id() NOT NULL,
    stream_id text NOT NULL,
    stream_version integer NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    data jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: events_global_position_seq; Type: SEQUENCE; Schema: fixture_consent; Owner: -
--

CREATE SEQUENCE fixture_consent.events_global_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: events_global_position_seq; Type: SEQUENCE OWNED BY; Schema: fixture_consent; Owner: -
--

ALTER SEQUENCE fixture_consent.events_global_position_seq OWNED BY fixture_consent.events.global_position;

--
-- Name: key_epoch; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.key_epoch (
    one boolean DEFAULT true NOT NULL,
    kek_id text NOT NULL,
    requested bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    rotated_at timestamp with time zone,
    legacy_master_kek_id text,
    CONSTRAINT key_epoch_one_check CHECK (one)
);

--
-- Name: processed_events; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: projection_checkpoints; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.projection_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: relay_checkpoints; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.relay_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: streams; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.streams (
    stream_id text NOT NULL,
    version integer NOT NULL
);

--
-- Name: subject_keys; Type: TABLE; Schema: fixture_consent; Owner: -
--

CREATE TABLE fixture_consent.subject_keys (
    subject_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    kek_id text,
    CONSTRAINT subject_keys_subject_id_check CHECK ((length(subject_id) > 0))
);

--
-- Name: access_log seq; Type: DEFAULT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.access_log ALTER COLUMN seq SET DEFAULT nextval('fixture_consent.access_log_seq_seq'::regclass);

--
-- Name: dead_letters id; Type: DEFAULT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.dead_letters ALTER COLUMN id SET DEFAULT nextval('fixture_consent.dead_letters_id_seq'::regclass);

--
-- Name: events global_position; Type: DEFAULT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.events ALTER COLUMN global_position SET DEFAULT nextval('fixture_consent.events_global_position_seq'::regclass);

--
-- Data for Name: access_log; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.access_log VALUES (1, 'd7e41580-d696-4343-931a-2cab620326ec', '{"role": "gp-system", "action": "C", "checks": {"consent": false, "agreement": false, "authorisation": true, "emergencyAccess": false}, "reason": null, "userId": "gp-system-beterschap", "entryId": "d7e41580-d696-4343-931a-2cab620326ec", "outcome": "allowed", "purpose": "consent-administration", "producer": "consent", "resource": {"id": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "type": "consent"}, "consentId": null, "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "accessedAt": "2026-12-02T15:17:03.943Z", "onBehalfOf": null, "agreementId": null, "dataCategories": [], "organisationId": "huisarts-beterschap"}', '0000000000000000000000000000000000000000000000000000000000000000', '7c0c40c4c6646be5ce50bfb7952e0e2d7542c1e524d21997974e780c0e6e16f4', '2026-12-02 15:17:03.943853+00');
INSERT INTO fixture_consent.access_log VALUES (2, 'c2b605ea-9a25-5a43-a8c9-1996b27c964d', '{"role": "gp-system", "action": "C", "checks": {"consent": false, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": "the consent is unknown to the referral service", "userId": "gp-system-beterschap", "entryId": "c2b605ea-9a25-5a43-a8c9-1996b27c964d", "outcome": "denied", "purpose": "wor-referral", "producer": "referral", "resource": {"id": "16d8942e-fe93-4693-a562-2cab28e694d0", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "accessedAt": "2026-12-02T15:17:04.113Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}', '7c0c40c4c6646be5ce50bfb7952e0e2d7542c1e524d21997974e780c0e6e16f4', '12b51d6d72b3eb87800615ee8d98c6962549411d1d90d43a07a9f9209b98f000', '2026-12-02 15:17:04.267056+00');
INSERT INTO fixture_consent.access_log VALUES (3, 'cba8abba-5d26-5229-8d9e-a56493b6dbc9', '{"role": "gp-system", "action": "C", "checks": {"consent": true, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": null, "userId": "gp-system-beterschap", "entryId": "cba8abba-5d26-5229-8d9e-a56493b6dbc9", "outcome": "allowed", "purpose": "wor-referral", "producer": "referral", "resource": {"id": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "accessedAt": "2026-12-02T15:17:05.045Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}', '12b51d6d72b3eb87800615ee8d98c6962549411d1d90d43a07a9f9209b98f000', '1f6d7d61121d91576503dd20805197a56612bad81c0e3a6c781c7f6e8702759f', '2026-12-02 15:17:05.187771+00');

--
-- Data for Name: access_log_anchor; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

--
-- Data for Name: agreements; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.agreements VALUES ('a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a', 'active', '{"kind": "samenwerkingsovereenkomst", "title": "Welzijn op Recept Beterstad", "parties": [{"role": "joint-controller", "organisationId": "huisarts-beterschap"}, {"role": "joint-controller", "organisationId": "welzijn-beterstad"}], "purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "validFrom": "2026-01-01T00:00:00Z", "legalBasis": {"article6": "a-consent", "article9Exception": "a-explicit-consent"}, "validUntil": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["contact-details", "referral-reason", "health-summary", "outcome"], "retentionMonths": 24, "recipientOrganisationIds": ["huisarts-beterschap", "welzijn-beterstad"], "processingRegisterReference": "VWA-BETERSTAD-WOR"}', '{huisarts-beterschap,welzijn-beterstad}', '2026-01-01 00:00:00+00', NULL, '2026-12-02 15:17:02.962+00', '2026-12-02 15:17:03.447+00', NULL, 1);

--
-- Data for Name: consents; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.consents VALUES ('12f9ca79-3106-4d16-8c5c-0799f1262b67', 'sub_bdf4dab4f2ef026efaf86ae4c904e293', 'permit', '{welzijn-beterstad}', '{wor-referral,wor-coaching,wor-feedback}', '{contact-details,referral-reason}', '2026-12-02 15:17:03.828+00', NULL, '2026-12-02 15:17:03.828+00', 'gp-system-beterschap', 'verbal', NULL, NULL, NULL, 0);

--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

--
-- Data for Name: events; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.events VALUES (1, '1517', 'agreement-a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a', 0, '610b01b1-771b-452f-9a2b-53e96c6ffd72', 'AgreementDrafted', '{"kind": "samenwerkingsovereenkomst", "title": "Welzijn op Recept Beterstad", "parties": [{"role": "joint-controller", "organisationId": "huisarts-beterschap"}, {"role": "joint-controller", "organisationId": "welzijn-beterstad"}], "purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "draftedAt": "2026-12-02T15:17:02.962Z", "draftedBy": "privacy-officer-beterstad", "validFrom": "2026-01-01T00:00:00Z", "legalBasis": {"article6": "a-consent", "article9Exception": "a-explicit-consent"}, "validUntil": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["contact-details", "referral-reason", "health-summary", "outcome"], "retentionMonths": 24, "recipientOrganisationIds": ["huisarts-beterschap", "welzijn-beterstad"], "processingRegisterReference": "VWA-BETERSTAD-WOR"}', '{"actor": "privacy-officer-beterstad"}', '2026-12-02 15:17:03.034773+00');
INSERT INTO fixture_consent.events VALUES (2, '1525', 'agreement-a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a', 1, 'fdc87e6f-7577-4eb5-b99e-8d9f8a23f84e', 'AgreementActivated', '{"terms": {"kind": "samenwerkingsovereenkomst", "title": "Welzijn op Recept Beterstad", "parties": [{"role": "joint-controller", "organisationId": "huisarts-beterschap"}, {"role": "joint-controller", "organisationId": "welzijn-beterstad"}], "purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "validFrom": "2026-01-01T00:00:00Z", "legalBasis": {"article6": "a-consent", "article9Exception": "a-explicit-consent"}, "validUntil": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["contact-details", "referral-reason", "health-summary", "outcome"], "retentionMonths": 24, "recipientOrganisationIds": ["huisarts-beterschap", "welzijn-beterstad"], "processingRegisterReference": "VWA-BETERSTAD-WOR"}, "activatedAt": "2026-12-02T15:17:03.447Z", "activatedBy": "privacy-officer-beterstad", "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a"}', '{"actor": "privacy-officer-beterstad"}', '2026-12-02 15:17:03.535603+00');
INSERT INTO fixture_consent.events VALUES (3, '1530', 'consent-12f9ca79-3106-4d16-8c5c-0799f1262b67', 0, 'bde634ef-20e1-419e-b69a-4972577c5b39', 'ConsentRecorded', '{"evidence": {"method": "verbal", "recordedBy": "gp-system-beterschap", "organisationId": "huisarts-beterschap"}, "purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "provision": "permit", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "validFrom": "2026-12-02T15:17:03.828Z", "recordedAt": "2026-12-02T15:17:03.828Z", "validUntil": null, "dataCategories": ["contact-details", "referral-reason"], "recipientOrganisationIds": ["welzijn-beterstad"]}', '{"actor": "gp-system-beterschap"}', '2026-12-02 15:17:03.857728+00');

--
-- Data for Name: key_epoch; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.key_epoch VALUES (true, '21b72c29f313b49d', 0, 0, NULL, NULL);

--
-- Data for Name: processed_events; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.processed_events VALUES ('fixture_consent.access-log', 'c2b605ea-9a25-5a43-a8c9-1996b27c964d', '2026-12-02 15:17:04.267056+00');
INSERT INTO fixture_consent.processed_events VALUES ('fixture_consent.access-log', 'cba8abba-5d26-5229-8d9e-a56493b6dbc9', '2026-12-02 15:17:05.187771+00');

--
-- Data for Name: projection_checkpoints; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.projection_checkpoints VALUES ('consent-read-models', '1530:3', '2026-12-02 15:17:04.08599+00');

--
-- Data for Name: relay_checkpoints; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.relay_checkpoints VALUES ('consent-events', '1530:3', '2026-12-02 15:17:04.811567+00');

--
-- Data for Name: streams; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

INSERT INTO fixture_consent.streams VALUES ('agreement-a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a', 1);
INSERT INTO fixture_consent.streams VALUES ('consent-12f9ca79-3106-4d16-8c5c-0799f1262b67', 0);

--
-- Data for Name: subject_keys; Type: TABLE DATA; Schema: fixture_consent; Owner: -
--

--
-- Name: access_log_seq_seq; Type: SEQUENCE SET; Schema: fixture_consent; Owner: -
--

SELECT pg_catalog.setval('fixture_consent.access_log_seq_seq', 3, true);

--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: fixture_consent; Owner: -
--

SELECT pg_catalog.setval('fixture_consent.dead_letters_id_seq', 1, false);

--
-- Name: events_global_position_seq; Type: SEQUENCE SET; Schema: fixture_consent; Owner: -
--

SELECT pg_catalog.setval('fixture_consent.events_global_position_seq', 3, true);

--
-- Name: access_log_anchor access_log_anchor_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.access_log_anchor
    ADD CONSTRAINT access_log_anchor_pkey PRIMARY KEY (id);

--
-- Name: access_log access_log_entry_id_key; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.access_log
    ADD CONSTRAINT access_log_entry_id_key UNIQUE (entry_id);

--
-- Name: access_log access_log_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.access_log
    ADD CONSTRAINT access_log_pkey PRIMARY KEY (seq);

--
-- Name: agreements agreements_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.agreements
    ADD CONSTRAINT agreements_pkey PRIMARY KEY (agreement_id);

--
-- Name: consents consents_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.consents
    ADD CONSTRAINT consents_pkey PRIMARY KEY (consent_id);

--
-- Name: dead_letters dead_letters_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.dead_letters
    ADD CONSTRAINT dead_letters_pkey PRIMARY KEY (id);

--
-- Name: events events_event_id_unique; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.events
    ADD CONSTRAINT events_event_id_unique UNIQUE (event_id);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (global_position);

--
-- Name: events events_stream_version_unique; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.events
    ADD CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version);

--
-- Name: key_epoch key_epoch_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.key_epoch
    ADD CONSTRAINT key_epoch_pkey PRIMARY KEY (one);

--
-- Name: processed_events processed_events_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.processed_events
    ADD CONSTRAINT processed_events_pkey PRIMARY KEY (consumer, event_id);

--
-- Name: projection_checkpoints projection_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.projection_checkpoints
    ADD CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: relay_checkpoints relay_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.relay_checkpoints
    ADD CONSTRAINT relay_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: streams streams_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.streams
    ADD CONSTRAINT streams_pkey PRIMARY KEY (stream_id);

--
-- Name: subject_keys subject_keys_pkey; Type: CONSTRAINT; Schema: fixture_consent; Owner: -
--

ALTER TABLE ONLY fixture_consent.subject_keys
    ADD CONSTRAINT subject_keys_pkey PRIMARY KEY (subject_id);

--
-- Name: access_log_accessed; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX access_log_accessed ON fixture_consent.access_log USING btree (((entry ->> 'accessedAt'::text)));

--
-- Name: access_log_subject; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX access_log_subject ON fixture_consent.access_log USING btree (((entry ->> 'subjectId'::text)), ((entry ->> 'accessedAt'::text)));

--
-- Name: access_log_user; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX access_log_user ON fixture_consent.access_log USING btree (((entry ->> 'userId'::text)));

--
-- Name: agreements_parties; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX agreements_parties ON fixture_consent.agreements USING gin (party_ids);

--
-- Name: consents_subject; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX consents_subject ON fixture_consent.consents USING btree (subject_id);

--
-- Name: dead_letters_consumer_idx; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX dead_letters_consumer_idx ON fixture_consent.dead_letters USING btree (consumer, created_at);

--
-- Name: events_transaction_position; Type: INDEX; Schema: fixture_consent; Owner: -
--

CREATE INDEX events_transaction_position ON fixture_consent.events USING btree (transaction_id, global_position);

--
-- Name: access_log access_log_append_only; Type: TRIGGER; Schema: fixture_consent; Owner: -
--

CREATE TRIGGER access_log_append_only BEFORE DELETE OR UPDATE ON fixture_consent.access_log FOR EACH ROW EXECUTE FUNCTION fixture_consent.access_log_append_only();

--
-- PostgreSQL database dump complete
--

