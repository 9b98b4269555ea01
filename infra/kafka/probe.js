#!/usr/bin/env node
// Readiness probe for kafka.sh: exits 0 once the broker answers a metadata request
// (an open port alone is not enough: KRaft accepts connections before it serves metadata).
// Exit codes: 0 ready, 1 not ready yet, 2 kafkajs not installed (caller falls back to the log).
'use strict';

const path = require('node:path');

const brokers = (process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const repoRoot = path.resolve(__dirname, '..', '..');

let kafkajs;
try {
  kafkajs = require(require.resolve('kafkajs', { paths: [repoRoot, process.cwd()] }));
} catch {
  process.exit(2);
}

const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({
  clientId: 'wor-kafka-probe',
  brokers,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
});

const admin = kafka.admin();
const timer = setTimeout(() => process.exit(1), 4000);

admin
  .connect()
  .then(() => admin.listTopics())
  .then(() => admin.disconnect())
  .then(
    () => {
      clearTimeout(timer);
      process.exit(0);
    },
    () => process.exit(1),
  );
