export const referralOpenApi = { openapi: '3.1.0', info: { title: 'WoR referral service', version: '0.2.0' }, paths: {} };
