// channel.header values are a receiver's secrets (e.g. its bearer token): they are sealed in the
// subscription's stream with the service's key store (@wor/privacy; one data key per subscription,
// wrapped by the service's KEK, rotated with it) and opened only to send.
import { isErased, type SubjectKeyStore } from '@wor/privacy';
import { headerNameOf, type PostedSubscription } from './resources';
import type { SubscriptionRequest } from './subscription';

/** The key-store subject of a subscription's headers (no person: a subscription of an organisation). */
export const subscriptionHeaderKeyOf = (subscriptionId: string): string => `fhir-subscription:${subscriptionId}`;

/** The request as it is stored: header names in clear, the lines sealed. */
export const sealHeaders = async (
  keys: Pick<SubjectKeyStore, 'encryptFor'>,
  posted: PostedSubscription,
): Promise<SubscriptionRequest> => {
  const { headers, ...request } = posted;
  return {
    ...request,
    headerNames: headers.map(headerNameOf),
    sealedHeaders: headers.length
      ? await keys.encryptFor(subscriptionHeaderKeyOf(posted.subscriptionId), { headers: [...headers] })
      : null,
  };
};

/** The header lines to send (none once their key is gone; in clear in events from before sealing). */
export const openHeaders = async (
  keys: Pick<SubjectKeyStore, 'decrypt'>,
  request: SubscriptionRequest,
): Promise<readonly string[]> => {
  if (!request.sealedHeaders) return request.headers ?? [];
  const opened = await keys.decrypt<{ headers: string[] }>(request.sealedHeaders);
  return isErased(opened) ? [] : opened.headers;
};
