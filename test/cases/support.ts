import { expect } from 'vitest';
import type { Harness } from '../support/harness';
import type { Role } from '../../src/db/schema';

export const API = '/api/v1/orgs/hai-phong';

export interface CaseJson {
  id: string;
  code: string;
  status: string;
  birthYear: number;
  ageBand: string;
  locationId: string;
  categories: string[];
}

/** Fictional identifying values, distinctive enough to search for in any response or log. */
export function identity(tag: string) {
  return {
    fullName: `Lò Thị Kiểm Thử ${tag}`,
    birthDate: '2015-04-09',
    address: `Số 99 ngõ Bí Mật ${tag}`,
    guardianName: `Giám Hộ Kiểm Thử ${tag}`,
    guardianRelation: 'Bà ngoại',
    guardianPhone: `0000 999 ${tag.length}${tag.length}${tag.length}`,
  };
}

export const identityValues = (i: ReturnType<typeof identity>) => [i.fullName, i.address, i.guardianName, i.guardianPhone, i.birthDate, '09/04/2015'];
export const IDENTITY_KEYS = ['fullName', 'birthDate', 'address', 'guardianName', 'guardianRelation', 'guardianPhone', 'photos', 'identity', 'consentGivers'];

export async function createCase(
  h: Harness,
  as: Role,
  body: Record<string, unknown> & { locationId: string },
): Promise<CaseJson> {
  const res = await h.request(`${API}/cases`, {
    as,
    method: 'POST',
    json: { birthYear: 2015, gender: 'female', categories: ['poor_household'], ...body },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CaseJson;
}

export async function post(h: Harness, as: Role | 'otherAdmin' | 'anonymous', path: string, json: unknown) {
  return h.request(`${API}${path}`, { as, method: 'POST', json });
}

/** Every key anywhere in a JSON value. */
export function allKeys(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) v.forEach((x) => allKeys(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      allKeys(x, out);
    }
  }
  return out;
}
