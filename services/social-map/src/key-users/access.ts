// Who may change a municipality's map: its key-users only. The municipality's own key-user (municipal
// account) always; a colleague key-user only while appointed by it. Pure, so it is tested without I/O.
import type { Caller } from '@wor/service-kit';
import type { KeyUsers } from './key-users';

export type MapAccess = { allowed: true } | { allowed: false; reason: string };

export const mayEditMap = (caller: Caller, municipality: string, keyUsers: KeyUsers): MapAccess => {
  if (!caller.roles.includes('key-user')) return { allowed: false, reason: 'Only key-users change the social map.' };
  if (caller.municipality !== municipality)
    return { allowed: false, reason: `Key-users change only their own municipality's map, not ${municipality}'s.` };
  if (caller.municipalAccount === true) return { allowed: true };
  if (keyUsers.active[caller.subject]) return { allowed: true };
  return { allowed: false, reason: `The key-user is not (or no longer) appointed for ${municipality}.` };
};
