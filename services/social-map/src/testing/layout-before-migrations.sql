-- The social-map schema as the code before numbered migrations left it (commit 8d5db70), with the demo data
-- of npm start: pg_dump --schema=fixture_social_map --inserts of startInProcess({ prefix: 'fixture_' }) + loadDemoData.
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
-- Name: fixture_social_map; Type: SCHEMA; Schema: -; Owner: -
--

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: dead_letters; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.dead_letters (
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
-- Name: dead_letters_id_seq; Type: SEQUENCE; Schema: fixture_social_map; Owner: -
--

CREATE SEQUENCE fixture_social_map.dead_letters_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: dead_letters_id_seq; Type: SEQUENCE OWNED BY; Schema: fixture_social_map; Owner: -
--

ALTER SEQUENCE fixture_social_map.dead_letters_id_seq OWNED BY fixture_social_map.dead_letters.id;

--
-- Name: events; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.events (
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
-- Name: events_global_position_seq; Type: SEQUENCE; Schema: fixture_social_map; Owner: -
--

CREATE SEQUENCE fixture_social_map.events_global_position_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: events_global_position_seq; Type: SEQUENCE OWNED BY; Schema: fixture_social_map; Owner: -
--

ALTER SEQUENCE fixture_social_map.events_global_position_seq OWNED BY fixture_social_map.events.global_position;

--
-- Name: map_links; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_links (
    service_id uuid NOT NULL,
    month text NOT NULL,
    links integer NOT NULL
);

--
-- Name: map_locations; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_locations (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    municipality text NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL
);

--
-- Name: map_organizations; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_organizations (
    id uuid NOT NULL,
    municipality text NOT NULL,
    name text NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL
);

--
-- Name: map_service_at_locations; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_service_at_locations (
    id uuid NOT NULL,
    service_id uuid NOT NULL,
    location_id uuid NOT NULL,
    municipality text NOT NULL,
    description text
);

--
-- Name: map_services; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_services (
    id uuid NOT NULL,
    organization_id uuid NOT NULL,
    municipality text NOT NULL,
    name text NOT NULL,
    retired boolean NOT NULL,
    capacity text NOT NULL,
    wijken text[] NOT NULL,
    dimensions text[] NOT NULL,
    reasons text[] NOT NULL,
    languages text[] NOT NULL,
    minimum_age integer,
    maximum_age integer,
    free boolean NOT NULL,
    reviewed_at timestamp with time zone NOT NULL,
    last_modified timestamp with time zone NOT NULL,
    entry jsonb NOT NULL,
    doc jsonb NOT NULL,
    search tsvector NOT NULL,
    haystack text NOT NULL
);

--
-- Name: map_stream_versions; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_stream_versions (
    stream_id text NOT NULL,
    version integer NOT NULL
);

--
-- Name: map_views; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.map_views (
    service_id uuid NOT NULL,
    month text NOT NULL,
    views integer NOT NULL
);

--
-- Name: processed_events; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.processed_events (
    consumer text NOT NULL,
    event_id text NOT NULL,
    processed_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: projection_checkpoints; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.projection_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: relay_checkpoints; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.relay_checkpoints (
    name text NOT NULL,
    checkpoint text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: streams; Type: TABLE; Schema: fixture_social_map; Owner: -
--

CREATE TABLE fixture_social_map.streams (
    stream_id text NOT NULL,
    version integer NOT NULL
);

--
-- Name: dead_letters id; Type: DEFAULT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.dead_letters ALTER COLUMN id SET DEFAULT nextval('fixture_social_map.dead_letters_id_seq'::regclass);

--
-- Name: events global_position; Type: DEFAULT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.events ALTER COLUMN global_position SET DEFAULT nextval('fixture_social_map.events_global_position_seq'::regclass);

--
-- Data for Name: dead_letters; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

--
-- Data for Name: events; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.events VALUES (1, '1576', 'organization-5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 0, '7ea829d8-302f-4212-ae80-80811fa870ac', 'OrganizationRegistered', '{"entry": {"id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "name": "Welzijn Beterstad", "phones": [], "contacts": [], "description": "Welzijnsorganisatie van Beterstad."}, "municipality": "GM9999", "registeredAt": "2026-12-02T15:17:05.329Z", "registeredBy": "keyuser-beterstad", "organizationId": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:05.337565+00');
INSERT INTO fixture_social_map.events VALUES (2, '1596', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', 0, '78496e68-c63b-4a6b-a757-f3990129f945', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "name": "Wandelgroep De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["lichaamsfuncties", "meedoen"], "description": "Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.", "cost_options": [{"id": "93fa72c3-23f3-5a75-8c93-5d9a09b81aa0", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "publishedAt": "2026-12-02T15:17:05.735Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:05.742937+00');
INSERT INTO fixture_social_map.events VALUES (3, '1609', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', 0, '2f2ef54b-9c4d-488d-8fe9-737fd0d3c2c5', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "name": "Koffieochtend Buurthuis De Zon", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["meedoen", "kwaliteit-van-leven"], "description": "Ontmoeten, een praatje en een kop koffie, iedere donderdag.", "cost_options": [{"id": "67368411-125f-5d5b-afc6-36ccadd84e4d", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "publishedAt": "2026-12-02T15:17:06.076Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:06.094547+00');
INSERT INTO fixture_social_map.events VALUES (4, '1623', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', 0, '2065f534-757c-42b2-b894-1ebaf28cd608', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "name": "Moestuin De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["zingeving", "dagelijks-functioneren"], "description": "Samen tuinieren en oogsten in de buurtmoestuin.", "cost_options": [{"id": "4dacfb56-3365-5a5d-8d65-13ff18ea6250", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "publishedAt": "2026-12-02T15:17:06.305Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:06.32349+00');
INSERT INTO fixture_social_map.events VALUES (5, '1634', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', 0, '26623f1c-75b7-4503-b8e6-c1f346f6f04f', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "name": "Rouwcafé Beterstad", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["mentaal-welbevinden", "zingeving"], "description": "Maandelijkse bijeenkomst voor wie een dierbare verloor.", "cost_options": [{"id": "6503d514-4247-59c1-8625-e909f55f0391", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "publishedAt": "2026-12-02T15:17:06.528Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:06.549527+00');
INSERT INTO fixture_social_map.events VALUES (6, '1649', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', 0, '4529d543-3986-4111-b1a1-94dfc0bb3ffc', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "name": "Spreekuur Geldzorgen", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["dagelijks-functioneren"], "description": "Vrijwilligers helpen met post, schulden en regelingen.", "cost_options": [{"id": "863cbe08-e1bc-5565-a999-1605b27a50d9", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "publishedAt": "2026-12-02T15:17:06.796Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:06.803869+00');
INSERT INTO fixture_social_map.events VALUES (7, '1659', 'service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', 0, 'e5106049-c1ab-4ab6-b392-534316cae651', 'ServicePublished', '{"entry": {"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "name": "Creatief Atelier", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["mentaal-welbevinden", "kwaliteit-van-leven"], "description": "Schilderen en boetseren in een kleine groep; kleine eigen bijdrage.", "cost_options": [{"id": "c0d2504d-b158-56a3-a7fc-3e2c35638df0", "amount": 2.5, "option": "eigen bijdrage", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}, "capacity": "available", "serviceId": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "publishedAt": "2026-12-02T15:17:06.982Z", "publishedBy": "keyuser-beterstad", "municipality": "GM9999"}', '{"actor": "keyuser-beterstad"}', '2026-12-02 15:17:07.002022+00');

--
-- Data for Name: map_links; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

--
-- Data for Name: map_locations; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

--
-- Data for Name: map_organizations; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.map_organizations VALUES ('5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Welzijn Beterstad', '{"id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "name": "Welzijn Beterstad", "phones": [], "contacts": [], "description": "Welzijnsorganisatie van Beterstad."}', '{"id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "name": "Welzijn Beterstad", "phones": [], "contacts": [], "description": "Welzijnsorganisatie van Beterstad.", "municipality": "GM9999"}');

--
-- Data for Name: map_service_at_locations; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

--
-- Data for Name: map_services; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Wandelgroep De Blijebuurt', false, 'available', '{"de blijebuurt"}', '{lichaamsfuncties,meedoen}', '{}', '{nl}', NULL, NULL, true, '2026-12-02 15:17:05.735+00', '2026-12-02 15:17:05.735+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "name": "Wandelgroep De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["lichaamsfuncties", "meedoen"], "description": "Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.", "cost_options": [{"id": "93fa72c3-23f3-5a75-8c93-5d9a09b81aa0", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "name": "Wandelgroep De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "997f0a1d-11ba-5c74-bb4d-1661699e0808", "value": "lichaamsfuncties", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "8770d060-7780-5037-8ac6-e2f1c6f8797c", "code": "lichaamsfuncties", "name": "Lichaamsfuncties", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Lichaamsfuncties", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "8770d060-7780-5037-8ac6-e2f1c6f8797c"}, {"id": "394f369b-1abd-5cb3-a6f3-e6fd9b2cf3a8", "value": "meedoen", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "3fe81f80-cd6c-5f67-9e22-5db70b46028a", "code": "meedoen", "name": "Meedoen", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Meedoen", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "3fe81f80-cd6c-5f67-9e22-5db70b46028a"}, {"id": "79cb7261-2cb4-560a-ae04-805bc140e4af", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["lichaamsfuncties", "meedoen"], "description": "Elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo.", "assured_date": "2026-12-02", "cost_options": [{"id": "93fa72c3-23f3-5a75-8c93-5d9a09b81aa0", "amount": 0, "option": "gratis", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:05.735Z", "service_areas": [{"id": "b5294487-9374-5445-9e46-7cc65b5a4f83", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "extent_type": "cbs_gemeentecode"}, {"id": "6f877974-6ced-55c2-9e90-14faa13a0c20", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01", "extent_type": "wijk"}], "free_of_charge": true, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''blijebuurt'':3A,16C ''dinsdagocht'':5B ''eig'':13B ''elk'':4B ''sam'':6B ''tempo'':14B ''wandel'':7B ''wandelgroep'':1A ''wijk'':10B', 'wandelgroep de blijebuurt  elke dinsdagochtend samen wandelen door de wijk, in je eigen tempo. de blijebuurt  ');
INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Koffieochtend Buurthuis De Zon', false, 'available', '{"de blijebuurt"}', '{meedoen,kwaliteit-van-leven}', '{}', '{nl}', NULL, NULL, true, '2026-12-02 15:17:06.076+00', '2026-12-02 15:17:06.076+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "name": "Koffieochtend Buurthuis De Zon", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["meedoen", "kwaliteit-van-leven"], "description": "Ontmoeten, een praatje en een kop koffie, iedere donderdag.", "cost_options": [{"id": "67368411-125f-5d5b-afc6-36ccadd84e4d", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "name": "Koffieochtend Buurthuis De Zon", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "844996d4-6285-5d09-a3dd-9b74f74c08e0", "value": "meedoen", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "3fe81f80-cd6c-5f67-9e22-5db70b46028a", "code": "meedoen", "name": "Meedoen", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Meedoen", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "3fe81f80-cd6c-5f67-9e22-5db70b46028a"}, {"id": "c57b39ed-f832-50e3-b2b3-20e6d40d2f52", "value": "kwaliteit-van-leven", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "718934ea-a0eb-5e71-a2e8-2c266bb8ae56", "code": "kwaliteit-van-leven", "name": "Kwaliteit van leven", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Kwaliteit van leven", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "718934ea-a0eb-5e71-a2e8-2c266bb8ae56"}, {"id": "a2c722f6-10c2-559c-883b-13682d6467e9", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["meedoen", "kwaliteit-van-leven"], "description": "Ontmoeten, een praatje en een kop koffie, iedere donderdag.", "assured_date": "2026-12-02", "cost_options": [{"id": "67368411-125f-5d5b-afc6-36ccadd84e4d", "amount": 0, "option": "gratis", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:06.076Z", "service_areas": [{"id": "74582c57-ba13-5d36-b235-6fd74ba324bb", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "extent_type": "cbs_gemeentecode"}, {"id": "8667071f-5f84-5d1b-93ff-004a686860df", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02", "extent_type": "wijk"}], "free_of_charge": true, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''blijebuurt'':15C ''buurthuis'':2A ''donderdag'':13B ''ieder'':12B ''koffie'':11B ''koffieocht'':1A ''kop'':10B ''ontmoet'':5B ''praatj'':7B ''zon'':4A', 'koffieochtend buurthuis de zon  ontmoeten, een praatje en een kop koffie, iedere donderdag. de blijebuurt  ');
INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Moestuin De Blijebuurt', false, 'available', '{"de blijebuurt"}', '{zingeving,dagelijks-functioneren}', '{}', '{nl}', NULL, NULL, true, '2026-12-02 15:17:06.305+00', '2026-12-02 15:17:06.305+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "name": "Moestuin De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["zingeving", "dagelijks-functioneren"], "description": "Samen tuinieren en oogsten in de buurtmoestuin.", "cost_options": [{"id": "4dacfb56-3365-5a5d-8d65-13ff18ea6250", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "name": "Moestuin De Blijebuurt", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "36b1b361-73cd-536f-88e0-e59416499df3", "value": "zingeving", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "ffae0c45-66cd-5c37-a66d-c409cdd683fc", "code": "zingeving", "name": "Zingeving", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Zingeving", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "ffae0c45-66cd-5c37-a66d-c409cdd683fc"}, {"id": "911cfedc-5cb5-5fdc-8190-8c832330f653", "value": "dagelijks-functioneren", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "a3b999e0-ddf6-5998-b799-a79ce8bbe6f1", "code": "dagelijks-functioneren", "name": "Dagelijks functioneren", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Dagelijks functioneren", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "a3b999e0-ddf6-5998-b799-a79ce8bbe6f1"}, {"id": "4b2ccb6c-ebd6-5737-b40f-3f3f883e8b65", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["zingeving", "dagelijks-functioneren"], "description": "Samen tuinieren en oogsten in de buurtmoestuin.", "assured_date": "2026-12-02", "cost_options": [{"id": "4dacfb56-3365-5a5d-8d65-13ff18ea6250", "amount": 0, "option": "gratis", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:06.305Z", "service_areas": [{"id": "86c82514-ad60-5083-ae5d-c1470223e0ca", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "extent_type": "cbs_gemeentecode"}, {"id": "5981f77a-c62b-5dfe-91a3-366ef78b9b49", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03", "extent_type": "wijk"}], "free_of_charge": true, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''blijebuurt'':3A,12C ''buurtmoestuin'':10B ''moestuin'':1A ''oogst'':7B ''sam'':4B ''tuinier'':5B', 'moestuin de blijebuurt  samen tuinieren en oogsten in de buurtmoestuin. de blijebuurt  ');
INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Rouwcafé Beterstad', false, 'available', '{"de blijebuurt"}', '{mentaal-welbevinden,zingeving}', '{}', '{nl}', NULL, NULL, true, '2026-12-02 15:17:06.528+00', '2026-12-02 15:17:06.528+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "name": "Rouwcafé Beterstad", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["mentaal-welbevinden", "zingeving"], "description": "Maandelijkse bijeenkomst voor wie een dierbare verloor.", "cost_options": [{"id": "6503d514-4247-59c1-8625-e909f55f0391", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "name": "Rouwcafé Beterstad", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "2370e316-a5fe-5a07-87ba-2b190ae3ff47", "value": "mentaal-welbevinden", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "c6610b94-4837-5a92-b353-e9fc2457af30", "code": "mentaal-welbevinden", "name": "Mentaal welbevinden", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Mentaal welbevinden", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "c6610b94-4837-5a92-b353-e9fc2457af30"}, {"id": "037cd61d-822c-5743-89b6-c369a2dec73b", "value": "zingeving", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "ffae0c45-66cd-5c37-a66d-c409cdd683fc", "code": "zingeving", "name": "Zingeving", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Zingeving", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "ffae0c45-66cd-5c37-a66d-c409cdd683fc"}, {"id": "6c2e3bf2-dff6-5450-ba75-1a2856cca723", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["mentaal-welbevinden", "zingeving"], "description": "Maandelijkse bijeenkomst voor wie een dierbare verloor.", "assured_date": "2026-12-02", "cost_options": [{"id": "6503d514-4247-59c1-8625-e909f55f0391", "amount": 0, "option": "gratis", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:06.528Z", "service_areas": [{"id": "a7a8a651-d66f-5418-a0ae-e57a637e0aa3", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "extent_type": "cbs_gemeentecode"}, {"id": "91c697a0-7876-50f3-ac07-87b1f1d3a984", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04", "extent_type": "wijk"}], "free_of_charge": true, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''beterstad'':2A ''bijeenkomst'':4B ''blijebuurt'':11C ''dierbar'':8B ''maandelijk'':3B ''rouwcaf'':1A ''verlor'':9B', 'rouwcafé beterstad  maandelijkse bijeenkomst voor wie een dierbare verloor. de blijebuurt  ');
INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Spreekuur Geldzorgen', false, 'available', '{"de blijebuurt"}', '{dagelijks-functioneren}', '{}', '{nl}', NULL, NULL, true, '2026-12-02 15:17:06.796+00', '2026-12-02 15:17:06.796+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "name": "Spreekuur Geldzorgen", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["dagelijks-functioneren"], "description": "Vrijwilligers helpen met post, schulden en regelingen.", "cost_options": [{"id": "863cbe08-e1bc-5565-a999-1605b27a50d9", "amount": 0, "option": "gratis", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "name": "Spreekuur Geldzorgen", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "f8ee17b1-33f4-5c0f-a8ee-8370f270dbd2", "value": "dagelijks-functioneren", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "a3b999e0-ddf6-5998-b799-a79ce8bbe6f1", "code": "dagelijks-functioneren", "name": "Dagelijks functioneren", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Dagelijks functioneren", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "a3b999e0-ddf6-5998-b799-a79ce8bbe6f1"}, {"id": "567da8ae-3221-50fb-ae68-abce7978f089", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["dagelijks-functioneren"], "description": "Vrijwilligers helpen met post, schulden en regelingen.", "assured_date": "2026-12-02", "cost_options": [{"id": "863cbe08-e1bc-5565-a999-1605b27a50d9", "amount": 0, "option": "gratis", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:06.796Z", "service_areas": [{"id": "9f5d933d-abb6-58a5-ac94-f3c4f51c20aa", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "extent_type": "cbs_gemeentecode"}, {"id": "61c29f53-71fb-550d-8fba-d5344edab6b3", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05", "extent_type": "wijk"}], "free_of_charge": true, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''blijebuurt'':11C ''geldzorg'':2A ''help'':4B ''post'':6B ''regel'':9B ''schuld'':7B ''spreekur'':1A ''vrijwilliger'':3B', 'spreekuur geldzorgen  vrijwilligers helpen met post, schulden en regelingen. de blijebuurt  ');
INSERT INTO fixture_social_map.map_services VALUES ('c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', '5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 'GM9999', 'Creatief Atelier', false, 'available', '{"de blijebuurt"}', '{mentaal-welbevinden,kwaliteit-van-leven}', '{}', '{nl}', NULL, NULL, false, '2026-12-02 15:17:06.982+00', '2026-12-02 15:17:06.982+00', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "name": "Creatief Atelier", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "dimensions": ["mentaal-welbevinden", "kwaliteit-van-leven"], "description": "Schilderen en boetseren in een kleine groep; kleine eigen bijdrage.", "cost_options": [{"id": "c0d2504d-b158-56a3-a7fc-3e2c35638df0", "amount": 2.5, "option": "eigen bijdrage", "currency": "EUR"}], "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '{"id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "name": "Creatief Atelier", "phones": [], "status": "active", "wijken": ["de blijebuurt"], "contacts": [], "languages": [], "schedules": [], "attributes": [{"id": "8e796959-0946-59a0-bf32-e6df72077781", "value": "mentaal-welbevinden", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "c6610b94-4837-5a92-b353-e9fc2457af30", "code": "mentaal-welbevinden", "name": "Mentaal welbevinden", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Mentaal welbevinden", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "c6610b94-4837-5a92-b353-e9fc2457af30"}, {"id": "bc2254d8-2d94-5bb6-8c95-2dd6d3475360", "value": "kwaliteit-van-leven", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "link_type": "positieve_gezondheid", "link_entity": "service", "taxonomy_term": {"id": "718934ea-a0eb-5e71-a2e8-2c266bb8ae56", "code": "kwaliteit-van-leven", "name": "Kwaliteit van leven", "language": "nl", "taxonomy": "Positieve Gezondheid", "description": "Kwaliteit van leven", "taxonomy_id": "5123afab-d50a-5eea-8f16-76275346cbc4"}, "taxonomy_term_id": "718934ea-a0eb-5e71-a2e8-2c266bb8ae56"}, {"id": "0449c7a0-f0fd-5856-9708-ebbddbeba72d", "value": "available", "link_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "link_type": "capaciteit", "link_entity": "service", "taxonomy_term": {"id": "84993b00-5103-5dfd-8931-4af7f4fce475", "code": "available", "name": "Plek beschikbaar", "language": "nl", "taxonomy": "Capaciteit", "description": "Plek beschikbaar", "taxonomy_id": "ecf3ef73-d01d-59fd-896b-0811ce8cfaf3"}, "taxonomy_term_id": "84993b00-5103-5dfd-8931-4af7f4fce475"}], "dimensions": ["mentaal-welbevinden", "kwaliteit-van-leven"], "description": "Schilderen en boetseren in een kleine groep; kleine eigen bijdrage.", "assured_date": "2026-12-02", "cost_options": [{"id": "c0d2504d-b158-56a3-a7fc-3e2c35638df0", "amount": 2.5, "option": "eigen bijdrage", "currency": "EUR", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06"}], "municipality": "GM9999", "last_modified": "2026-12-02T15:17:06.982Z", "service_areas": [{"id": "85fac303-603f-55f8-8147-6bfc6b9a31ea", "name": "GM9999", "extent": "GM9999", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "extent_type": "cbs_gemeentecode"}, {"id": "4c652eb4-175c-57c2-b396-f8641914f5b3", "name": "de blijebuurt", "extent": "de blijebuurt", "service_id": "c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06", "extent_type": "wijk"}], "free_of_charge": false, "capacity_status": "available", "organization_id": "5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11", "referral_reasons": [], "service_at_locations": []}', '''atelier'':2A ''bijdrag'':12B ''blijebuurt'':14C ''boetser'':5B ''creatief'':1A ''eig'':11B ''groep'':9B ''klein'':8B,10B ''schilder'':3B', 'creatief atelier  schilderen en boetseren in een kleine groep; kleine eigen bijdrage. de blijebuurt  ');

--
-- Data for Name: map_stream_versions; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.map_stream_versions VALUES ('organization-5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', 0);
INSERT INTO fixture_social_map.map_stream_versions VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', 0);

--
-- Data for Name: map_views; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

--
-- Data for Name: processed_events; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.processed_events VALUES ('fixture_social-map.referral-links', '02a4c9d7-9bcd-53c2-9961-b33478807ed2', '2026-12-02 15:17:05.381363+00');

--
-- Data for Name: projection_checkpoints; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.projection_checkpoints VALUES ('social-map-directory', '1659:7', '2026-12-02 15:17:07.084458+00');

--
-- Data for Name: relay_checkpoints; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.relay_checkpoints VALUES ('social-map-events', '1659:7', '2026-12-02 15:17:07.313242+00');

--
-- Data for Name: streams; Type: TABLE DATA; Schema: fixture_social_map; Owner: -
--

INSERT INTO fixture_social_map.streams VALUES ('organization-5b1d5a0e-2f6a-4c1e-9d3a-7a2d8c9e0f11', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d01', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d02', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d03', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d04', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d05', 0);
INSERT INTO fixture_social_map.streams VALUES ('service-c9a4f1c2-6a3e-4a63-8f5e-0e2f3b8f5d06', 0);

--
-- Name: dead_letters_id_seq; Type: SEQUENCE SET; Schema: fixture_social_map; Owner: -
--

SELECT pg_catalog.setval('fixture_social_map.dead_letters_id_seq', 1, false);

--
-- Name: events_global_position_seq; Type: SEQUENCE SET; Schema: fixture_social_map; Owner: -
--

SELECT pg_catalog.setval('fixture_social_map.events_global_position_seq', 7, true);

--
-- Name: dead_letters dead_letters_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.dead_letters
    ADD CONSTRAINT dead_letters_pkey PRIMARY KEY (id);

--
-- Name: events events_event_id_unique; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.events
    ADD CONSTRAINT events_event_id_unique UNIQUE (event_id);

--
-- Name: events events_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (global_position);

--
-- Name: events events_stream_version_unique; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.events
    ADD CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version);

--
-- Name: map_links map_links_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_links
    ADD CONSTRAINT map_links_pkey PRIMARY KEY (service_id, month);

--
-- Name: map_locations map_locations_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_locations
    ADD CONSTRAINT map_locations_pkey PRIMARY KEY (id);

--
-- Name: map_organizations map_organizations_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_organizations
    ADD CONSTRAINT map_organizations_pkey PRIMARY KEY (id);

--
-- Name: map_service_at_locations map_service_at_locations_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_service_at_locations
    ADD CONSTRAINT map_service_at_locations_pkey PRIMARY KEY (id);

--
-- Name: map_services map_services_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_services
    ADD CONSTRAINT map_services_pkey PRIMARY KEY (id);

--
-- Name: map_stream_versions map_stream_versions_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_stream_versions
    ADD CONSTRAINT map_stream_versions_pkey PRIMARY KEY (stream_id);

--
-- Name: map_views map_views_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.map_views
    ADD CONSTRAINT map_views_pkey PRIMARY KEY (service_id, month);

--
-- Name: processed_events processed_events_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.processed_events
    ADD CONSTRAINT processed_events_pkey PRIMARY KEY (consumer, event_id);

--
-- Name: projection_checkpoints projection_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.projection_checkpoints
    ADD CONSTRAINT projection_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: relay_checkpoints relay_checkpoints_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.relay_checkpoints
    ADD CONSTRAINT relay_checkpoints_pkey PRIMARY KEY (name);

--
-- Name: streams streams_pkey; Type: CONSTRAINT; Schema: fixture_social_map; Owner: -
--

ALTER TABLE ONLY fixture_social_map.streams
    ADD CONSTRAINT streams_pkey PRIMARY KEY (stream_id);

--
-- Name: dead_letters_consumer_idx; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX dead_letters_consumer_idx ON fixture_social_map.dead_letters USING btree (consumer, created_at);

--
-- Name: events_transaction_position; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX events_transaction_position ON fixture_social_map.events USING btree (transaction_id, global_position);

--
-- Name: map_locations_municipality; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_locations_municipality ON fixture_social_map.map_locations USING btree (municipality);

--
-- Name: map_organizations_municipality; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_organizations_municipality ON fixture_social_map.map_organizations USING btree (municipality, name);

--
-- Name: map_service_at_locations_service; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_service_at_locations_service ON fixture_social_map.map_service_at_locations USING btree (service_id);

--
-- Name: map_services_dimensions; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_services_dimensions ON fixture_social_map.map_services USING gin (dimensions);

--
-- Name: map_services_municipality; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_services_municipality ON fixture_social_map.map_services USING btree (municipality, retired);

--
-- Name: map_services_organization; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_services_organization ON fixture_social_map.map_services USING btree (organization_id);

--
-- Name: map_services_reasons; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_services_reasons ON fixture_social_map.map_services USING gin (reasons);

--
-- Name: map_services_search; Type: INDEX; Schema: fixture_social_map; Owner: -
--

CREATE INDEX map_services_search ON fixture_social_map.map_services USING gin (search);

--
-- PostgreSQL database dump complete
--

