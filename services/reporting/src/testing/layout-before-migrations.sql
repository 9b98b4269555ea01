-- The reporting schema as the code before numbered migrations left it (commit 8d5db70), with the demo data
-- of npm start: pg_dump --schema=fixture_reporting --inserts of startInProcess({ prefix: 'fixture_' }) + loadDemoData.
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
-- Name: fixture_reporting; Type: SCHEMA; Schema: -; Owner: -
--

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: access_denials; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.access_denials (
    "position" bigint NOT NULL,
    municipality text,
    accessed_at timestamp with time zone NOT NULL,
    role text NOT NULL,
    action text NOT NULL,
    purpose text NOT NULL
);

--
-- Name: activity_links; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.activity_links (
    "position" bigint NOT NULL,
    referral_id uuid NOT NULL,
    service_id uuid NOT NULL,
    linked_at timestamp with time zone NOT NULL
);

--
-- Name: consent_facts; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.consent_facts (
    consent_id uuid NOT NULL,
    municipality text,
    given_at timestamp with time zone,
    given_pos bigint,
    withdrawn_at timestamp with time zone,
    withdrawn_pos bigint
);

--
-- Name: dead_letters; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.dead_letters (
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
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: fixture_reporting; Owner: -
--

CREATE SEQUENCE fixture_reporting.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: dead_letters_id_seq; Type: SEQUENCE OWNED BY; Schema: fixture_reporting; Owner: -
--

ALTER SEQUENCE fixture_reporting.dead_letters_id_seq OWNED BY fixture_reporting.dead_letters.id;

--
-- Name: practice_list_sizes; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.practice_list_sizes (
    "position" bigint NOT NULL,
    municipality text NOT NULL,
    practice_id text NOT NULL,
    registered_patients integer NOT NULL,
    set_at timestamp with time zone NOT NULL
);

--
-- Name: processed_events; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: received_events; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.received_events (
    "position" bigint NOT NULL,
    event_id uuid NOT NULL,
    type text NOT NULL,
    producer text NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    received_at timestamp with time zone NOT NULL,
    payload jsonb NOT NULL
);

--
-- Name: referral_facts; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.referral_facts (
    referral_id uuid NOT NULL,
    municipality text,
    practice_id text,
    recipient_organisation_id text,
    referrer_role text,
    reasons text[],
    age_band text,
    sex text,
    consent_id uuid,
    requested_at timestamp with time zone,
    requested_pos bigint,
    accepted_at timestamp with time zone,
    accepted_pos bigint,
    rejected_at timestamp with time zone,
    rejection_reason text,
    rejected_pos bigint,
    coach_assigned_at timestamp with time zone,
    coach_assigned_pos bigint,
    first_contact_at timestamp with time zone,
    first_contact_pos bigint,
    intake_on date,
    intake_health numeric[],
    intake_pos bigint,
    on_hold_at timestamp with time zone,
    on_hold_pos bigint,
    closed_as text,
    closed_at timestamp with time zone,
    closure_reason text,
    coach_hours numeric,
    closure_health numeric[],
    gas_scores integer[],
    closed_pos bigint,
    feedback_at timestamp with time zone,
    feedback_moment text,
    feedback_pos bigint,
    error_at timestamp with time zone,
    error_pos bigint
);

--
-- Name: relay_checkpoints; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.relay_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: social_map_services; Type: TABLE; Schema: fixture_reporting; Owner: -
--

CREATE TABLE fixture_reporting.social_map_services (
    service_id uuid NOT NULL,
    name text,
    published_at timestamp with time zone,
    published_pos bigint,
    retired_at timestamp with time zone,
    retired_pos bigint
);

--
-- Name: dead_letters id; Type: DEFAULT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.dead_letters ALTER COLUMN id SET DEFAULT nextval('fixture_reporting.dead_letters_id_seq'::regclass);

--
-- Data for Name: access_denials; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.access_denials VALUES (3, 'GM9999', '2026-12-02 15:17:04.113+00', 'gp-system', 'C', 'wor-referral');

--
-- Data for Name: activity_links; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

--
-- Data for Name: consent_facts; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.consent_facts VALUES ('12f9ca79-3106-4d16-8c5c-0799f1262b67', NULL, '2026-12-02 15:17:03.857+00', 2, NULL, NULL);

--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

--
-- Data for Name: practice_list_sizes; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

--
-- Data for Name: processed_events; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', 'f11d62d5-0a03-599c-9966-24da3daad612', '2026-12-02 15:17:03.791469+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '2d0405b4-3439-5692-8a82-a13d19d263c3', '2026-12-02 15:17:04.205448+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', 'c2b605ea-9a25-5a43-a8c9-1996b27c964d', '2026-12-02 15:17:04.554793+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', 'cba8abba-5d26-5229-8d9e-a56493b6dbc9', '2026-12-02 15:17:05.172918+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '02a4c9d7-9bcd-53c2-9961-b33478807ed2', '2026-12-02 15:17:05.365563+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '0454e50c-01f4-5a9b-927a-343fff07c73d', '2026-12-02 15:17:05.555454+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '49cc576b-832c-5870-8f17-c3b77c81d27c', '2026-12-02 15:17:05.923233+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '3cb70c34-9f75-5132-9e32-567a21927e5f', '2026-12-02 15:17:06.12199+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '9b01c2df-f066-53d1-9635-7ade71018388', '2026-12-02 15:17:06.365479+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '760f7e8c-2084-52cd-a579-59d021c4a57c', '2026-12-02 15:17:06.592719+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '8289ad51-2093-587f-badc-3cd6cb4eb3bc', '2026-12-02 15:17:06.983208+00');
INSERT INTO fixture_reporting.processed_events VALUES ('fixture_reporting.referral-counts', '76c19cb2-5dc7-5b4c-aba4-7108486dd70b', '2026-12-02 15:17:07.256602+00');

--
-- Data for Name: received_events; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.received_events VALUES (1, 'f11d62d5-0a03-599c-9966-24da3daad612', 'DataSharingAgreementActivated', 'consent', '2026-12-02 15:17:03.535+00', '2026-12-02 15:17:03.918819+00', '{"data": {"parties": [{"role": "joint-controller", "organisationId": "huisarts-beterschap"}, {"role": "joint-controller", "organisationId": "welzijn-beterstad"}], "purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "validFrom": "2026-01-01T00:00:00Z", "validUntil": null, "activatedAt": "2026-12-02T15:17:03.447Z", "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["contact-details", "referral-reason", "health-summary", "outcome"]}, "type": "DataSharingAgreementActivated", "eventId": "f11d62d5-0a03-599c-9966-24da3daad612", "producer": "consent", "subjectId": null, "occurredAt": "2026-12-02T15:17:03.535Z", "causationId": "fdc87e6f-7577-4eb5-b99e-8d9f8a23f84e", "municipality": null, "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (2, '2d0405b4-3439-5692-8a82-a13d19d263c3', 'ConsentRecorded', 'consent', '2026-12-02 15:17:03.857+00', '2026-12-02 15:17:04.344864+00', '{"data": {"purposes": ["wor-referral", "wor-coaching", "wor-feedback"], "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "provision": "permit", "validFrom": "2026-12-02T15:17:03.828Z", "validUntil": null, "dataCategories": ["contact-details", "referral-reason"], "recipientOrganisationIds": ["welzijn-beterstad"]}, "type": "ConsentRecorded", "eventId": "2d0405b4-3439-5692-8a82-a13d19d263c3", "producer": "consent", "subjectId": null, "occurredAt": "2026-12-02T15:17:03.857Z", "causationId": "bde634ef-20e1-419e-b69a-4972577c5b39", "municipality": null, "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (3, 'c2b605ea-9a25-5a43-a8c9-1996b27c964d', 'AccessLogged', 'referral', '2026-12-02 15:17:04.115+00', '2026-12-02 15:17:04.904927+00', '{"data": {"role": "gp-system", "action": "C", "checks": {"consent": false, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": "the consent is unknown to the referral service", "userId": "gp-system-beterschap", "outcome": "denied", "purpose": "wor-referral", "resource": {"id": "16d8942e-fe93-4693-a562-2cab28e694d0", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "accessedAt": "2026-12-02T15:17:04.113Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}, "type": "AccessLogged", "eventId": "c2b605ea-9a25-5a43-a8c9-1996b27c964d", "producer": "referral", "subjectId": null, "occurredAt": "2026-12-02T15:17:04.115Z", "causationId": "8e035435-8a5c-4f9b-a868-b8f656aa55ec", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (4, 'cba8abba-5d26-5229-8d9e-a56493b6dbc9', 'AccessLogged', 'referral', '2026-12-02 15:17:05.049+00', '2026-12-02 15:17:05.192978+00', '{"data": {"role": "gp-system", "action": "C", "checks": {"consent": true, "agreement": true, "authorisation": true, "emergencyAccess": false}, "reason": null, "userId": "gp-system-beterschap", "outcome": "allowed", "purpose": "wor-referral", "resource": {"id": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "type": "referral"}, "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "accessedAt": "2026-12-02T15:17:05.045Z", "onBehalfOf": null, "agreementId": "a9d3e0b1-5c2f-4e8a-9b7d-1f0e2d3c4b5a", "dataCategories": ["referral-reason"], "organisationId": "huisarts-beterschap"}, "type": "AccessLogged", "eventId": "cba8abba-5d26-5229-8d9e-a56493b6dbc9", "producer": "referral", "subjectId": null, "occurredAt": "2026-12-02T15:17:05.049Z", "causationId": "f960ce3c-fd77-4ac9-b30e-02f7a97827cc", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (5, '02a4c9d7-9bcd-53c2-9961-b33478807ed2', 'ReferralRequested', 'referral', '2026-12-02 15:17:05.222+00', '2026-12-02 15:17:05.433336+00', '{"data": {"sex": "female", "ageBand": "65-74", "reasons": ["eenzaamheid"], "consentId": "12f9ca79-3106-4d16-8c5c-0799f1262b67", "practiceId": "huisarts-beterschap", "referralId": "d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4", "requestedAt": "2026-12-02T15:17:05.212Z", "referrerRole": "huisarts", "recipientOrganisationId": "welzijn-beterstad"}, "type": "ReferralRequested", "eventId": "02a4c9d7-9bcd-53c2-9961-b33478807ed2", "producer": "referral", "subjectId": null, "occurredAt": "2026-12-02T15:17:05.222Z", "causationId": "37a4f498-04c5-4965-aa89-21314a2a56fd", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (6, '0454e50c-01f4-5a9b-927a-343fff07c73d', 'OrganizationRegistered', 'social-map', '2026-12-02 15:17:05.337+00', '2026-12-02 15:17:05.57814+00', '{"data": {"registeredAt": "2026-12-02T15:17:05.329Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "OrganizationRegistered", "eventId": "0454e50c-01f4-5a9b-927a-343fff07c73d", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:05.337Z", "causationId": "7ea829d8-302f-4212-ae80-80811fa870ac", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (7, '49cc576b-832c-5870-8f17-c3b77c81d27c', 'ServicePublished', 'social-map', '2026-12-02 15:17:05.742+00', '2026-12-02 15:17:05.927878+00', '{"data": {"name": "Wandelgroep De Blijebuurt", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "dimensions": ["lichaamsfuncties", "meedoen"], "publishedAt": "2026-12-02T15:17:05.735Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "49cc576b-832c-5870-8f17-c3b77c81d27c", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:05.742Z", "causationId": "78496e68-c63b-4a6b-a757-f3990129f945", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (8, '3cb70c34-9f75-5132-9e32-567a21927e5f', 'ServicePublished', 'social-map', '2026-12-02 15:17:06.094+00', '2026-12-02 15:17:06.144506+00', '{"data": {"name": "Koffieochtend Buurthuis De Zon", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "dimensions": ["meedoen", "kwaliteit-van-leven"], "publishedAt": "2026-12-02T15:17:06.076Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "3cb70c34-9f75-5132-9e32-567a21927e5f", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:06.094Z", "causationId": "2f2ef54b-9c4d-488d-8fe9-737fd0d3c2c5", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (9, '9b01c2df-f066-53d1-9635-7ade71018388', 'ServicePublished', 'social-map', '2026-12-02 15:17:06.323+00', '2026-12-02 15:17:06.383711+00', '{"data": {"name": "Moestuin De Blijebuurt", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "dimensions": ["zingeving", "dagelijks-functioneren"], "publishedAt": "2026-12-02T15:17:06.305Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "9b01c2df-f066-53d1-9635-7ade71018388", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:06.323Z", "causationId": "2065f534-757c-42b2-b894-1ebaf28cd608", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (10, '760f7e8c-2084-52cd-a579-59d021c4a57c', 'ServicePublished', 'social-map', '2026-12-02 15:17:06.549+00', '2026-12-02 15:17:06.629216+00', '{"data": {"name": "Rouwcafé Beterstad", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "dimensions": ["mentaal-welbevinden", "zingeving"], "publishedAt": "2026-12-02T15:17:06.528Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "760f7e8c-2084-52cd-a579-59d021c4a57c", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:06.549Z", "causationId": "26623f1c-75b7-4503-b8e6-c1f346f6f04f", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (11, '8289ad51-2093-587f-badc-3cd6cb4eb3bc', 'ServicePublished', 'social-map', '2026-12-02 15:17:06.803+00', '2026-12-02 15:17:07.044215+00', '{"data": {"name": "Spreekuur Geldzorgen", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "dimensions": ["dagelijks-functioneren"], "publishedAt": "2026-12-02T15:17:06.796Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "8289ad51-2093-587f-badc-3cd6cb4eb3bc", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:06.803Z", "causationId": "4529d543-3986-4111-b1a1-94dfc0bb3ffc", "municipality": "GM9999", "schemaVersion": 1}');
INSERT INTO fixture_reporting.received_events VALUES (12, '76c19cb2-5dc7-5b4c-aba4-7108486dd70b', 'ServicePublished', 'social-map', '2026-12-02 15:17:07.002+00', '2026-12-02 15:17:07.267587+00', '{"data": {"name": "Creatief Atelier", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "dimensions": ["mentaal-welbevinden", "kwaliteit-van-leven"], "publishedAt": "2026-12-02T15:17:06.982Z", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}, "type": "ServicePublished", "eventId": "76c19cb2-5dc7-5b4c-aba4-7108486dd70b", "producer": "social-map", "subjectId": null, "occurredAt": "2026-12-02T15:17:07.002Z", "causationId": "e5106049-c1ab-4ab6-b392-534316cae651", "municipality": "GM9999", "schemaVersion": 1}');

--
-- Data for Name: referral_facts; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.referral_facts VALUES ('d9fd151b-d3d0-46b9-a85a-7541b5b5b4b4', 'GM9999', 'huisarts-beterschap', 'welzijn-beterstad', 'huisarts', '{eenzaamheid}', '65-74', 'female', '12f9ca79-3106-4d16-8c5c-0799f1262b67', '2026-12-02 15:17:05.212+00', 5, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

--
-- Data for Name: relay_checkpoints; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

--
-- Data for Name: social_map_services; Type: TABLE DATA; Schema: fixture_reporting; Owner: -
--

INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', 'Wandelgroep De Blijebuurt', '2026-12-02 15:17:05.735+00', 7, NULL, NULL);
INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', 'Koffieochtend Buurthuis De Zon', '2026-12-02 15:17:06.076+00', 8, NULL, NULL);
INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', 'Moestuin De Blijebuurt', '2026-12-02 15:17:06.305+00', 9, NULL, NULL);
INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', 'Rouwcafé Beterstad', '2026-12-02 15:17:06.528+00', 10, NULL, NULL);
INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', 'Spreekuur Geldzorgen', '2026-12-02 15:17:06.796+00', 11, NULL, NULL);
INSERT INTO fixture_reporting.social_map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', 'Creatief Atelier', '2026-12-02 15:17:06.982+00', 12, NULL, NULL);

--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: fixture_reporting; Owner: -
--

SELECT pg_catalog.setval('fixture_reporting.dead_letters_id_seq', 1, false);

--
-- Name: access_denials access_denials_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.access_denials
    ADD CONSTRAINT access_denials_pkey PRIMARY KEY ("position");

--
-- Name: activity_links activity_links_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.activity_links
    ADD CONSTRAINT activity_links_pkey PRIMARY KEY ("position");

--
-- Name: consent_facts consent_facts_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.consent_facts
    ADD CONSTRAINT consent_facts_pkey PRIMARY KEY (consent_id);

--
-- Name: dead_letters dead_letters_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.dead_letters
    ADD CONSTRAINT dead_letters_pkey PRIMARY KEY (id);

--
-- Name: practice_list_sizes practice_list_sizes_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.practice_list_sizes
    ADD CONSTRAINT practice_list_sizes_pkey PRIMARY KEY ("position");

--
-- Name: processed_events processed_events_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.processed_events
    ADD CONSTRAINT processed_events_pkey PRIMARY KEY (consumer, event_id);

--
-- Name: received_events received_events_event_id_key; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.received_events
    ADD CONSTRAINT received_events_event_id_key UNIQUE (event_id);

--
-- Name: received_events received_events_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.received_events
    ADD CONSTRAINT received_events_pkey PRIMARY KEY ("position");

--
-- Name: referral_facts referral_facts_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.referral_facts
    ADD CONSTRAINT referral_facts_pkey PRIMARY KEY (referral_id);

--
-- Name: relay_checkpoints relay_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.relay_checkpoints
    ADD CONSTRAINT relay_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: social_map_services social_map_services_pkey; Type: CONSTRAINT; Schema: fixture_reporting; Owner: -
--

ALTER TABLE ONLY fixture_reporting.social_map_services
    ADD CONSTRAINT social_map_services_pkey PRIMARY KEY (service_id);

--
-- Name: activity_links_referral; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX activity_links_referral ON fixture_reporting.activity_links USING btree (referral_id);

--
-- Name: dead_letters_consumer_idx; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX dead_letters_consumer_idx ON fixture_reporting.dead_letters USING btree (consumer, created_at);

--
-- Name: practice_list_sizes_practice; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX practice_list_sizes_practice ON fixture_reporting.practice_list_sizes USING btree (municipality, practice_id, "position");

--
-- Name: referral_facts_closed; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX referral_facts_closed ON fixture_reporting.referral_facts USING btree (municipality, closed_at);

--
-- Name: referral_facts_consent; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX referral_facts_consent ON fixture_reporting.referral_facts USING btree (consent_id);

--
-- Name: referral_facts_requested; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX referral_facts_requested ON fixture_reporting.referral_facts USING btree (municipality, requested_at);

--
-- Name: referral_facts_requested_pos; Type: INDEX; Schema: fixture_reporting; Owner: -
--

CREATE INDEX referral_facts_requested_pos ON fixture_reporting.referral_facts USING btree (requested_pos);

--
-- PostgreSQL database dump complete
--

