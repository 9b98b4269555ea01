-- The referral schema as the code before numbered migrations left it (commit 8d5db70), with the demo data
-- of npm start: pg_dump --schema=fixture_referral --inserts of startInProcess({ prefix: 'fixture_' }) + loadDemoData.
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
-- Name: fixture_referral; Type: SCHEMA; Schema: -; Owner: -
--

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: agreement_view; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.agreement_view (
    agreement_id uuid NOT NULL,
    party_ids text[],
    purposes text[],
    data_categories text[],
    valid_from timestamp with time zone,
    valid_until timestamp with time zone,
    activated_at timestamp with time zone,
    ended_at timestamp with time zone
);

--
-- Name: consent_view; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.consent_view (
    consent_id uuid NOT NULL,
    subject_id text NOT NULL,
    recipient_organisation_id text,
    purposes text[],
    valid_from timestamp with time zone,
    valid_until timestamp with time zone,
    withdrawn_at timestamp with time zone,
    provision text,
    recipient_organisation_ids text[],
    data_categories text[],
    scoped boolean DEFAULT false NOT NULL
);

--
-- Name: dead_letters; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.dead_letters (
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
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: fixture_referral; Owner: -
--

CREATE SEQUENCE fixture_referral.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: dead_letters_id_seq; Type: SEQUENCE OWNED BY; Schema: fixture_referral; Owner: -
--

ALTER SEQUENCE fixture_referral.dead_letters_id_seq OWNED BY fixture_referral.dead_letters.id;

--
-- Name: erased_subjects; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.erased_subjects (
    subject_id text NOT NULL,
    erased_at timestamp with time zone NOT NULL
);

--
-- Name: events; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.events (
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
-- Name: events_global_position_seq; Type: SEQUENCE; Schema: fixture_referral; Owner: -
--

CREATE SEQUENCE fixture_referral.events_global_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: events_global_position_seq; Type: SEQUENCE OWNED BY; Schema: fixture_referral; Owner: -
--

ALTER SEQUENCE fixture_referral.events_global_position_seq OWNED BY fixture_referral.events.global_position;

--
-- Name: fhir_task_index; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.fhir_task_index (
    referral_id text NOT NULL,
    practice_id text NOT NULL,
    organisation_id text NOT NULL,
    status text NOT NULL,
    authored_on timestamp with time zone NOT NULL,
    version integer NOT NULL
);

--
-- Name: idempotency_keys; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.idempotency_keys (
    caller text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    status integer,
    headers jsonb,
    body text,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: key_epoch; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.key_epoch (
    one boolean DEFAULT true NOT NULL,
    kek_id text NOT NULL,
    requested bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    rotated_at timestamp with time zone,
    legacy_master_kek_id text,
    CONSTRAINT key_epoch_one_check CHECK (one)
);

--
-- Name: processed_events; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: projection_checkpoints; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.projection_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: relay_checkpoints; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.relay_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: social_map_service_view; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.social_map_service_view (
    service_id text NOT NULL,
    organization_id text,
    name text,
    published_at timestamp with time zone,
    status text,
    status_at timestamp with time zone,
    retired_at timestamp with time zone
);

--
-- Name: streams; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.streams (
    stream_id text NOT NULL,
    version integer NOT NULL
);

--
-- Name: subject_access_log; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.subject_access_log (
    entry_id text NOT NULL,
    subject_id text NOT NULL,
    accessed_at timestamp with time zone NOT NULL,
    entry jsonb NOT NULL
);

--
-- Name: subject_keys; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.subject_keys (
    subject_id text NOT NULL,
    wrapped_key bytea NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    kek_id text,
    CONSTRAINT subject_keys_subject_id_check CHECK ((length(subject_id) > 0))
);

--
-- Name: subject_referrals; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.subject_referrals (
    subject_id text NOT NULL,
    referral_id text NOT NULL
);

--
-- Name: work_queue; Type: TABLE; Schema: fixture_referral; Owner: -
--

CREATE TABLE fixture_referral.work_queue (
    referral_id text NOT NULL,
    organisation_id text NOT NULL,
    practice_id text NOT NULL,
    status text NOT NULL,
    reasons text[] NOT NULL,
    age_band text NOT NULL,
    sex text NOT NULL,
    coach_id text,
    requested_at timestamp with time zone NOT NULL,
    first_contact_deadline timestamp with time zone NOT NULL,
    first_contact_at timestamp with time zone,
    version integer NOT NULL
);

--
-- Name: dead_letters id; Type: DEFAULT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.dead_letters ALTER COLUMN id SET DEFAULT nextval('fixture_referral.dead_letters_id_seq'::regclass);

--
-- Name: events global_position; Type: DEFAULT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.events ALTER COLUMN global_position SET DEFAULT nextval('fixture_referral.events_global_position_seq'::regclass);

--
-- Data for Name: agreement_view; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.agreement_view VALUES ('a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a', '{huisarts-beterschap,welzijn-beterstad}', '{wor-referral,wor-coaching,wor-feedback}', '{contact-details,referral-reason,health-summary,outcome}', '2026-01-01 00:00:00+00', NULL, '2026-12-02 15:17:03.447+00', NULL);

--
-- Data for Name: consent_view; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.consent_view VALUES ('12f9ca79-3106-4d16-8c5c-0799f1262b67', 'sub_bdf4dab4f2ef026efaf86ae4c904e293', 'welzijn-beterstad', '{wor-referral,wor-coaching,wor-feedback}', '2026-12-02 15:17:03.828+00', NULL, NULL, 'permit', '{welzijn-beterstad}', '{contact-details,referral-reason}', true);

--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

--
-- Data for Name: erased_subjects; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

--
-- Data for Name: events; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.events VALUES (1, '1543', 'access-log-5af1afb2-ddd2-4b58-a0ad-3568cd3881da', 0, '8e035435-8a5c-4f9b-a868-b8f656aa55ec', 'AccessLogged', '{"role": "gp-system", "action": "C", "checks": {"consent": false, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": "the consent is unknown to the referral service", "userId": "gp-system-beterschap", "outcome": "denied", "purpose": "wor-referral", "resource": {"id": "16d8942e-fe93-4693-a562-2cab28e694d0", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "accessedAt": "2026-12-02T15:17:04.113Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "municipality": "GM9999", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}', '{"actor": "gp-system-beterschap"}', '2026-12-02 15:17:04.115114+00');
INSERT INTO fixture_referral.events VALUES (2, '1559', 'access-log-8784fd95-89ab-4ac8-a4b0-6f46cb411462', 0, 'f960ce3c-fd77-4ac9-b30e-02f7a97827cc', 'AccessLogged', '{"role": "gp-system", "action": "C", "checks": {"consent": true, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": null, "userId": "gp-system-beterschap", "outcome": "allowed", "purpose": "wor-referral", "resource": {"id": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "accessedAt": "2026-12-02T15:17:05.045Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "municipality": "GM9999", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}', '{"actor": "gp-system-beterschap"}', '2026-12-02 15:17:05.049642+00');
INSERT INTO fixture_referral.events VALUES (3, '1568', 'referral-d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4', 0, '37a4f498-04c5-4965-aa89-21314a2a56fd', 'ReferralRequested', '{"sex": "female", "ageBand": "65-74", "patient": {"iv": "uPpjxHznS3ubiiXO", "alg": "A256GCM", "tag": "aagfdytqgaTt9DsmjAbeeA==", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "ciphertext": "b7i1o8DuUeIv1eK94Qg6kXtVZod/9CadUWWUQziDMKrrCY+aC4iDChmidOqMWpM0H5Cbp4m77YBSBpdcpKnGBXHNZMbE0nlzB9lA79Awo1af7OpJgAdLFSwBEw=="}, "reasons": ["eenzaamheid"], "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "practiceId": "huisarts-beterschap", "referralId": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "requestedAt": "2026-12-02T15:17:05.212Z", "requestedBy": "gp-system-beterschap", "urgencyNote": null, "municipality": "GM9999", "referrerRole": "huisarts", "recipientOrganisationId": "welzijn-beterstad"}', '{"actor": "gp-system-beterschap", "streamFacts": {"subjectId": "sub_bdf4dab4f2ef026efaf86ae4c904e293", "practiceId": "huisarts-beterschap", "municipality": "GM9999", "recipientOrganisationId": "welzijn-beterstad"}}', '2026-12-02 15:17:05.222178+00');

--
-- Data for Name: fhir_task_index; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.fhir_task_index VALUES ('d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4', 'huisarts-beterschap', 'welzijn-beterstad', 'requested', '2026-12-02 15:17:05.212+00', 0);

--
-- Data for Name: idempotency_keys; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

--
-- Data for Name: key_epoch; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.key_epoch VALUES (true, '9345d0f074883bd6', 0, 0, NULL, NULL);

--
-- Data for Name: processed_events; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.consent-view', 'f11d62d5-0a03-599c-9966-24da3daad612', '2026-12-02 15:17:03.809739+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.consent-view', '2d0405b4-3439-5692-8a82-a13d19d263c3', '2026-12-02 15:17:04.219524+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '0454e50c-01f4-5a9b-927a-343fff07c73d', '2026-12-02 15:17:05.562891+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '49cc576b-832c-5870-8f17-c3b77c81d27c', '2026-12-02 15:17:05.928206+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '3cb70c34-9f75-5132-9e32-567a21927e5f', '2026-12-02 15:17:06.122077+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '9b01c2df-f066-53d1-9635-7ade71018388', '2026-12-02 15:17:06.365224+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '760f7e8c-2084-52cd-a579-59d021c4a57c', '2026-12-02 15:17:06.594232+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '8289ad51-2093-587f-badc-3cd6cb4eb3bc', '2026-12-02 15:17:06.983111+00');
INSERT INTO fixture_referral.processed_events VALUES ('fixture_referral.social-map-view', '76c19cb2-5dc7-5b4c-aba4-7108486dd70b', '2026-12-02 15:17:07.256498+00');

--
-- Data for Name: projection_checkpoints; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.projection_checkpoints VALUES ('work-queues', '1568:3', '2026-12-02 15:17:05.330264+00');
INSERT INTO fixture_referral.projection_checkpoints VALUES ('subject-index', '1568:3', '2026-12-02 15:17:05.376648+00');
INSERT INTO fixture_referral.projection_checkpoints VALUES ('fhir-task-index', '1568:3', '2026-12-02 15:17:05.514454+00');

--
-- Data for Name: relay_checkpoints; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.relay_checkpoints VALUES ('referral-events', '1568:3', '2026-12-02 15:17:05.514034+00');
INSERT INTO fixture_referral.relay_checkpoints VALUES ('referral-access-log', '1568:3', '2026-12-02 15:17:05.592863+00');

--
-- Data for Name: social_map_service_view; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Wandelgroep De Blijebuurt', '2026-12-02 15:17:05.735+00', 'active', '2026-12-02 15:17:05.735+00', NULL);
INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Koffieochtend Buurthuis De Zon', '2026-12-02 15:17:06.076+00', 'active', '2026-12-02 15:17:06.076+00', NULL);
INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Moestuin De Blijebuurt', '2026-12-02 15:17:06.305+00', 'active', '2026-12-02 15:17:06.305+00', NULL);
INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Rouwcafé Beterstad', '2026-12-02 15:17:06.528+00', 'active', '2026-12-02 15:17:06.528+00', NULL);
INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Spreekuur Geldzorgen', '2026-12-02 15:17:06.796+00', 'active', '2026-12-02 15:17:06.796+00', NULL);
INSERT INTO fixture_referral.social_map_service_view VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'Creatief Atelier', '2026-12-02 15:17:06.982+00', 'active', '2026-12-02 15:17:06.982+00', NULL);

--
-- Data for Name: streams; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.streams VALUES ('access-log-5af1afb2-ddd2-4b58-a0ad-3568cd3881da', 0);
INSERT INTO fixture_referral.streams VALUES ('access-log-8784fd95-89ab-4ac8-a4b0-6f46cb411462', 0);
INSERT INTO fixture_referral.streams VALUES ('referral-d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4', 0);

--
-- Data for Name: subject_access_log; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.subject_access_log VALUES ('8e035435-8a5c-4f9b-a868-b8f656aa55ec', 'sub_bdf4dab4f2ef026efaf86ae4c904e293', '2026-12-02 15:17:04.113+00', '{"role": "gp-system", "action": "C", "checks": {"consent": false, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": "the consent is unknown to the referral service", "userId": "gp-system-beterschap", "outcome": "denied", "purpose": "wor-referral", "resource": {"id": "16d8942e-fe93-4693-a562-2cab28e694d0", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "accessedAt": "2026-12-02T15:17:04.113Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "municipality": "GM9999", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}');
INSERT INTO fixture_referral.subject_access_log VALUES ('f960ce3c-fd77-4ac9-b30e-02f7a97827cc', 'sub_bdf4dab4f2ef026efaf86ae4c904e293', '2026-12-02 15:17:05.045+00', '{"role": "gp-system", "action": "C", "checks": {"consent": true, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": null, "userId": "gp-system-beterschap", "outcome": "allowed", "purpose": "wor-referral", "resource": {"id": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "accessedAt": "2026-12-02T15:17:05.045Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "municipality": "GM9999", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}');

--
-- Data for Name: subject_keys; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.subject_keys VALUES ('sub_bdf4dab4f2ef026efaf86ae4c904e293', '\xfff12e061d28e5dcd804a432f868019920ecdd2425f51cd47e892b31be8b636ba0a503f342f3a7142bc483e7b07116b6def10facceaf69072a5233cf', '2026-12-02 15:17:05.121301+00', '9345d0f074883bd6');

--
-- Data for Name: subject_referrals; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.subject_referrals VALUES ('sub_bdf4dab4f2ef026efaf86ae4c904e293', 'd9fd151b-d3d0-46b9-a85a-7541b5b5b4b4');

--
-- Data for Name: work_queue; Type: TABLE DATA; Schema: fixture_referral; Owner: -
--

INSERT INTO fixture_referral.work_queue VALUES ('d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4', 'welzijn-beterstad', 'huisarts-beterschap', 'requested', '{eenzaamheid}', '65-74', 'female', NULL, '2026-12-02 15:17:05.212+00', '2026-12-09 23:00:00+00', NULL, 0);

--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: fixture_referral; Owner: -
--

SELECT pg_catalog.setval('fixture_referral.dead_letters_id_seq', 1, false);

--
-- Name: events_global_position_seq; Type: SEQUENCE SET; Schema: fixture_referral; Owner: -
--

SELECT pg_catalog.setval('fixture_referral.events_global_position_seq', 3, true);

--
-- Name: agreement_view agreement_view_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.agreement_view
    ADD CONSTRAINT agreement_view_pkey PRIMARY KEY (agreement_id);

--
-- Name: consent_view consent_view_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.consent_view
    ADD CONSTRAINT consent_view_pkey PRIMARY KEY (consent_id);

--
-- Name: dead_letters dead_letters_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.dead_letters
    ADD CONSTRAINT dead_letters_pkey PRIMARY KEY (id);

--
-- Name: erased_subjects erased_subjects_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.erased_subjects
    ADD CONSTRAINT erased_subjects_pkey PRIMARY KEY (subject_id);

--
-- Name: events events_event_id_unique; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.events
    ADD CONSTRAINT events_event_id_unique UNIQUE (event_id);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (global_position);

--
-- Name: events events_stream_version_unique; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.events
    ADD CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version);

--
-- Name: fhir_task_index fhir_task_index_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.fhir_task_index
    ADD CONSTRAINT fhir_task_index_pkey PRIMARY KEY (referral_id);

--
-- Name: idempotency_keys idempotency_keys_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.idempotency_keys
    ADD CONSTRAINT idempotency_keys_pkey PRIMARY KEY (caller, key);

--
-- Name: key_epoch key_epoch_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.key_epoch
    ADD CONSTRAINT key_epoch_pkey PRIMARY KEY (one);

--
-- Name: processed_events processed_events_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.processed_events
    ADD CONSTRAINT processed_events_pkey PRIMARY KEY (consumer, event_id);

--
-- Name: projection_checkpoints projection_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.projection_checkpoints
    ADD CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: relay_checkpoints relay_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.relay_checkpoints
    ADD CONSTRAINT relay_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: social_map_service_view social_map_service_view_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.social_map_service_view
    ADD CONSTRAINT social_map_service_view_pkey PRIMARY KEY (service_id);

--
-- Name: streams streams_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.streams
    ADD CONSTRAINT streams_pkey PRIMARY KEY (stream_id);

--
-- Name: subject_access_log subject_access_log_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.subject_access_log
    ADD CONSTRAINT subject_access_log_pkey PRIMARY KEY (entry_id);

--
-- Name: subject_keys subject_keys_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.subject_keys
    ADD CONSTRAINT subject_keys_pkey PRIMARY KEY (subject_id);

--
-- Name: subject_referrals subject_referrals_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.subject_referrals
    ADD CONSTRAINT subject_referrals_pkey PRIMARY KEY (subject_id, referral_id);

--
-- Name: work_queue work_queue_pkey; Type: CONSTRAINT; Schema: fixture_referral; Owner: -
--

ALTER TABLE ONLY fixture_referral.work_queue
    ADD CONSTRAINT work_queue_pkey PRIMARY KEY (referral_id);

--
-- Name: consent_view_subject; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX consent_view_subject ON fixture_referral.consent_view USING btree (subject_id);

--
-- Name: dead_letters_consumer_idx; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX dead_letters_consumer_idx ON fixture_referral.dead_letters USING btree (consumer, created_at);

--
-- Name: events_transaction_position; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX events_transaction_position ON fixture_referral.events USING btree (transaction_id, global_position);

--
-- Name: fhir_task_index_organisation; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX fhir_task_index_organisation ON fixture_referral.fhir_task_index USING btree (organisation_id, authored_on);

--
-- Name: fhir_task_index_practice; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX fhir_task_index_practice ON fixture_referral.fhir_task_index USING btree (practice_id, authored_on);

--
-- Name: subject_access_log_subject; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX subject_access_log_subject ON fixture_referral.subject_access_log USING btree (subject_id, accessed_at);

--
-- Name: work_queue_coach; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX work_queue_coach ON fixture_referral.work_queue USING btree (coach_id, requested_at) WHERE (coach_id IS NOT NULL);

--
-- Name: work_queue_organisation; Type: INDEX; Schema: fixture_referral; Owner: -
--

CREATE INDEX work_queue_organisation ON fixture_referral.work_queue USING btree (organisation_id, requested_at);

--
-- PostgreSQL database dump complete
--

